//! A reader that goes away (`credits audit --json | head -c 300`): every
//! subcommand ends quietly — never a panic (exit 101) — with the status a
//! shell shows for SIGPIPE, 141, once it has something to write (issue 29,
//! point 7).

use std::io::Read;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use crate::support::{frame, Studio};

/// Run `credits ARGS` with standard output (and, with `both`, standard
/// error) a pipe whose reader is already gone; the exit code and what
/// reached standard error.
fn with_reader_gone(args: &[&str], cwd: &Path, both: bool) -> (Option<i32>, String) {
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("credits"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn credits");
    drop(child.stdout.take());
    let mut err = String::new();
    if both {
        drop(child.stderr.take());
    } else if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).expect("stderr");
    }
    let status = child.wait().expect("wait");
    (status.code(), err)
}

#[test]
fn a_closed_pipe_ends_every_subcommand_quietly() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.dir.path();
    frame(&dir.join("a.png"), 1);
    frame(&dir.join("b.png"), 2);
    std::fs::create_dir_all(dir.join("gen")).expect("mkdir");
    frame(&dir.join("gen/g.png"), 3);
    let key = studio.key.to_str().expect("utf-8");
    let chain = studio.chain.to_str().expect("utf-8");
    let trust = studio.trust.to_str().expect("utf-8");
    // Something to verify, audit, prove and derive from, made beforehand.
    studio
        .stamp()
        .arg(dir.join("a.png"))
        .args(["--out", "signed", "--prompt", "a red door"])
        .current_dir(dir)
        .assert()
        .success();
    let sign = ["--key", key, "--chain", chain, "--tool", "Runway"];
    let runs: Vec<Vec<&str>> = vec![
        vec!["--help"],
        vec!["stamp", "--help"],
        vec!["keys", "init", "--org", "Other", "--dir", "ca2"],
        vec!["keys", "trust", "--dir", "ca"],
        vec![
            "keys",
            "issue",
            "--dir",
            "ca",
            "--name",
            "Pipe Person",
            "--email",
            "pipe@studio.test",
        ],
        vec![
            "keys",
            "revoke",
            "--dir",
            "ca",
            "--email",
            "pipe@studio.test",
            "--reason",
            "superseded",
        ],
        [&["stamp", "b.png", "--out", "out"][..], &sign].concat(),
        [
            &[
                "derive",
                "b.png",
                "--from",
                "signed/a.png",
                "--out",
                "derived",
                "--action",
                "color_graded",
            ][..],
            &sign,
        ]
        .concat(),
        [
            &[
                "watch",
                "gen",
                "--out",
                "watched",
                "--once",
                "--settle-ms",
                "0",
            ][..],
            &sign,
        ]
        .concat(),
        vec!["verify", "--trust", trust, "signed/a.png"],
        vec!["verify", "--trust", trust, "--json", "signed/a.png"],
        vec!["audit", "signed", "--trust", trust, "--json"],
        vec!["audit", "signed", "--trust", trust],
        vec![
            "prove",
            "signed/a.png",
            "--reveal",
            "signed/a.png.reveal.json",
            "--trust",
            trust,
        ],
        vec![
            "journal",
            "add",
            "--journal",
            "j.jsonl",
            "b.png",
            "--prompt",
            "p",
            "--unsigned",
        ],
        vec![
            "index",
            "add",
            "--index",
            "catalog.db",
            "signed/a.png",
            "--trust",
            trust,
        ],
        vec!["index", "migrate", "--index", "catalog.db"],
        vec!["index", "stats", "--index", "catalog.db"],
        vec![
            "verify",
            "--trust",
            trust,
            "--recover",
            "--index",
            "catalog.db",
            "b.png",
        ],
        vec!["timestamp", "signed/a.png", "--tsa", "http://127.0.0.1:9/"],
        [
            &[
                "certify",
                "signed",
                "--trust",
                trust,
                "--out",
                "rights.json",
            ][..],
            &sign[..4],
        ]
        .concat(),
    ];
    for args in &runs {
        for both in [false, true] {
            let (code, err) = with_reader_gone(args, dir, both);
            assert!(
                code.is_some_and(|c| c != 101) && !err.contains("panicked"),
                "credits {args:?} (stderr closed too: {both}): exit {code:?}\n{err}"
            );
        }
    }
    // A report that had something to say ended with SIGPIPE's status.
    let (code, _) = with_reader_gone(&["audit", "signed", "--trust", trust, "--json"], dir, false);
    assert_eq!(code, Some(141));
}
