//! CMX 3600 edit decision lists: event lines
//! `NNN REEL CHANNELS TRANSITION [DUR] SRC-IN SRC-OUT REC-IN REC-OUT` and
//! the comments NLEs write under them (`* FROM CLIP NAME:`, `* FROM CLIP:`,
//! `* SOURCE FILE:`, `* TO CLIP NAME:`, `* TO CLIP:`). In a dissolve or wipe
//! (two lines under one event number) the first line is the outgoing
//! source (`FROM`) and the second the incoming one (`TO`).

use super::model::{micro, Shot, Timeline, TimelineFormat, TrackKind};

/// One event line and the names its comments give it.
struct Line {
    event: String,
    reel: String,
    channels: String,
    rec_in: f64,
    rec_out: f64,
    src_in: f64,
    /// Index of this line within its event (0: outgoing, 1: incoming).
    side: usize,
    name: Option<String>,
    clip: Option<String>,
}

pub fn parse(text: &str, rate: f64) -> Result<Timeline, String> {
    if !(rate.is_finite() && rate > 0.0 && rate <= 240.0) {
        return Err(format!("frame rate {rate} is not a frame rate"));
    }
    let mut title = String::new();
    let mut lines: Vec<Line> = Vec::new();
    let mut events = 0usize;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(t) = line.strip_prefix("TITLE:") {
            title = t.trim().to_string();
        } else if let Some(comment) = line.strip_prefix('*') {
            comment_on(&mut lines, comment.trim());
        } else if line.split_whitespace().next().is_some_and(is_event_number) {
            let l = event_line(line, rate, &lines).map_err(|e| format!("line {}: {e}", n + 1))?;
            events += 1;
            lines.push(l);
        }
    }
    if events == 0 {
        return Err("no CMX 3600 event lines (NNN REEL CHANNEL TRANSITION timecodes)".into());
    }
    let mut shots = shots(&lines);
    let black = |s: &Shot| matches!(s.name.as_str(), "BL" | "BLK" | "BLACK");
    let notes = shots
        .iter()
        .filter(|s| black(s))
        .map(|s| format!("{}: black (reel BL) passed over", s.track))
        .collect();
    shots.retain(|s| !black(s));
    shots.sort_by(|a, b| {
        a.track
            .cmp(&b.track)
            .then(a.record_in.total_cmp(&b.record_in))
    });
    Ok(Timeline {
        name: title,
        format: TimelineFormat::Cmx3600,
        rate,
        shots,
        notes,
    })
}

/// The shots of the event lines that take record time, per track.
fn shots(lines: &[Line]) -> Vec<Shot> {
    let mut shots = Vec::new();
    for l in lines.iter().filter(|l| l.rec_out > l.rec_in) {
        for (track, kind) in tracks(&l.channels) {
            shots.push(Shot {
                track,
                kind,
                name: l.name.clone().unwrap_or_else(|| l.reel.clone()),
                reference: Some(
                    l.clip
                        .clone()
                        .or_else(|| l.name.clone())
                        .unwrap_or_else(|| l.reel.clone()),
                ),
                record_in: micro(l.rec_in),
                record_out: micro(l.rec_out),
                source_in: micro(l.src_in),
            });
        }
    }
    shots
}

fn is_event_number(token: &str) -> bool {
    !token.is_empty() && token.len() <= 6 && token.bytes().all(|b| b.is_ascii_digit())
}

fn event_line(line: &str, rate: f64, before: &[Line]) -> Result<Line, String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if tokens.len() < 8 {
        return Err(format!(
            "an event line needs 8 fields or more, found {}",
            tokens.len()
        ));
    }
    let tc: Vec<f64> = tokens[tokens.len() - 4..]
        .iter()
        .map(|t| seconds(t, rate))
        .collect::<Result<_, _>>()?;
    let event = tokens[0].to_string();
    let side = before.iter().rev().take_while(|l| l.event == event).count();
    Ok(Line {
        event,
        reel: tokens[1].to_string(),
        channels: tokens[2].to_string(),
        src_in: tc[0],
        rec_in: tc[2],
        rec_out: tc[3],
        side,
        name: None,
        clip: None,
    })
}

