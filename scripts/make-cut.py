#!/usr/bin/env python3
"""Write an editor's cut with the reference implementation: OpenTimelineIO
writes OUT.otio, and its CMX 3600 adapter writes OUT.edl (the video track,
then the audio track's events under it). Run by the timeline tests with the
python of scripts/otio-venv.sh; the cut is described by a JSON spec:

  {"name": "cut", "rate": 24,
   "video": [{"clip": "a.mp4", "url": "file:///…/a.mp4", "start": 0, "dur": 2},
             {"gap": 1}, {"transition": 0.5}, …],
   "audio": [ … ]}

Times are seconds. A transition dissolves between its neighbours (in and
out offsets of half its length each). The EDL is read back with the
adapter to check that it parses and holds every clip.
Usage: make-cut.py SPEC.json OUT   (writes OUT.otio and OUT.edl)
"""
import json
import sys

import opentimelineio as otio
from otio_cmx3600_adapter import cmx_3600


def build(spec):
    rate = spec["rate"]

    def rt(seconds):
        return otio.opentime.RationalTime(round(seconds * rate), rate)

    timeline = otio.schema.Timeline(name=spec["name"])
    for kind, items in (("Video", spec.get("video", [])), ("Audio", spec.get("audio", []))):
        if not items:
            continue
        track = otio.schema.Track(name=f"{kind[0]}1", kind=kind)
        for item in items:
            if "gap" in item:
                track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(rt(0), rt(item["gap"]))))
            elif "transition" in item:
                half = rt(item["transition"] / 2)
                track.append(otio.schema.Transition(in_offset=half, out_offset=half))
            else:
                ref = otio.schema.ExternalReference(target_url=item["url"])
                track.append(otio.schema.Clip(
                    name=item["clip"], media_reference=ref,
                    source_range=otio.opentime.TimeRange(rt(item["start"]), rt(item["dur"]))))
        timeline.tracks.append(track)
    return timeline


def edl(timeline, rate):
    writer = cmx_3600.EDLWriter(tracks=timeline.tracks, rate=rate, style="avid")
    text = writer.get_content_for_track_at_index(0, title=timeline.name)
    for index in range(1, len(timeline.tracks)):
        text += writer.get_content_for_track_at_index(index, title=None)
    return text


def main():
    spec_path, out = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = json.load(f)
    timeline = build(spec)
    otio.adapters.write_to_file(timeline, out + ".otio")
    # The EDL writer edits the tracks it writes (transitions): write it
    # from a fresh copy, after the .otio.
    text = edl(build(spec), spec["rate"])
    with open(out + ".edl", "w") as f:
        f.write(text)
    back = otio.adapters.read_from_string(text, adapter_name="cmx_3600", rate=spec["rate"])
    clips = sum(1 for _ in back.find_clips())
    wanted = sum(1 for t in timeline.tracks for c in t if isinstance(c, otio.schema.Clip))
    if clips != wanted:
        sys.exit(f"make-cut: the EDL reads back with {clips} clips, the cut has {wanted}")


if __name__ == "__main__":
    main()
