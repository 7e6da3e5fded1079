//! OpenTimelineIO's JSON (`.otio`): Timeline → Stack → Track → Clip, Gap,
//! Transition, nested Stack or Track. Only what screen time needs is read:
//! kinds, names, source ranges, media references, transition offsets.
//! Schema names are matched on their family (`Clip.1` and `Clip.2` alike).

use serde_json::Value;

use super::model::{micro, Shot, Timeline, TimelineFormat, TrackKind};

/// Nesting deeper than this is refused (an edit nests a few levels).
const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Timeline, String> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| format!("not OpenTimelineIO JSON: {e}"))?;
    if schema(&root) != "Timeline" {
        return Err(format!(
            "the top object is {:?}, not an OpenTimelineIO Timeline",
            root.get("OTIO_SCHEMA")
                .and_then(Value::as_str)
                .unwrap_or("none")
        ));
    }
    let start = root
        .get("global_start_time")
        .and_then(time)
        .map_or(0.0, |t| t.seconds());
    let stack = root.get("tracks").ok_or("the Timeline has no tracks")?;
    let mut reader = Reader::default();
    let mut shots = Vec::new();
    for (n, track) in children(stack)?.iter().enumerate() {
        if !enabled(track) {
            continue;
        }
        let kind = kind_of(track, TrackKind::Video)?;
        let name = name_or(
            track,
            &format!("{}{}", &kind.as_str()[..1].to_uppercase(), n + 1),
        );
        let mut laid = reader.track(track, &name, kind, 0)?;
        for s in &mut laid {
            s.record_in = micro(s.record_in + start);
            s.record_out = micro(s.record_out + start);
        }
        shots.extend(laid);
    }
    Ok(Timeline {
        name: name_or(&root, ""),
        format: TimelineFormat::Otio,
        rate: reader.rate.unwrap_or(24.0),
        shots,
        notes: reader.notes,
    })
}

/// A rational time: `value` frames at `rate`.
#[derive(Clone, Copy)]
struct Time {
    value: f64,
    rate: f64,
}

impl Time {
    fn seconds(self) -> f64 {
        self.value / self.rate
    }
}

#[derive(Default)]
struct Reader {
    /// The first rate met, for timecodes.
    rate: Option<f64>,
    notes: Vec<String>,
}

/// One item of a track, before transitions move its edges.
struct Item {
    duration: f64,
    /// Laid-out shots of this item, in its own time from 0.
    shots: Vec<Shot>,
    /// Seconds taken from its end by a following transition.
    cut_end: f64,
    /// Seconds added before its start by a preceding transition.
    extend_start: f64,
}

impl Reader {
    /// The shots of one track, in the track's time from 0.
    fn track(
        &mut self,
        track: &Value,
        name: &str,
        kind: TrackKind,
        depth: usize,
    ) -> Result<Vec<Shot>, String> {
        if depth > MAX_DEPTH {
            return Err(format!("timeline nested deeper than {MAX_DEPTH} levels"));
        }
        let mut items: Vec<Item> = Vec::new();
        let mut pending_in = 0.0;
        for child in children(track)? {
            if schema(child) == "Transition" {
                let offset = |k| child.get(k).and_then(time).map_or(0.0, |t| t.seconds());
                if let Some(prev) = items.last_mut() {
                    prev.cut_end += offset("in_offset");
                }
                pending_in = offset("in_offset");
                continue;
            }
            let mut item = self.item(child, name, kind, depth)?;
            item.extend_start = std::mem::take(&mut pending_in);
            items.push(item);
        }
        let mut at = 0.0;
        let mut out = Vec::new();
        for item in items {
            for mut s in item.shots {
                // Only a shot touching the item's edge moves with it.
                if s.record_out >= item.duration - 1e-9 {
                    s.record_out -= item.cut_end;
                }
                if s.record_in <= 1e-9 {
                    s.record_in -= item.extend_start;
                    s.source_in -= item.extend_start;
                }
                s.record_in = micro(s.record_in + at);
                s.record_out = micro(s.record_out + at);
                if s.record_out > s.record_in {
                    out.push(s);
                }
            }
            at += item.duration;
        }
        Ok(out)
    }

    /// A clip, gap, or nested stack or track, laid out from 0.
    fn item(
        &mut self,
        item: &Value,
        track: &str,
        kind: TrackKind,
        depth: usize,
    ) -> Result<Item, String> {
        let what = schema(item);
        let range = item.get("source_range").and_then(time_range);
        if let Some((start, _)) = range {
            self.rate.get_or_insert(start.rate);
        }
        let shots = match what {
            "Clip" if enabled(item) => self.clip(item, track, kind, range)?,
            "Stack" | "Track" => self.nested(item, track, kind, range, depth)?,
            "Clip" | "Gap" => Vec::new(),
            other => {
                self.notes
                    .push(format!("{track}: {other:?} item passed over as a gap"));
                Vec::new()
            }
        };
        let duration = match range {
            Some((_, d)) => d.seconds(),
            None => shots.iter().map(|s| s.record_out).fold(0.0, f64::max),
        };
        Ok(Item {
            duration,
            shots,
            cut_end: 0.0,
            extend_start: 0.0,
        })
    }

