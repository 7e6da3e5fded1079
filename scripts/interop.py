"""Read files signed by `credits` with c2pa-python, an independent binding
(c2pa-rs 0.91.x through its C API), and check its verdict.

    python interop.py TRUST_PEM FILE…

A FILE ending in .c2pa is a sidecar: it is read against the media file of
the same name without the suffix. Every file must be Valid without trust
anchors and Trusted with TRUST_PEM as the only anchor. Exit 0 when all pass.
"""
import json
import pathlib
import sys

import c2pa

MIME = {
    ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp",
    ".gif": "image/gif", ".tif": "image/tiff", ".avif": "image/avif",
    ".mp4": "video/mp4", ".mov": "video/quicktime", ".mkv": "video/x-matroska",
    ".wav": "audio/wav", ".mp3": "audio/mpeg",
}


def context(trust_pem):
    settings = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if trust_pem is not None:
        settings["trust"] = {"trust_anchors": trust_pem}
    return c2pa.Context(settings=c2pa.Settings.from_dict(settings))


def state(path, ctx):
    if path.suffix == ".c2pa":
        media = path.with_suffix("")
        with open(media, "rb") as stream:
            reader = c2pa.Reader(MIME[media.suffix], stream,
                                 manifest_data=path.read_bytes(), context=ctx)
            return reader.get_validation_state(), reader.json()
    reader = c2pa.Reader(str(path), context=ctx)
    return reader.get_validation_state(), reader.json()


def main():
    trust_pem = pathlib.Path(sys.argv[1]).read_text()
    failed = 0
    print(f"c2pa-python {c2pa.version('c2pa-python')} (c2pa-rs {c2pa.sdk_version()})")
    for name in sys.argv[2:]:
        path = pathlib.Path(name)
        try:
            plain, _ = state(path, context(None))
            anchored, manifest_json = state(path, context(trust_pem))
            active = json.loads(manifest_json).get("active_manifest", "")
        except Exception as e:  # a reader error is a failure, reported
            plain, anchored, active = "error", f"error: {e}", ""
        ok = plain in ("Valid", "Trusted") and anchored == "Trusted"
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {path.name:<14} no anchors: {plain:<8} "
              f"our CA: {anchored:<8} {active}")
    print(f"{len(sys.argv) - 2 - failed} of {len(sys.argv) - 2} read as Valid/Trusted by c2pa-python")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
