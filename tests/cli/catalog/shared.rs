//! The shared catalog (issue 18), on SQLite and on PostgreSQL: many
//! stamping processes at once, a stamper killed mid-batch, an unreachable
//! catalog, schema migration, stats, and `audit --index`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use crate::engines::Engine;
use crate::support::{credits, frame, json, listing, small_frame, Studio};

/// `n` tiny frames in `dir`, seeded from `seed`.
fn frames(dir: &Path, n: u32, seed: u32) -> PathBuf {
    std::fs::create_dir_all(dir).expect("mkdir");
    for i in 0..n {
        small_frame(&dir.join(format!("f{i:03}.png")), seed * 1000 + i);
    }
    dir.to_path_buf()
}

/// `credits stamp DIR --out OUT --index CATALOG`, spawned.
fn spawn_stamp(studio: &Studio, input: &Path, out: &Path, catalog: &str) -> Child {
    studio
        .signing("stamp", input, out)
        .arg("--index")
        .arg(catalog)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn credits")
}

/// The signed files in `out` (our temporaries left out).
fn landed(out: &Path) -> BTreeSet<String> {
    listing(out)
        .into_iter()
        .filter(|n| !n.ends_with(".credits-tmp"))
        .map(|n| {
            out.join(n)
                .canonicalize()
                .expect("abs")
                .display()
                .to_string()
        })
        .collect()
}

fn concurrent_stampers_add_every_file_once(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let catalog = engine.catalog(studio.dir.path());
    let mut children = Vec::new();
    let mut outs = Vec::new();
    for p in 0..8u32 {
        let src = frames(&studio.dir.path().join(format!("src{p}")), 250, p);
        let out = studio.subdir(&format!("out{p}"));
        children.push(spawn_stamp(&studio, &src, &out, &catalog));
        outs.push(out);
    }
    for child in children {
        let o = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(!err.contains("error"), "{err}");
    }
    let entries = engine.entries(&catalog);
    assert_eq!(entries.len(), 2000);
    let labels: BTreeSet<&String> = entries.iter().map(|(l, _)| l).collect();
    assert_eq!(labels.len(), 2000, "no manifest label twice");
    let paths: BTreeSet<String> = entries.into_iter().map(|(_, p)| p).collect();
    let files: BTreeSet<String> = outs.iter().flat_map(|o| landed(o)).collect();
    assert_eq!(paths, files, "one entry per signed file");
}

fn a_killed_stamper_leaves_no_entry_for_a_file_that_did_not_land(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let catalog = engine.catalog(studio.dir.path());
    let src = frames(&studio.dir.path().join("src"), 250, 7);
    let out = studio.subdir("out");
    let mut child = spawn_stamp(&studio, &src, &out, &catalog);
    let start = Instant::now();
    while landed(&out).len() < 40 {
        assert!(start.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(37));
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let files = landed(&out);
    assert!(files.len() < 250, "killed before the end: {}", files.len());
    let paths = || -> BTreeSet<String> {
        engine
            .entries(&catalog)
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    };
    let entries = paths();
    assert!(
        entries.is_subset(&files),
        "an entry for a file that did not land: {:?}",
        entries.difference(&files).collect::<Vec<_>>()
    );
    // Only a file between its rename and its commit (one per worker at
    // most) can have landed without its entry; `index add` replays it.
    let workers = 2 * std::thread::available_parallelism().map_or(1, |n| n.get());
    let unrecorded: Vec<&String> = files.difference(&entries).collect();
    assert!(
        unrecorded.len() <= workers,
        "{} landed unrecorded",
        unrecorded.len()
    );
    let replay = credits()
        .args(["index", "add", "--index", &catalog, "--trust"])
        .arg(&studio.trust)
        .args(&files)
        .output()
        .expect("index add");
    assert_eq!(
        replay.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    assert_eq!(
        paths(),
        files,
        "after index add, the catalog holds exactly the landed files"
    );
}

/// An unreachable catalog for `engine`, and what its error names.
fn unreachable(engine: Engine, dir: &Path) -> (String, String) {
    match engine {
        Engine::Sqlite => {
            let db = dir.join("no/such/dir/catalog.db");
            (db.display().to_string(), "no/such/dir".into())
        }
        Engine::Postgres => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .expect("bind")
                .local_addr()
                .expect("addr")
                .port();
            (
                format!("postgres://credits@127.0.0.1:{port}/films"),
                format!("127.0.0.1:{port}"),
            )
        }
    }
}

fn an_unreachable_catalog_never_costs_the_signed_file(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let src = frames(&studio.dir.path().join("src"), 2, 3);
    let out = studio.subdir("out");
    let (bad, named) = unreachable(engine, studio.dir.path());
    let o = studio
        .signing("stamp", &src, &out)
        .arg("--index")
        .arg(&bad)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&named), "names the catalog: {err}");
    assert!(err.contains("hint: "), "{err}");
    assert!(err.contains("credits index add"), "{err}");
    let signed: Vec<PathBuf> = listing(&out).iter().map(|n| out.join(n)).collect();
    assert_eq!(signed.len(), 2);
    for f in &signed {
        assert_eq!(studio.verdict(f)["state"], "trusted");
    }
    // Replayed into a catalog that works.
    let catalog = engine.catalog(studio.dir.path());
    credits()
        .args(["index", "add", "--index", &catalog])
        .args(&signed)
        .assert()
        .success();
    assert_eq!(engine.entries(&catalog).len(), 2);
}