/// Attach a `FROM`/`TO` comment to the lines of the last event.
fn comment_on(lines: &mut [Line], comment: &str) {
    let Some(last) = lines.last() else { return };
    let event = last.event.clone();
    let (incoming, key, value) = match comment.split_once(':') {
        Some((k, v)) => {
            let k = k.trim().to_ascii_uppercase();
            let incoming = k.starts_with("TO ");
            (incoming, k, v.trim().to_string())
        }
        None => return,
    };
    let field = match key.as_str() {
        "FROM CLIP NAME" | "TO CLIP NAME" => 0,
        "FROM CLIP" | "TO CLIP" | "SOURCE FILE" | "FROM FILE" | "TO FILE" => 1,
        _ => return,
    };
    let group = lines.iter_mut().rev().take_while(|l| l.event == event);
    for l in group {
        // Single-line events take FROM; in a transition FROM is side 0.
        if (l.side > 0) == incoming {
            let slot = if field == 0 { &mut l.name } else { &mut l.clip };
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value.clone());
            }
        }
    }
}

/// The tracks an event's channel field names: `V`, `A`, `A2`, `AA`, `B`,
/// `AA/V`…
fn tracks(channels: &str) -> Vec<(String, TrackKind)> {
    let mut out = Vec::new();
    for part in channels.to_ascii_uppercase().split('/') {
        match part {
            "V" => out.push(("V".into(), TrackKind::Video)),
            "B" => {
                out.push(("V".into(), TrackKind::Video));
                out.push(("A1".into(), TrackKind::Audio));
            }
            "A" | "A1" => out.push(("A1".into(), TrackKind::Audio)),
            "AA" => {
                out.push(("A1".into(), TrackKind::Audio));
                out.push(("A2".into(), TrackKind::Audio));
            }
            a if a.starts_with('A') && a[1..].bytes().all(|b| b.is_ascii_digit()) => {
                out.push((a.into(), TrackKind::Audio));
            }
            _ => {}
        }
    }
    out
}

/// `HH:MM:SS:FF` (`;` before the frames: drop-frame) as seconds at `rate`.
fn seconds(tc: &str, rate: f64) -> Result<f64, String> {
    let bad = || format!("{tc:?} is not a timecode HH:MM:SS:FF");
    let drop = tc.contains(';');
    let parts: Vec<u64> = tc
        .split([':', ';', '.'])
        .map(|p| p.parse::<u64>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let [h, m, s, f] = parts[..] else {
        return Err(bad());
    };
    let fps = rate.round() as u64;
    if m >= 60 || s >= 60 || f >= fps || h >= 100 {
        return Err(format!("{tc:?} is out of range at {rate} fps"));
    }
    let mut frames = ((h * 60 + m) * 60 + s) * fps + f;
    if drop && (fps == 30 || fps == 60) {
        // Two (four at 60) frame numbers dropped each minute but every tenth.
        let per = fps / 15;
        let minutes = h * 60 + m;
        frames -= per * (minutes - minutes / 10);
    }
    Ok(frames as f64 / rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUT: &str = "TITLE: cut\n\n\
001  shotamp4 V     C        00:00:01:00 00:00:03:12 00:00:00:00 00:00:02:12\n\
* FROM CLIP NAME:  shot_a.mp4\n\
* FROM CLIP: media/shot_a.mp4\n\
002  shotamp4 V     C        00:00:03:12 00:00:03:12 00:00:02:12 00:00:02:12\n\
002  shotbmp4 V     D 024    00:00:00:12 00:00:03:12 00:00:02:12 00:00:05:12\n\
* FROM CLIP NAME:  shot_a.mp4\n\
* FROM CLIP: media/shot_a.mp4\n\
* TO CLIP NAME:  shot_b.mp4\n\
* TO CLIP: media/shot_b.mp4\n\
001  score    A     C        00:00:00:00 00:00:07:12 00:00:00:00 00:00:07:12\n\
* FROM CLIP NAME:  score.wav\n";

    #[test]
    fn dissolves_give_the_incoming_shot_its_name() {
        let t = parse(CUT, 24.0).unwrap();
        let got: Vec<(&str, &str, f64, f64, f64)> = t
            .shots
            .iter()
            .map(|s| {
                let r = s.reference.as_deref().unwrap_or("");
                (s.track.as_str(), r, s.record_in, s.record_out, s.source_in)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("A1", "score.wav", 0.0, 7.5, 0.0),
                ("V", "media/shot_a.mp4", 0.0, 2.5, 1.0),
                ("V", "media/shot_b.mp4", 2.5, 5.5, 0.5),
            ]
        );
    }

    #[test]
    fn drop_frame_timecodes_skip_frame_numbers() {
        // 00:01:00;02 is frame 1800 at 29.97 drop-frame.
        let s = seconds("00:01:00;02", 30000.0 / 1001.0).unwrap();
        assert!((s * 30000.0 / 1001.0 - 1800.0).abs() < 1e-6);
        assert!(seconds("00:00:00:30", 30.0).is_err());
        assert!(seconds("12:00", 24.0).is_err());
    }
}