    fn clip(
        &mut self,
        clip: &Value,
        track: &str,
        kind: TrackKind,
        range: Option<(Time, Time)>,
    ) -> Result<Vec<Shot>, String> {
        let reference = media_reference(clip);
        let name = name_or(clip, "");
        let range = range.or_else(|| {
            reference
                .and_then(|r| r.get("available_range"))
                .and_then(time_range)
        });
        let Some((start, duration)) = range else {
            return Err(format!(
                "{track}: clip {name:?} has no source range and its media no available range"
            ));
        };
        let target = match reference.map(schema) {
            Some("ExternalReference") => reference
                .and_then(|r| r.get("target_url"))
                .and_then(Value::as_str)
                .map(str::to_string),
            Some("GeneratorReference") => {
                self.notes.push(format!(
                    "{track}: clip {name:?} is generated (a slug or bars), passed over"
                ));
                return Ok(Vec::new());
            }
            _ => None,
        };
        Ok(vec![Shot {
            track: track.to_string(),
            kind,
            name,
            reference: target,
            record_in: 0.0,
            record_out: duration.seconds(),
            source_in: start.seconds(),
        }])
    }

    /// A stack (each child track laid from 0) or a track, trimmed to its
    /// own source range.
    fn nested(
        &mut self,
        item: &Value,
        track: &str,
        kind: TrackKind,
        range: Option<(Time, Time)>,
        depth: usize,
    ) -> Result<Vec<Shot>, String> {
        let mut shots = Vec::new();
        if schema(item) == "Track" {
            let inner = kind_of(item, kind)?;
            shots.extend(self.track(item, track, inner, depth + 1)?);
        } else {
            for child in children(item)?.iter().filter(|c| enabled(c)) {
                let inner = kind_of(child, kind)?;
                shots.extend(self.track(child, track, inner, depth + 1)?);
            }
        }
        let Some((start, duration)) = range else {
            return Ok(shots);
        };
        let (from, to) = (start.seconds(), start.seconds() + duration.seconds());
        Ok(shots
            .into_iter()
            .filter(|s| s.record_out > from && s.record_in < to)
            .map(|mut s| {
                let head = (from - s.record_in).max(0.0);
                s.source_in += head;
                s.record_in = s.record_in.max(from) - from;
                s.record_out = s.record_out.min(to) - from;
                s
            })
            .collect())
    }
}

/// The schema family: `Clip` for `Clip.2`.
fn schema(v: &Value) -> &str {
    v.get("OTIO_SCHEMA")
        .and_then(Value::as_str)
        .and_then(|s| s.split('.').next())
        .unwrap_or("")
}

fn children(v: &Value) -> Result<&Vec<Value>, String> {
    match v.get("children") {
        Some(Value::Array(c)) => Ok(c),
        None | Some(Value::Null) => Err(format!("a {} without children", schema(v))),
        Some(_) => Err(format!("a {} whose children are not a list", schema(v))),
    }
}

fn enabled(v: &Value) -> bool {
    v.get("enabled").and_then(Value::as_bool).unwrap_or(true)
}

fn name_or(v: &Value, default: &str) -> String {
    match v.get("name").and_then(Value::as_str) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => default.to_string(),
    }
}

/// A track's kind; anything but `Audio` in a video context stays video.
fn kind_of(track: &Value, default: TrackKind) -> Result<TrackKind, String> {
    match track.get("kind").and_then(Value::as_str) {
        Some("Audio") => Ok(TrackKind::Audio),
        Some("Video") => Ok(TrackKind::Video),
        None => Ok(default),
        Some(other) => Err(format!("track kind {other:?} is neither Video nor Audio")),
    }
}

/// The clip's active media reference (`Clip.2`) or its only one (`Clip.1`).
fn media_reference(clip: &Value) -> Option<&Value> {
    if let Some(refs) = clip.get("media_references").and_then(Value::as_object) {
        let key = clip
            .get("active_media_reference_key")
            .and_then(Value::as_str)
            .unwrap_or("DEFAULT_MEDIA");
        return refs.get(key);
    }
    clip.get("media_reference").filter(|r| !r.is_null())
}

fn time(v: &Value) -> Option<Time> {
    let rate = v.get("rate")?.as_f64()?;
    let value = v.get("value")?.as_f64()?;
    (rate.is_finite() && rate > 0.0 && value.is_finite()).then_some(Time { value, rate })
}

/// A time range as (start, duration); a negative duration is no range.
fn time_range(v: &Value) -> Option<(Time, Time)> {
    let start = time(v.get("start_time")?)?;
    let duration = time(v.get("duration")?)?;
    (duration.value >= 0.0).then_some((start, duration))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written by OpenTimelineIO (fixtures/timelines/README.md), with its
    /// own mapping of each clip onto the track as the expectation.
    #[test]
    fn a_trimmed_nested_stack_shows_what_opentimelineio_shows() {
        let text = include_str!("../../fixtures/timelines/nested.otio");
        let t = parse(text).unwrap();
        let got: Vec<(&str, f64, f64, f64)> = t
            .shots
            .iter()
            .map(|s| (s.name.as_str(), s.record_in, s.record_out, s.source_in))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a.mp4", 0.0, 2.0, 0.0),
                ("b.mp4", 2.0, 3.0, 11.0),
                ("c.mp4", 3.0, 5.0, 0.0),
                ("d.mp4", 6.0, 7.0, 5.0),
            ]
        );
        assert_eq!(t.rate, 24.0);
    }

    #[test]
    fn hostile_documents_are_errors() {
        assert!(parse("[]").is_err());
        assert!(parse(
            r#"{"OTIO_SCHEMA":"Timeline.1","tracks":{"OTIO_SCHEMA":"Stack.1","children":7}}"#
        )
        .is_err());
        let deep = format!(
            r#"{{"OTIO_SCHEMA":"Timeline.1","tracks":{{"OTIO_SCHEMA":"Stack.1","children":[{}]}}}}"#,
            r#"{"OTIO_SCHEMA":"Track.1","kind":"Video","children":["#.repeat(100)
                + &"]}".repeat(100)
        );
        assert!(parse(&deep).is_err());
    }
}