fn stats_count_per_tool_operator_licence_and_admission(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let catalog = engine.catalog(studio.dir.path());
    let src = frames(&studio.dir.path().join("src"), 3, 5);
    let out = studio.subdir("out");
    studio
        .stamp()
        .arg(&src)
        .args(["--license", "runway-commercial", "--out"])
        .arg(&out)
        .args(["--index", &catalog])
        .assert()
        .success();
    let other = studio.dir.path().join("kling.png");
    frame(&other, 4);
    let (key, chain) = studio.issue("Bea Ortiz", "bea@studio.test");
    credits()
        .arg("stamp")
        .arg(&other)
        .arg("--in-place")
        .arg("--key")
        .arg(&key)
        .arg("--chain")
        .arg(&chain)
        .args(["--tool", "Kling"])
        .assert()
        .success();
    credits()
        .args(["index", "add", "--index", &catalog, "--trust"])
        .arg(&studio.trust)
        .arg(&other)
        .assert()
        .success();
    let o = credits()
        .args(["index", "stats", "--json", "--index", &catalog])
        .output()
        .expect("run");
    let s = json(&o);
    assert_eq!(s["assets"], 4, "{s}");
    assert_eq!(s["catalog_schema"], 2);
    assert_eq!(
        s["by_tool"],
        serde_json::json!([["Runway", 3], ["Kling", 1]])
    );
    assert_eq!(
        s["by_operator"],
        serde_json::json!([["Alice Chen", 3], ["Bea Ortiz", 1]])
    );
    assert_eq!(
        s["by_licence"],
        serde_json::json!([["runway-commercial", 3], ["(none)", 1]])
    );
    assert_eq!(
        s["by_admission"],
        serde_json::json!([["stamped", 3], ["trusted", 1]])
    );
    credits()
        .args(["index", "stats", "--index", &catalog])
        .assert()
        .success()
        .stdout(contains("4 assets"))
        .stdout(contains("Bea Ortiz"));
}

