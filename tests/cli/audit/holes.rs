//! The smaller holes of issue 12 (items 10–14): reveal files, trust when
//! indexing and proving, file modes and names, recovery of flat footage.
//! Each test here failed on a882f0e.

use predicates::str::contains;

use crate::engines::Engine;
use crate::support::{credits, ffmpeg, frame, json, path_str, Studio};

/// Item 10: `--reveal-dir R` of `s1/frame.png` and `s2/frame.png` wrote one
/// reveal file, the first prompt lost; an existing one was overwritten.
#[test]
fn reveal_files_mirror_their_paths_and_are_never_overwritten() {
    let studio = Studio::new("Northwind Pictures");
    let root = studio.dir.path();
    for (dir, seed) in [("s1", 1), ("s2", 2)] {
        frame(&studio.subdir(dir).join("frame.png"), seed);
    }
    let stamp = |prompt: &str, files: &[&str]| {
        let mut cmd = studio.stamp();
        cmd.current_dir(root).args(files).args([
            "--in-place",
            "--reveal-dir",
            "reveals",
            "--prompt",
            prompt,
        ]);
        cmd
    };
    stamp("a lighthouse", &["s1/frame.png", "s2/frame.png"])
        .assert()
        .success();
    for dir in ["s1", "s2"] {
        let reveal = root.join("reveals").join(dir).join("frame.png.reveal.json");
        studio
            .prove(&root.join(dir).join("frame.png"), &reveal)
            .assert()
            .success()
            .stdout(contains("PROVEN"));
    }
    let reveal = root.join("reveals/s1/frame.png.reveal.json");
    let before = std::fs::read(&reveal).expect("reveal");
    let signed = std::fs::read(root.join("s1/frame.png")).expect("frame");
    stamp("a different prompt", &["s1/frame.png"])
        .assert()
        .code(2)
        .stderr(contains("reveals/s1/frame.png.reveal.json already exists"))
        .stderr(contains("hint:"));
    assert_eq!(std::fs::read(&reveal).expect("reveal"), before);
    assert_eq!(
        std::fs::read(root.join("s1/frame.png")).expect("frame"),
        signed
    );
}

/// Item 11: `index add --trust T` indexed a file signed by a foreign CA,
/// and `verify --recover` then named the original's signer without saying
/// it was not trusted.
fn the_index_takes_only_trusted_files_and_recovery_rejudges_the_signer(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let impostor = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let original = src.join("shot.png");
    frame(&original, 9);
    let signed = impostor.stamp_out(&original);
    let db = engine.catalog(studio.dir.path());
    let index_add = |trust: Option<&std::path::Path>| {
        let mut cmd = credits();
        cmd.args(["index", "add", "--index"]).arg(&db).arg(&signed);
        if let Some(t) = trust {
            cmd.arg("--trust").arg(t);
        }
        cmd
    };
    index_add(Some(&studio.trust))
        .assert()
        .code(1)
        .stderr(contains("does not chain to the given trust anchors"));
    // Indexed without anchors (as an ingest box might have), then found
    // again from a re-encoded copy: the original's signer is judged now.
    index_add(None).assert().success();
    let copy = src.join("copy.jpg");
    image::open(&signed)
        .expect("decode")
        .to_rgb8()
        .save(&copy)
        .expect("jpeg");
    let output = studio
        .verify()
        .args(["--recover", "--json", "--index"])
        .arg(&db)
        .arg(&copy)
        .output()
        .expect("verify");
    let r = json(&output);
    let recovery = &r["files"][0]["recovery"];
    assert_eq!(recovery["signer_state"], "valid", "{r}");
    assert!(
        recovery["issuer_fingerprint"]
            .as_str()
            .is_some_and(|f| f.len() == 19),
        "{r}"
    );
    studio
        .verify()
        .args(["--recover", "--index"])
        .arg(&db)
        .arg(&copy)
        .assert()
        .code(1)
        .stdout(contains("UNTRUSTED signer against these anchors, CA "));
}

