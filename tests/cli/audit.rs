//! `credits audit` on a fixture film built by a recipe: three operators,
//! prompt-only shots, shots with controls and selection, a composited final
//! cut, a tampered shot, an unsigned plate, a non-commercial tool, a foreign
//! signer, and a transcoded proxy. The findings, levels and shares are exact.

use std::path::{Path, PathBuf};

use predicates::str::contains;

use crate::support::{credits, ffmpeg, flip_media_byte, frame, json, path_str as s, Studio};

/// A 2-second 320x180 clip from an ffmpeg source.
fn clip(path: &Path, source: &str) {
    let filter = format!("{source}=size=320x180:rate=24,noise=alls=15:allf=t");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &filter,
        "-t",
        "2",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        s(path),
    ]);
}

/// One operator's identity for stamping.
struct Operator<'a> {
    key: &'a Path,
    chain: &'a Path,
}

/// Stamp `file` in place as `who` with `args`.
fn stamp(who: &Operator, file: &Path, args: &[&str]) {
    credits()
        .arg("stamp")
        .arg(file)
        .arg("--in-place")
        .arg("--key")
        .arg(who.key)
        .arg("--chain")
        .arg(who.chain)
        .args(args)
        .assert()
        .success();
}

const RUNWAY: &[&str] = &[
    "--tool",
    "Runway",
    "--license",
    "runway-pro",
    "--commercial-use",
    "yes",
];
const KLING: &[&str] = &[
    "--tool",
    "Kling",
    "--license",
    "kling-pro",
    "--commercial-use",
    "yes",
];

struct Film {
    studio: Studio,
    _rogue: Studio,
    dir: PathBuf,
    policy: PathBuf,
}

/// The fixture film, built from scratch in a temporary directory.
fn film() -> Film {
    let studio = Studio::new("Northwind Pictures");
    let rogue = Studio::new("Rogue Studio");
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
    let mallory = Operator {
        key: &rogue.key,
        chain: &rogue.chain,
    };
    let dir = studio.subdir("film");
    let refs = studio.subdir("refs");
    let first = refs.join("first.png");
    frame(&first, 7);
    let f = |name: &str| dir.join(name);

    clip(&f("shot01.mp4"), "testsrc2");
    stamp(
        &alice,
        &f("shot01.mp4"),
        &[RUNWAY, &["--prompt", "a fox at dawn"]].concat(),
    );
    clip(&f("shot02.mp4"), "mandelbrot");
    let control = format!("first_frame={}", s(&first));
    stamp(
        &bob,
        &f("shot02.mp4"),
        &[
            KLING,
            &[
                "--role",
                "control",
                "--prompt",
                "fox runs",
                "--control",
                &control,
                "--selection",
                "1/24",
            ],
        ]
        .concat(),
    );
    clip(&f("shot03.mp4"), "life");
    stamp(
        &alice,
        &f("shot03.mp4"),
        &[RUNWAY, &["--prompt", "snow falls", "--selection", "1/8"]].concat(),
    );
    clip(&f("shot04.mp4"), "cellauto");
    stamp(
        &bob,
        &f("shot04.mp4"),
        &[KLING, &["--role", "control"]].concat(),
    );
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=330:sample_rate=48000",
        "-t",
        "2",
        s(&f("score.wav")),
    ]);
    stamp(
        &carol,
        &f("score.wav"),
        &[
            "--tool",
            "Suno",
            "--license",
            "suno-pro",
            "--commercial-use",
            "yes",
            "--role",
            "audio",
            "--prompt",
            "sparse piano",
        ],
    );
    frame(&f("plate.png"), 3);
    clip(&f("shot05.mp4"), "testsrc");
    stamp(
        &alice,
        &f("shot05.mp4"),
        &[RUNWAY, &["--prompt", "a lighthouse"]].concat(),
    );
    flip_media_byte(&f("shot05.mp4"));
    clip(&f("shot06.mp4"), "rgbtestsrc");
    stamp(
        &bob,
        &f("shot06.mp4"),
        &[
            "--tool",
            "FreeGen",
            "--license",
            "freegen-nc",
            "--commercial-use",
            "no",
            "--role",
            "control",
            "--prompt",
            "a storm",
        ],
    );
    clip(&f("shot07.mp4"), "smptebars");
    stamp(
        &mallory,
        &f("shot07.mp4"),
        &[RUNWAY, &["--prompt", "a stranger"]].concat(),
    );

    // A proxy transcoded from shot01, signed as a derivation by Carol.
    ffmpeg(&[
        "-i",
        s(&f("shot01.mp4")),
        "-vf",
        "scale=-2:120",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        s(&f("shot01_proxy.mp4")),
    ]);
    credits()
        .arg("derive")
        .arg(f("shot01_proxy.mp4"))
        .arg("--from")
        .arg(f("shot01.mp4"))
        .args([
            "--action",
            "transcoded",
            "--tool",
            "ffmpeg",
            "--license",
            "LGPL-2.1",
            "--commercial-use",
            "yes",
            "--key",
        ])
        .arg(carol.key)
        .arg("--chain")
        .arg(carol.chain)
        .assert()
        .success();

    // The final cut: shots 1-3 and the plate composited by Carol.
    let list = studio.dir.path().join("concat.txt");
    let lines: String = ["shot01.mp4", "shot02.mp4", "shot03.mp4"]
        .iter()
        .map(|n| format!("file '{}'\n", s(&f(n))))
        .collect();
    std::fs::write(&list, lines).expect("write list");
    ffmpeg(&[
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        s(&list),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        s(&f("final_cut.mp4")),
    ]);
    let mut args = vec![
        "--tool",
        "DaVinci Resolve",
        "--license",
        "resolve-studio",
        "--commercial-use",
        "yes",
        "--role",
        "compositing",
    ];
    let parts: Vec<String> = ["shot01.mp4", "shot02.mp4", "shot03.mp4", "plate.png"]
        .iter()
        .map(|n| s(&f(n)).to_string())
        .collect();
    for p in &parts {
        args.extend(["--ingredient", p.as_str()]);
    }
    stamp(&carol, &f("final_cut.mp4"), &args);

    let policy = studio.dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "require_trusted = true\ncommercial = true\nmax_autonomous_share = 0.5\n\n[role_weights]\nprompt_design = 40\ncontrol = 30\naudio = 30\n",
    )
    .expect("write policy");
    Film {
        studio,
        _rogue: rogue,
        dir,
        policy,
    }
}