fn audit_finds_an_ingredient_in_the_catalog_not_in_the_delivery(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let catalog = engine.catalog(studio.dir.path());
    let (plate, delivery) = studio.graded_delivery(11, &["--index", &catalog]);
    let audit = |index: Option<&str>| {
        let mut cmd = credits();
        cmd.arg("audit")
            .arg(&delivery)
            .arg("--trust")
            .arg(&studio.trust)
            .arg("--json");
        if let Some(i) = index {
            cmd.args(["--index", i]);
        }
        json(&cmd.output().expect("audit"))
    };
    let codes = |r: &serde_json::Value| -> Vec<String> {
        r["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["code"].as_str().expect("code").to_string())
            .collect()
    };
    let without = audit(None);
    assert!(
        codes(&without).contains(&"source_missing".into()),
        "{without}"
    );
    let with = audit(Some(&catalog));
    let found = codes(&with);
    assert!(!found.contains(&"source_missing".into()), "{with}");
    assert!(found.contains(&"source_in_catalog".into()), "{with}");
    let node = with["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .find(|a| a["kind"] == "manifest")
        .expect("the plate, known from the manifest");
    assert_eq!(
        node["catalog"]["path"].as_str().map(PathBuf::from),
        Some(plate.canonicalize().expect("abs"))
    );
    assert_eq!(node["catalog"]["admission"], "stamped");
}

crate::on_both_engines!(
    concurrent_stampers_add_every_file_once,
    a_killed_stamper_leaves_no_entry_for_a_file_that_did_not_land,
    an_unreachable_catalog_never_costs_the_signed_file,
    stats_count_per_tool_operator_licence_and_admission,
    audit_finds_an_ingredient_in_the_catalog_not_in_the_delivery,
);

/// The schema of catalogs before issue 18 (one table keyed by manifest
/// label; the `iscc` column added by issue 13).
const SCHEMA_1: &str = "
CREATE TABLE assets (
    manifest_label TEXT PRIMARY KEY,
    path           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    signer         TEXT,
    record_json    TEXT,
    fingerprint    BLOB NOT NULL,
    manifest_store BLOB NOT NULL,
    added_at       TEXT NOT NULL,
    iscc           TEXT
);
CREATE INDEX assets_sha256 ON assets(sha256);
";

#[test]
fn a_schema_1_catalog_is_upgraded_in_place_and_a_newer_one_refused() {
    let studio = Studio::new("Northwind Pictures");
    let plate = studio.dir.path().join("plate.png");
    frame(&plate, 21);
    let current = studio.dir.path().join("current.db");
    studio
        .stamp()
        .arg(&plate)
        .arg("--in-place")
        .arg("--index")
        .arg(&current)
        .assert()
        .success();
    // The same asset, as the old code stored it.
    let old = studio.dir.path().join("old.db");
    let conn = rusqlite::Connection::open(&old).expect("open");
    conn.execute_batch(SCHEMA_1).expect("schema 1");
    conn.execute(
        "ATTACH DATABASE ?1 AS current",
        [current.to_str().expect("utf-8")],
    )
    .expect("attach");
    conn.execute_batch(
        "INSERT INTO assets SELECT manifest_label, path, sha256, signer, record_json,
         fingerprint, manifest_store, added_at, iscc FROM current.assets; DETACH DATABASE current",
    )
    .expect("copy");
    drop(conn);
    let old_s = old.to_str().expect("utf-8");
    let migrate = || {
        json(
            &credits()
                .args(["index", "migrate", "--json", "--index", old_s])
                .output()
                .expect("migrate"),
        )
    };
    let m = migrate();
    assert_eq!(
        (m["from"].as_u64(), m["to"].as_u64()),
        (Some(1), Some(2)),
        "{m}"
    );
    let m = migrate();
    assert_eq!(
        (m["from"].as_u64(), m["to"].as_u64()),
        (Some(2), Some(2)),
        "{m}"
    );
    let s = json(
        &credits()
            .args(["index", "stats", "--json", "--index", old_s])
            .output()
            .expect("stats"),
    );
    assert_eq!(
        s["by_admission"],
        serde_json::json!([["unrecorded", 1]]),
        "{s}"
    );
    assert_eq!(s["by_tool"], serde_json::json!([["Runway", 1]]), "{s}");
    // Still found from a re-encoded copy: the band keys were built.
    let copy = studio.dir.path().join("copy.jpg");
    image::open(&plate)
        .expect("decode")
        .to_rgb8()
        .save(&copy)
        .expect("jpeg");
    let o = studio
        .verify()
        .args(["--recover", "--json", "--index", old_s])
        .arg(&copy)
        .output()
        .expect("verify");
    assert_eq!(json(&o)["files"][0]["state"], "recovered");
    // A catalog from a newer credits is refused, untouched.
    let conn = rusqlite::Connection::open(&old).expect("open");
    conn.execute(
        "INSERT INTO credits_schema (version, applied_at) VALUES (99, 'later')",
        [],
    )
    .expect("newer");
    drop(conn);
    credits()
        .args(["index", "stats", "--index", old_s])
        .assert()
        .code(2)
        .stderr(contains(
            "schema is version 99, newer than this credits knows (2)",
        ))
        .stderr(contains("hint: "));
}

#[test]
fn a_new_postgres_catalog_is_created_by_migrate_and_a_wrong_user_told_so() {
    let studio = Studio::new("Northwind Pictures");
    let catalog = Engine::Postgres.catalog(studio.dir.path());
    let migrate = || {
        json(
            &credits()
                .args(["index", "migrate", "--json", "--index", &catalog])
                .output()
                .expect("migrate"),
        )
    };
    let m = migrate();
    assert_eq!(
        (m["from"].as_u64(), m["to"].as_u64()),
        (Some(0), Some(2)),
        "{m}"
    );
    let m = migrate();
    assert_eq!(m["from"].as_u64(), Some(2), "{m}");
    let stranger = catalog.replacen("credits@", "nobody:s3cret@", 1);
    credits()
        .args(["index", "stats", "--index", &stranger])
        .assert()
        .code(2)
        .stderr(contains("role \"nobody\" does not exist"))
        .stderr(contains("nobody:***@"))
        .stderr(contains("s3cret").not())
        .stderr(contains("check the user and password"));
}
