//! Animated images in a cut (issue 28): a ComfyUI animated WebP and a GIF
//! are clips, so a timeline (written by OpenTimelineIO) that plays them
//! counts their seconds; a GIF's fingerprint is sampled over time, so a
//! re-encode of it to MP4 is recovered from the catalog.

use std::path::Path;
use std::process::Command as StdCommand;

use serde_json::json;

use super::timeline::reference_python;
use crate::support::{credits, ffmpeg, json as parse, path_str as s, stderr, Studio};

#[test]
fn a_cut_counts_the_seconds_of_the_animations_it_plays() {
    let studio = Studio::new("Northwind Pictures");
    let media = studio.subdir("media");
    let raw = studio.subdir("raw");
    let gif = raw.join("loop.gif");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=160x120:rate=10",
        "-frames:v",
        "30",
        s(&gif),
    ]);
    let webp =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/generators/comfyui-animated.webp");
    let catalog = studio.dir.path().join("catalog.db");
    let stamp = credits()
        .arg("stamp")
        .arg(&webp)
        .arg(&gif)
        .arg("--out")
        .arg(&media)
        .arg("--key")
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .arg("--tool")
        .arg("ComfyUI")
        .arg("--prompt")
        .arg("a looping test card")
        .arg("--index")
        .arg(&catalog)
        .output()
        .expect("stamp");
    assert!(stamp.status.success(), "{}", stderr(&stamp));
    let v = studio.verdict(&media.join("loop.gif"));
    assert_eq!(v["record"]["media"]["kind"], "clip", "{v:#}");
    assert_eq!(v["record"]["media"]["frame_count"], 30, "{v:#}");
    assert_eq!(v["record"]["media"]["duration_s"], 3.0, "{v:#}");
    // 4 samples a second over 3 s.
    assert_eq!(v["soft_binding"]["samples"], 12, "{v:#}");

    let url = |n: &str| format!("file://{}", s(&media.join(n)));
    let spec = json!({
        "name": "loops", "rate": 24,
        "video": [
            {"clip": "comfyui-animated.webp", "url": url("comfyui-animated.webp"), "start": 0.0, "dur": 0.75},
            {"clip": "loop.gif", "url": url("loop.gif"), "start": 0.5, "dur": 2.0},
        ],
    });
    let dir = studio.subdir("cut");
    std::fs::write(dir.join("spec.json"), spec.to_string()).unwrap();
    let made = StdCommand::new(reference_python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/make-cut.py"))
        .arg(dir.join("spec.json"))
        .arg(dir.join("cut"))
        .output()
        .expect("make-cut.py");
    assert!(made.status.success(), "{}", stderr(&made));
    let audit = credits()
        .arg("audit")
        .arg(&media)
        .arg("--timeline")
        .arg(dir.join("cut.otio"))
        .arg("--trust")
        .arg(&studio.trust)
        .arg("--json")
        .output()
        .expect("audit");
    let report = parse(&audit);
    let video = &report["timeline"]["video"];
    assert_eq!(video["runtime_seconds"], 2.75, "{report:#}");
    assert_eq!(video["by_verdict"], json!({"trusted": 2.75}), "{report:#}");
    let seconds = |name: &str| {
        video["by_asset"]
            .as_array()
            .expect("by_asset")
            .iter()
            .find(|r| r["asset"].as_str().is_some_and(|a| a.ends_with(name)))
            .map(|r| r["seconds"].clone())
    };
    assert_eq!(
        seconds("/comfyui-animated.webp"),
        Some(json!(0.75)),
        "{report:#}"
    );
    assert_eq!(seconds("/loop.gif"), Some(json!(2.0)), "{report:#}");

    // The GIF re-encoded to H.264 (its manifest gone) is found again.
    let reencoded = raw.join("loop.mp4");
    ffmpeg(&[
        "-i",
        s(&media.join("loop.gif")),
        "-pix_fmt",
        "yuv420p",
        s(&reencoded),
    ]);
    let found = credits()
        .arg("verify")
        .arg(&reencoded)
        .arg("--trust")
        .arg(&studio.trust)
        .arg("--recover")
        .arg("--index")
        .arg(&catalog)
        .arg("--json")
        .output()
        .expect("verify --recover");
    let v = &parse(&found)["files"][0];
    assert_eq!(v["state"], "recovered", "{v:#}");
    assert!(
        v["recovery"]["original"]
            .as_str()
            .is_some_and(|o| o.ends_with("/loop.gif")),
        "{v:#}"
    );
}