fn audit_json(film: &Film) -> serde_json::Value {
    let output = credits()
        .arg("audit")
        .arg(&film.dir)
        .arg("--trust")
        .arg(&film.studio.trust)
        .arg("--policy")
        .arg(&film.policy)
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    json(&output)
}

fn name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[test]
fn fixture_film_gets_exact_findings_levels_and_shares() {
    let film = film();
    let r = audit_json(&film);
    assert_eq!(r["schema_version"], 1);
    let sm = &r["summary"];
    assert_eq!(
        (
            sm["files"].as_u64(),
            sm["trusted"].as_u64(),
            sm["valid_untrusted"].as_u64(),
            sm["invalid"].as_u64(),
            sm["unsigned"].as_u64()
        ),
        (Some(11), Some(8), Some(1), Some(1), Some(1))
    );
    assert_eq!(
        (sm["ai_generated"].as_u64(), sm["unknown_origin"].as_u64()),
        (Some(10), Some(1))
    );

    // Findings: (file, severity, code), exactly.
    let mut findings: Vec<(String, String, String)> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                name(f["asset"].as_str().expect("asset")).to_string(),
                f["severity"].as_str().expect("severity").to_string(),
                f["code"].as_str().expect("code").to_string(),
            )
        })
        .collect();
    findings.sort();
    let expected: Vec<(String, String, String)> = [
        ("plate.png", "error", "unsigned"),
        ("shot04.mp4", "info", "ai_autonomous"),
        ("shot05.mp4", "error", "invalid"),
        ("shot06.mp4", "error", "non_commercial_tool"),
        ("shot07.mp4", "error", "untrusted_signer"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(findings, expected);
    let invalid = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "invalid")
        .expect("invalid");
    assert!(invalid["message"]
        .as_str()
        .expect("msg")
        .contains("assertion.bmffHash.mismatch"));

    // Human-control level per asset.
    let level = |file: &str| {
        r["assets"]
            .as_array()
            .expect("assets")
            .iter()
            .find(|a| a["path"].as_str().is_some_and(|p| name(p) == file))
            .map(|a| a["level"].clone())
            .expect("asset")
    };
    for (file, l) in [
        ("shot01.mp4", 1),
        ("shot02.mp4", 2),
        ("shot03.mp4", 2),
        ("shot04.mp4", 0),
        ("score.wav", 1),
        ("shot05.mp4", 1),
        ("shot06.mp4", 1),
        ("shot07.mp4", 1),
        ("shot01_proxy.mp4", 1),
        ("final_cut.mp4", 3),
    ] {
        assert_eq!(level(file), l, "{file}");
    }
    assert_eq!(level("plate.png"), serde_json::Value::Null);
    let levels: Vec<(u64, f64)> = r["levels"]
        .as_array()
        .expect("levels")
        .iter()
        .map(|l| {
            (
                l["assets"].as_u64().expect("n"),
                l["seconds"].as_f64().expect("s"),
            )
        })
        .collect();
    assert_eq!(levels, [(1, 2.0), (6, 10.0), (2, 4.0), (1, 6.0)]);
    assert_eq!(r["autonomous_share"], 0.1);

    // Edges of the final cut: shots by manifest label, the unsigned plate by hash.
    let edges: Vec<(String, String)> = r["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| {
            e["from"]
                .as_str()
                .is_some_and(|f| f.ends_with("final_cut.mp4"))
        })
        .map(|e| {
            (
                name(e["to"].as_str().expect("to")).to_string(),
                e["matched_by"].as_str().expect("m").to_string(),
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            ("plate.png".to_string(), "sha256".to_string()),
            ("shot01.mp4".to_string(), "manifest_label".to_string()),
            ("shot02.mp4".to_string(), "manifest_label".to_string()),
            ("shot03.mp4".to_string(), "manifest_label".to_string()),
        ]
    );

    // Contributions: 40/30/30 by role, split by trusted assets.
    let shares: Vec<(String, f64)> = r["shares"]
        .as_array()
        .expect("shares")
        .iter()
        .map(|s| {
            (
                s["operator"].as_str().expect("op").to_string(),
                s["percent"].as_f64().expect("pct"),
            )
        })
        .collect();
    assert_eq!(
        shares,
        [
            ("alice@studio.test".to_string(), 40.0),
            ("bob@studio.test".to_string(), 30.0),
            ("carol@studio.test".to_string(), 30.0),
        ]
    );
    let total: f64 = shares.iter().map(|(_, p)| p).sum();
    assert!((total - 100.0).abs() < 1e-9);
    let carol = r["shares"]
        .as_array()
        .expect("shares")
        .iter()
        .find(|s| s["operator"] == "carol@studio.test")
        .expect("carol");
    assert_eq!(
        carol["computation"],
        "editing 0/100 × 1/1 assets + compositing 0/100 × 1/1 assets + audio 30/100 × 1/1 assets = 30.00%"
    );
    let bob: Vec<_> = r["contributions"]
        .as_array()
        .expect("c")
        .iter()
        .filter(|c| c["operator"] == "bob@studio.test")
        .collect();
    assert_eq!(bob.len(), 1);
    assert_eq!(
        (
            bob[0]["role"].as_str(),
            bob[0]["assets"].as_u64(),
            bob[0]["seconds"].as_f64()
        ),
        (Some("control"), Some(3), Some(6.0))
    );

    assert_eq!(r["accepted"], false);
    assert_eq!(r["reasons"].as_array().expect("reasons").len(), 4);
}