/// Item 12: `prove --trust T` of an asset signed by a foreign CA (here one
/// with the studio's very name) printed PROVEN, exit 0.
#[test]
fn a_foreign_signature_proves_nothing_to_the_studio() {
    let studio = Studio::new("Northwind Pictures");
    let impostor = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let input = src.join("shot.png");
    frame(&input, 4);
    let out = studio.subdir("out");
    impostor
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--prompt", "a lighthouse"])
        .assert()
        .success();
    let asset = out.join("shot.png");
    let reveal = out.join("shot.png.reveal.json");
    let theirs = impostor.prove(&asset, &reveal).output().expect("prove");
    assert_eq!(theirs.status.code(), Some(0), "{theirs:?}");
    let ours = studio.prove(&asset, &reveal).output().expect("prove");
    assert_eq!(ours.status.code(), Some(1), "{ours:?}");
    let text = String::from_utf8_lossy(&ours.stdout);
    assert!(text.starts_with("NOT PROVEN"), "{text}");
    assert!(
        text.contains("does not chain to the given trust anchors"),
        "{text}"
    );
    // Both name the CA the same; the fingerprint tells them apart.
    let ca = |out: &std::process::Output| {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("signer"))
            .expect("signer line")
            .to_string();
        assert!(
            line.contains("issued by") && line.contains("Northwind Pictures"),
            "{line}"
        );
        line.split("(CA ").nth(1).expect("fingerprint").to_string()
    };
    let mine = studio.subdir("mine");
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&mine)
        .args(["--prompt", "a lighthouse"])
        .assert()
        .success();
    let proven = studio
        .prove(&mine.join("shot.png"), &mine.join("shot.png.reveal.json"))
        .output()
        .expect("prove");
    assert_eq!(proven.status.code(), Some(0), "{proven:?}");
    assert_eq!(ca(&theirs), ca(&ours));
    assert_ne!(ca(&theirs), ca(&proven));
}

/// Item 13: `--out` and `--in-place` widened a 0600 input to 0644;
/// `--in-place` on a symlink replaced the link with a signed copy and left
/// its target unsigned; a 240-byte name could not be stamped (the temporary
/// name was too long); one non-UTF-8 name emptied `verify --json`.
#[test]
fn modes_links_long_names_and_odd_bytes_are_kept() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;

    let private = src.join("private.png");
    frame(&private, 1);
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = studio.stamp_out(&private);
    assert_eq!(mode(&out), 0o600);
    studio
        .stamp()
        .arg(&private)
        .arg("--in-place")
        .assert()
        .success();
    assert_eq!(mode(&private), 0o600);

    let target = src.join("target.png");
    frame(&target, 2);
    let link = src.join("link.png");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    studio
        .stamp()
        .arg(&link)
        .arg("--in-place")
        .assert()
        .success();
    assert!(link.is_symlink(), "the link was replaced");
    studio.verify().arg(&target).assert().code(0);

    let long = src.join(format!("{}.png", "a".repeat(236)));
    frame(&long, 3);
    let signed = studio.stamp_out(&long);
    studio.verify().arg(&signed).assert().code(0);

    let odd = out.with_file_name(std::ffi::OsStr::from_bytes(b"shot\xff.png"));
    std::fs::copy(&out, &odd).expect("copy");
    let output = studio
        .verify()
        .arg("--json")
        .arg(&out)
        .arg(&odd)
        .output()
        .expect("verify");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let r = json(&output);
    let files = r["files"].as_array().expect("files");
    assert_eq!(files.len(), 2, "{r}");
    assert!(
        files[1]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("shot\\xff.png")),
        "{r}"
    );
    assert_eq!(files[1]["state"], "trusted");
}

/// Item 14: a white clip "recovered" to an indexed black one at −1.18 s
/// (every flat picture hashes alike); `--selection 1/4294967295` was
/// accepted.
fn flat_footage_recovers_nothing_and_selections_are_bounded(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let black = src.join("black.mp4");
    let white = src.join("white.mp4");
    for (path, colour) in [(&black, "black"), (&white, "white")] {
        let source = format!("color=c={colour}:size=320x180:rate=24:duration=3");
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            &source,
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            path_str(path),
        ]);
    }
    let signed = studio.stamp_out(&black);
    let db = engine.catalog(studio.dir.path());
    credits()
        .args(["index", "add", "--index"])
        .arg(&db)
        .arg(&signed)
        .assert()
        .success();
    let output = studio
        .verify()
        .args(["--recover", "--json", "--index"])
        .arg(&db)
        .arg(&white)
        .output()
        .expect("verify");
    let r = json(&output);
    assert_eq!(r["files"][0]["state"], "unsigned", "{r}");
    assert!(r["files"][0]["recovery"].is_null(), "{r}");

    let frame_path = src.join("f.png");
    frame(&frame_path, 1);
    studio
        .stamp()
        .arg(&frame_path)
        .args(["--in-place", "--selection", "1/4294967295"])
        .assert()
        .code(2)
        .stderr(contains("at most 100000"));
}

crate::on_both_engines!(
    the_index_takes_only_trusted_files_and_recovery_rejudges_the_signer,
    flat_footage_recovers_nothing_and_selections_are_bounded
);
