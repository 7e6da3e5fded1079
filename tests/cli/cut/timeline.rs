//! `audit --timeline`: a cut written by the reference implementation
//! (OpenTimelineIO and its CMX 3600 adapter, scripts/make-cut.py) over
//! clips stamped here, judged by screen time — the same seconds and the
//! same breaches from the `.otio` and the `.edl` of the one cut.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use serde_json::{json, Value};

use crate::film::{lavfi_clip, proxy, stamp, Operator, KLING, RUNWAY};
use crate::support::{credits, ffmpeg, json as parse, path_str as s, Studio};

/// The python of the reference venv (made by scripts/otio-venv.sh, once
/// per test process: tests run in parallel and must not build it twice).
pub fn reference_python() -> PathBuf {
    static PYTHON: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let out = StdCommand::new("bash")
                .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/otio-venv.sh"))
                .output()
                .expect("run scripts/otio-venv.sh");
            assert!(
                out.status.success(),
                "scripts/otio-venv.sh failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        })
        .clone()
}

/// A `seconds`-long 320x180 24 fps clip.
fn clip(path: &Path, source: &str, seconds: &str) {
    lavfi_clip(path, &format!("{source}=size=320x180:rate=24"), seconds);
}

/// The cut under test: its studio, media folder and timeline base path.
pub struct Cut {
    pub studio: Studio,
    pub media: PathBuf,
    /// `…/cut/cut`: the `.otio` and `.edl` beside each other.
    pub base: PathBuf,
    pub policy: PathBuf,
}

impl Cut {
    pub fn timeline(&self, ext: &str) -> PathBuf {
        self.base.with_extension(ext)
    }
}

/// Stamp the media, then have the reference implementation write the cut.
pub fn cut() -> Cut {
    let studio = Studio::new("Northwind Pictures");
    let (bob_key, bob_chain) = studio.issue("Bob Diaz", "bob@studio.test");
    let (carol_key, carol_chain) = studio.issue("Carol Ito", "carol@studio.test");
    let alice = Operator {
        key: &studio.key,
        chain: &studio.chain,
    };
    let bob = Operator {
        key: &bob_key,
        chain: &bob_chain,
    };
    let carol = Operator {
        key: &carol_key,
        chain: &carol_chain,
    };
    let media = studio.subdir("media");
    let m = |n: &str| media.join(n);
    clip(&m("a.mp4"), "testsrc2", "4");
    stamp(
        &alice,
        &m("a.mp4"),
        &[RUNWAY, &["--prompt", "a fox", "--selection", "1/12"]].concat(),
    );
    clip(&m("b.mp4"), "mandelbrot", "4");
    let first = studio.subdir("refs").join("first.png");
    crate::support::frame(&first, 5);
    let control = format!("first_frame={}", s(&first));
    stamp(
        &bob,
        &m("b.mp4"),
        &[
            KLING,
            &[
                "--role",
                "control",
                "--prompt",
                "runs",
                "--control",
                &control,
            ],
        ]
        .concat(),
    );
    // Autonomous: an operator, but no prompt, control or selection.
    clip(&m("auto.mp4"), "life", "4");
    stamp(
        &bob,
        &m("auto.mp4"),
        &[KLING, &["--role", "control"]].concat(),
    );
    clip(&m("plate.mp4"), "smptebars", "4");
    // A non-commercial generation, and a trusted proxy of it.
    clip(&m("nc.mp4"), "rgbtestsrc", "4");
    let nc = [
        "--tool",
        "FreeGen",
        "--license",
        "freegen-nc",
        "--commercial-use",
        "no",
    ];
    stamp(
        &carol,
        &m("nc.mp4"),
        &[&nc[..], &["--prompt", "a storm"]].concat(),
    );
    proxy(&m("nc.mp4"), &m("nc_proxy.mp4"), &alice);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=220:sample_rate=48000",
        "-t",
        "10",
        s(&m("score.wav")),
    ]);
    stamp(
        &carol,
        &m("score.wav"),
        &[
            "--tool",
            "Suno",
            "--license",
            "suno-pro",
            "--commercial-use",
            "yes",
            "--role",
            "audio",
        ],
    );
    let url = |n: &str| url_of(&m(n));
    let c = |name: &str, start: f64, dur: f64| json!({"clip": name, "url": url(name), "start": start, "dur": dur});
    let spec = json!({
        "name": "reel 1",
        "rate": 24,
        "video": [
            c("a.mp4", 0.0, 2.0), c("b.mp4", 0.5, 3.0), {"gap": 1.0}, c("auto.mp4", 0.0, 1.5),
            c("plate.mp4", 0.0, 2.0), {"transition": 1.0}, c("nc_proxy.mp4", 1.0, 2.0),
            c("a.mp4", 2.0, 1.0), c("gone.mp4", 0.0, 1.0),
        ],
        "audio": [c("score.wav", 0.0, 10.0)],
    });
    let dir = studio.subdir("cut");
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).expect("write spec");
    let base = dir.join("cut");
    let out = StdCommand::new(reference_python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/make-cut.py"))
        .arg(&spec_path)
        .arg(&base)
        .output()
        .expect("run make-cut.py");
    assert!(
        out.status.success(),
        "make-cut.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let policy = dir.join("policy.toml");
    std::fs::write(
        &policy,
        "commercial = true\nmax_unsigned_seconds = 2.0\nmax_autonomous_runtime_share = 0.5\nmin_human_control_level = 1\n[role_weights]\nprompt_design = 40\ncontrol = 30\naudio = 30\n",
    )
    .expect("write policy");
    Cut {
        studio,
        media,
        base,
        policy,
    }
}

fn url_of(path: &Path) -> String {
    format!("file://{}", s(path))
}

/// `audit --timeline T --json` over the media folder.
pub fn audit(cut: &Cut, timeline: &Path) -> (Value, i32) {
    let out = credits()
        .arg("audit")
        .arg(&cut.media)
        .arg("--timeline")
        .arg(timeline)
        .arg("--trust")
        .arg(&cut.studio.trust)
        .arg("--policy")
        .arg(&cut.policy)
        .arg("--json")
        .output()
        .expect("run audit");
    (parse(&out), out.status.code().unwrap_or(-1))
}

#[test]
fn otio_and_edl_of_one_cut_give_the_same_screen_time_and_breaches() {
    let cut = cut();
    let (otio, code) = audit(&cut, &cut.timeline("otio"));
    assert_eq!(code, 1, "the cut breaks its policy");
    let (edl, _) = audit(&cut, &cut.timeline("edl"));
    let t = &otio["timeline"];
    let v = &t["video"];
    // a 2 + b 3 + auto 1.5 + plate 1.5 (to the dissolve) + proxy 2.5 + a 1 + gone 1.
    assert_eq!(v["runtime_seconds"], 12.5);
    assert_eq!(
        v["by_verdict"],
        json!({"trusted": 10.0, "unsigned": 1.5, "missing": 1.0})
    );
    assert_eq!(
        v["by_control"],
        json!({"level_0": 1.5, "level_1": 2.5, "level_2": 6.0, "unknown": 1.5, "missing": 1.0})
    );
    assert_eq!(v["autonomous_seconds"], 1.5);
    assert_eq!(v["autonomous_share"], 0.12);
    let people: Vec<(String, String, f64, f64)> = v["by_person"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| {
            (
                p["operator"].as_str().unwrap_or("").to_string(),
                p["role"].as_str().unwrap_or("").to_string(),
                p["seconds"].as_f64().unwrap_or(-1.0),
                p["weighted_seconds"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(
        people,
        vec![
            (
                "alice@studio.test".into(),
                "prompt_design".into(),
                3.0,
                120.0
            ),
            ("bob@studio.test".into(), "control".into(), 4.5, 135.0),
            // The proxy shows Carol's non-commercial generation.
            (
                "carol@studio.test".into(),
                "prompt_design".into(),
                2.5,
                100.0
            ),
        ]
    );
    // One clip used twice: both uses count, with their timecodes.
    let twice = v["by_asset"]
        .as_array()
        .expect("by_asset")
        .iter()
        .find(|r| r["asset"].as_str().is_some_and(|a| a.ends_with("/a.mp4")))
        .expect("a.mp4 on screen");
    assert_eq!(twice["seconds"], 3.0);
    assert_eq!(
        twice["uses"],
        json!(["00:00:00:00–00:00:02:00", "00:00:11:12–00:00:12:12"])
    );
    let a = &t["audio"];
    assert_eq!(a["runtime_seconds"], 10.0);
    assert_eq!(a["by_verdict"], json!({"trusted": 10.0}));
    assert_eq!(a["autonomous_share"], 1.0);
    let lines: Vec<&str> = t["breaches"]
        .as_array()
        .expect("breaches")
        .iter()
        .filter_map(|b| b["line"].as_str())
        .collect();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert!(
        lines[0]
            .starts_with("00:00:00:00–00:00:10:00 score.wav AI-generated at human-control level 0"),
        "{lines:#?}"
    );
    assert!(
        lines[1]
            .starts_with("00:00:06:00–00:00:07:12 auto.mp4 AI-generated at human-control level 0"),
        "{lines:#?}"
    );
    assert!(
        lines[2].starts_with("00:00:09:00–00:00:11:12 nc_proxy.mp4 ")
            && lines[2].contains("does not allow commercial use"),
        "{lines:#?}"
    );
    assert!(
        lines[3].starts_with("00:00:12:12–00:00:13:12 gone.mp4 missing"),
        "{lines:#?}"
    );
    let reasons = otio["reasons"].as_array().expect("reasons");
    assert!(
        reasons.iter().any(|r| {
            r.as_str().is_some_and(|r| {
                r.contains("of audio (100.0%) is AI-generated with no human control")
            })
        }),
        "{reasons:#?}"
    );
    // The unsigned plate (1.5 s) is within max_unsigned_seconds.
    assert!(!lines.iter().any(|l| l.contains("plate.mp4")));
    assert_eq!(t["unused"].as_array().map(Vec::len), Some(1));
    assert!(t["unused"][0]
        .as_str()
        .is_some_and(|u| u.ends_with("nc.mp4")));
    for key in ["video", "audio", "breaches", "unused", "reasons"] {
        assert_eq!(
            otio["timeline"][key], edl["timeline"][key],
            "{key} differs between .otio and .edl"
        );
    }
    assert_eq!(otio["reasons"], edl["reasons"]);
}

#[test]
fn a_signed_timeline_names_its_editor_and_the_human_report_lists_breaches() {
    let cut = cut();
    let otio = cut.timeline("otio");
    let (before, _) = audit(&cut, &otio);
    assert_eq!(before["timeline"]["signed"]["verdict"], "unsigned");
    credits()
        .arg("stamp")
        .arg(&otio)
        .args([
            "--in-place",
            "--tool",
            "OpenTimelineIO",
            "--role",
            "editing",
            "--key",
        ])
        .arg(&cut.studio.key)
        .arg("--chain")
        .arg(&cut.studio.chain)
        .assert()
        .success();
    let (after, _) = audit(&cut, &otio);
    // The cut alone (no PATH): its media are what is audited.
    let alone = credits()
        .arg("audit")
        .arg("--timeline")
        .arg(&otio)
        .arg("--trust")
        .arg(&cut.studio.trust)
        .arg("--json")
        .output()
        .expect("run audit");
    let alone = parse(&alone);
    assert_eq!(alone["summary"]["files"], 6, "{}", alone["findings"]);
    assert!(!alone["findings"].to_string().contains("nothing_audited"));
    let signed = &after["timeline"]["signed"];
    assert_eq!(signed["verdict"], "trusted", "{signed}");
    assert_eq!(signed["role"], "editing");
    assert_eq!(signed["operator"], "Alice Chen");
    let out = credits()
        .arg("audit")
        .arg(&cut.media)
        .arg("--timeline")
        .arg(&otio)
        .arg("--trust")
        .arg(&cut.studio.trust)
        .arg("--policy")
        .arg(&cut.policy)
        .output()
        .expect("run audit");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(
        text.contains("00:00:12:12–00:00:13:12 gone.mp4 missing"),
        "{text}"
    );
    assert!(
        text.contains("signed by Alice Chen (editing), trusted"),
        "{text}"
    );
}

#[test]
fn a_timeline_that_does_not_parse_exits_2_and_cut_keys_need_a_timeline() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("bad");
    let edl = dir.join("cut.edl");
    std::fs::write(
        &edl,
        "TITLE: x\n001  AX V C 00:00:00:00 00:00:99:00 00:00:00:00 00:00:01:00\n",
    )
    .expect("write");
    let out = credits()
        .arg("audit")
        .arg("--timeline")
        .arg(&edl)
        .output()
        .expect("run audit");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2") && err.contains("out of range") && err.contains("hint:"),
        "{err}"
    );
    // Cut-only policy keys are not silently passed by a folder audit.
    crate::support::frame(&dir.join("f.png"), 1);
    let policy = dir.join("p.toml");
    std::fs::write(
        &policy,
        "require_trusted = false\nmin_human_control_level = 1\n",
    )
    .expect("write");
    let out = credits()
        .arg("audit")
        .arg(dir.join("f.png"))
        .arg("--policy")
        .arg(&policy)
        .arg("--json")
        .output()
        .expect("run audit");
    assert_eq!(out.status.code(), Some(1));
    let reasons = parse(&out)["reasons"].to_string();
    assert!(
        reasons.contains("min_human_control_level, which only an audit with --timeline can judge"),
        "{reasons}"
    );
}