#[test]
fn html_report_is_self_contained_and_shows_every_asset() {
    let film = film();
    let out = film.studio.dir.path().join("report.html");
    credits()
        .arg("audit")
        .arg(&film.dir)
        .arg("--trust")
        .arg(&film.studio.trust)
        .args(["--format", "html", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let html = std::fs::read_to_string(&out).expect("report");
    // To look at the fixture's report in a browser: CREDITS_KEEP_REPORT=/tmp/report.html
    if let Some(keep) = std::env::var_os("CREDITS_KEEP_REPORT") {
        std::fs::write(keep, &html).expect("keep report");
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&html, options).expect("well-formed HTML");
    assert!(
        !html.contains("http://") || !html.contains("src="),
        "no external assets"
    );
    assert!(!html.contains("<script"), "no script");
    let drawn: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("g"))
        .filter_map(|n| n.attribute("data-asset"))
        .collect();
    let report = json(
        &credits()
            .arg("audit")
            .arg(&film.dir)
            .arg("--trust")
            .arg(&film.studio.trust)
            .args(["--format", "json"])
            .output()
            .expect("run"),
    );
    let ids: Vec<&str> = report["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert!(ids.len() >= 11);
    for id in &ids {
        assert!(drawn.contains(id), "{id} is not drawn");
    }
}

#[test]
fn markdown_report_lists_the_tables() {
    let film = film();
    credits()
        .arg("audit")
        .arg(&film.dir)
        .arg("--trust")
        .arg(&film.studio.trust)
        .args(["--format", "md"])
        .assert()
        .code(1)
        .stdout(contains("# Asset-chain audit: rejected"))
        .stdout(contains(
            "| 3 | plus human editing or compositing steps | 1 |",
        ))
        .stdout(contains("non_commercial_tool"));
}

#[test]
fn verify_policy_rejects_with_every_reason() {
    let film = film();
    credits()
        .arg("verify")
        .arg("--trust")
        .arg(&film.studio.trust)
        .arg("--policy")
        .arg(&film.policy)
        .arg(film.dir.join("shot06.mp4"))
        .arg(film.dir.join("shot01.mp4"))
        .assert()
        .code(1)
        .stderr(contains("policy: "))
        .stderr(contains("does not allow commercial use"));
    credits()
        .arg("verify")
        .arg("--trust")
        .arg(&film.studio.trust)
        .arg("--policy")
        .arg(&film.policy)
        .arg(film.dir.join("shot01.mp4"))
        .assert()
        .code(0);
}

#[test]
fn invalid_policy_is_exit_2_with_the_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let policy = dir.path().join("bad.toml");
    std::fs::write(&policy, "commercial = true\nrequire_trusted = \"yes\"\n").expect("write");
    credits()
        .arg("audit")
        .arg(dir.path())
        .arg("--policy")
        .arg(&policy)
        .assert()
        .code(2)
        .stderr(contains("line 2"));
}

#[test]
fn walk_does_not_follow_symlinks_out_of_the_tree() {
    let studio = Studio::new("Northwind Pictures");
    let outside = studio.subdir("outside");
    frame(&outside.join("secret.png"), 1);
    let tree = studio.subdir("tree");
    frame(&tree.join("plate.png"), 2);
    std::os::unix::fs::symlink(&outside, tree.join("link")).expect("symlink");
    std::os::unix::fs::symlink(&tree, tree.join("loop")).expect("symlink");
    let output = credits()
        .arg("audit")
        .arg(&tree)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let r = json(&output);
    assert_eq!(r["summary"]["files"], 1);
    assert_eq!(r["skipped"].as_array().map(Vec::len), Some(2));
}

#[test]
fn derived_file_without_its_source_is_a_chain_break() {
    let film = film();
    let lone = film.studio.subdir("delivery");
    std::fs::copy(
        film.dir.join("shot01_proxy.mp4"),
        lone.join("shot01_proxy.mp4"),
    )
    .expect("copy");
    let audit = |dir: &Path| {
        json(
            &credits()
                .arg("audit")
                .arg(dir)
                .arg("--trust")
                .arg(&film.studio.trust)
                .args(["--format", "json"])
                .output()
                .expect("run"),
        )
    };
    let r = audit(&lone);
    let codes: Vec<&str> = r["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(codes, ["source_missing"]);
    // A different file under the source's name is not the source.
    clip(&lone.join("shot01.mp4"), "testsrc2");
    let r = audit(&lone);
    let codes: Vec<&str> = r["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"source_differs"), "{codes:?}");
}
