//! `credits audit` on the fixture film (`film.rs`): the findings, levels
//! and shares are exact; the HTML and Markdown reports, policies, walks and
//! chain breaks.

use std::path::Path;

use predicates::str::contains;

use crate::film::{audit_json, clip, film, name};
use crate::support::{credits, frame, json, Studio};

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
            ("shot01.mp4".to_string(), "label_and_sha256".to_string()),
            ("shot02.mp4".to_string(), "label_and_sha256".to_string()),
            ("shot03.mp4".to_string(), "label_and_sha256".to_string()),
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
        // Her transcoded proxy carries its source's level and earns no share.
        "compositing 0/100 × 1/1 assets + audio 30/100 × 1/1 assets = 30.00%"
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
