//! `credits watch`: frames written slowly into a watched folder are each
//! stamped once, whole, across a kill and a restart of the watcher.

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use predicates::str::contains;

use crate::support::{listing, small_frame, Studio};

const FRAMES: usize = 200;

/// `credits watch GEN --out OUT` with the studio's operator and a tool name.
fn watch(studio: &Studio, gen: &Path, out: &Path) -> StdCommand {
    studio.signing("watch", gen, out)
}

fn spawn_watch(studio: &Studio, gen: &Path, out: &Path, log: &Path) -> Child {
    watch(studio, gen, out)
        .args(["--settle-ms", "400"])
        .stdout(std::fs::File::create(log).expect("log"))
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn credits watch")
}

/// Write `bytes` to `path` slowly: three chunks with pauses, through one
/// handle (even frames) or reopening the file to append (odd frames, with
/// the pause shorter than the settle time).
fn write_slowly(path: &Path, bytes: &[u8], reopen: bool) {
    let third = bytes.len() / 3;
    let chunks = [
        &bytes[..third],
        &bytes[third..2 * third],
        &bytes[2 * third..],
    ];
    if reopen {
        for (i, chunk) in chunks.iter().enumerate() {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .expect("open");
            f.write_all(chunk).expect("write");
            drop(f);
            if i < 2 {
                std::thread::sleep(Duration::from_millis(60));
            }
        }
    } else {
        let mut f = std::fs::File::create(path).expect("create");
        for chunk in chunks {
            f.write_all(chunk).expect("write");
            f.flush().expect("flush");
            std::thread::sleep(Duration::from_millis(8));
        }
    }
}

fn pngs(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| n.ends_with(".png"))
        .collect()
}

fn signed_lines(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("signed "))
        .map(str::to_string)
        .collect()
}

#[test]
fn frames_written_slowly_are_each_stamped_once_across_a_kill_and_restart() {
    let studio = Studio::new("Northwind Pictures");
    let gen = studio.subdir("gen");
    let out = studio.subdir("out");
    let logs = studio.subdir("logs");
    // Frames are made up front, so the writer below only writes.
    let made = studio.subdir("made");
    let frames: Vec<(PathBuf, Vec<u8>)> = (0..FRAMES)
        .map(|i| {
            let p = made.join(format!("f{i:03}.png"));
            small_frame(&p, 1000 + i as u32);
            (
                p,
                std::fs::read(made.join(format!("f{i:03}.png"))).expect("read"),
            )
        })
        .collect();

    let write = |range: std::ops::Range<usize>| {
        for i in range {
            let (src, bytes) = &frames[i];
            let name = src.file_name().expect("name");
            write_slowly(&gen.join(name), bytes, i % 2 == 1);
        }
    };
    let mut first = spawn_watch(&studio, &gen, &out, &logs.join("1.log"));
    write(0..FRAMES / 2);
    // Killed outright mid-stream (no chance to clean up) …
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");
    let mut at_kill: HashMap<String, (u64, std::time::SystemTime)> = HashMap::new();
    for n in pngs(&out) {
        let m = std::fs::metadata(out.join(&n)).expect("stat");
        at_kill.insert(n, (m.ino(), m.modified().expect("mtime")));
    }
    // … and restarted while frames keep arriving.
    let mut second = spawn_watch(&studio, &gen, &out, &logs.join("2.log"));
    write(FRAMES / 2..FRAMES);
    assert!(!at_kill.is_empty(), "the first watcher stamped some frames");
    assert!(at_kill.len() < FRAMES, "and was killed before the end");

    let deadline = Instant::now() + Duration::from_secs(120);
    while pngs(&out).len() < FRAMES && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    // A clean stop: SIGTERM finishes the file in hand and exits 0.
    let status = StdCommand::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = second.wait().expect("wait");
    assert_eq!(exit.code(), Some(0), "SIGTERM ends watch cleanly");

    // Every frame has exactly one output, and nothing else is left behind.
    let names = listing(&out);
    assert_eq!(pngs(&out).len(), FRAMES, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| n.ends_with(".png") || n == ".credits-watch.lock"),
        "no temporary or partial files: {names:?}"
    );
    // Stamped once: no input signed twice across the two runs, and no frame
    // signed before the kill was signed again after it.
    let mut count: HashMap<String, usize> = HashMap::new();
    for line in signed_lines(&logs.join("1.log"))
        .into_iter()
        .chain(signed_lines(&logs.join("2.log")))
    {
        *count.entry(line).or_default() += 1;
    }
    assert!(count.values().all(|&c| c == 1), "{count:?}");
    for (n, before) in &at_kill {
        let m = std::fs::metadata(out.join(n)).expect("stat");
        assert_eq!(
            (m.ino(), m.modified().expect("mtime")),
            *before,
            "{n} was re-signed"
        );
    }
    // Whole: each output shows exactly the picture that was written.
    for (src, _) in &frames {
        let name = src.file_name().expect("name");
        let want = image::open(src).expect("source").to_rgb8();
        let got = image::open(out.join(name))
            .expect("output decodes")
            .to_rgb8();
        assert!(
            want == got,
            "{} is not the whole frame",
            name.to_string_lossy()
        );
    }
    // And all verify trusted, in one process.
    let files: Vec<PathBuf> = (0..FRAMES)
        .map(|i| out.join(format!("f{i:03}.png")))
        .collect();
    studio
        .verify()
        .args(&files)
        .assert()
        .code(0)
        .stderr(contains(format!("{FRAMES} file(s): {FRAMES} trusted")));
}

#[test]
fn a_second_watcher_on_the_same_output_is_refused() {
    let studio = Studio::new("Northwind Pictures");
    let gen = studio.subdir("gen");
    let out = studio.subdir("out");
    let logs = studio.subdir("logs");
    let mut first = spawn_watch(&studio, &gen, &out, &logs.join("1.log"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !out.join(".credits-watch.lock").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_cmd::Command::from_std(watch(&studio, &gen, &out))
        .assert()
        .code(2)
        .stderr(contains("already writing into"));
    first.kill().expect("kill");
    first.wait().expect("wait");
}

#[test]
fn once_stamps_the_backlog_and_a_changed_input_is_signed_again() {
    let studio = Studio::new("Northwind Pictures");
    let gen = studio.subdir("gen");
    let out = studio.subdir("out");
    for i in 0..3 {
        small_frame(&gen.join(format!("b{i}.png")), i);
    }
    let once = || {
        let mut cmd = watch(&studio, &gen, &out);
        cmd.args(["--once", "--settle-ms", "0"]);
        assert_cmd::Command::from_std(cmd)
    };
    once()
        .assert()
        .success()
        .stdout(contains("signed").count(3));
    once()
        .assert()
        .success()
        .stdout(contains("skipped").count(3));
    // The generator overwrites one frame: its output is now stale.
    std::thread::sleep(Duration::from_millis(20));
    small_frame(&gen.join("b1.png"), 99);
    once()
        .assert()
        .success()
        .stderr(contains("changed after it was signed"))
        .stdout(contains("signed").count(1));
    let want = image::open(gen.join("b1.png")).expect("src").to_rgb8();
    let got = image::open(out.join("b1.png")).expect("out").to_rgb8();
    assert!(want == got);
}

/// A symlink renamed into the watched folder (`ln -s /elsewhere/master.png
/// gen/.tmp && mv -T gen/.tmp gen/shot_002.png`) is passed over with a
/// note: the file outside is never signed nor published (issue 29, point 5).
#[test]
fn a_symlink_renamed_into_the_folder_is_not_signed() {
    let studio = Studio::new("Northwind Pictures");
    let gen = studio.subdir("gen");
    let out = studio.subdir("out");
    let elsewhere = studio.subdir("elsewhere");
    let master = elsewhere.join("master.png");
    small_frame(&master, 5);
    let log = studio.dir.path().join("watch.log");
    let mut child = watch(&studio, &gen, &out)
        .args(["--settle-ms", "200"])
        .stdout(std::fs::File::create(&log).expect("log"))
        .stderr(std::fs::File::create(studio.dir.path().join("watch.err")).expect("err"))
        .spawn()
        .expect("spawn credits watch");
    std::thread::sleep(Duration::from_millis(500));
    let tmp = gen.join(".tmp");
    std::os::unix::fs::symlink(&master, &tmp).expect("symlink");
    std::fs::rename(&tmp, gen.join("shot_002.png")).expect("rename");
    // A real frame after it: once that is signed, the link was seen.
    small_frame(&gen.join("shot_003.png"), 6);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !out.join("shot_003.png").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let _ = child.kill();
    let _ = child.wait();
    let stdout = std::fs::read_to_string(&log).unwrap_or_default();
    let stderr = std::fs::read_to_string(studio.dir.path().join("watch.err")).unwrap_or_default();
    assert!(out.join("shot_003.png").exists(), "{stdout}\n{stderr}");
    assert!(!out.join("shot_002.png").exists(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("passed over") && stdout.contains("shot_002.png"),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains("symbolic link"), "{stdout}");
}

/// Batch stamp of a directory signs only regular files inside it: a
/// symlink in it, to a file outside or inside, is passed over with a note
/// and listed in the report (issue 29, point 5).
#[test]
fn a_batch_stamp_of_a_directory_passes_over_its_links() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("renders");
    let outside = studio.subdir("elsewhere").join("master.png");
    small_frame(&outside, 1);
    small_frame(&dir.join("shot_001.png"), 2);
    std::os::unix::fs::symlink(&outside, dir.join("shot_002.png")).expect("symlink");
    std::os::unix::fs::symlink(dir.join("shot_001.png"), dir.join("shot_003.png"))
        .expect("symlink");
    let out = studio.subdir("out");
    let run = studio
        .stamp()
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .output()
        .expect("run");
    let err = crate::support::stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(out.join("shot_001.png").exists());
    assert!(!out.join("shot_002.png").exists() && !out.join("shot_003.png").exists());
    let report = crate::support::json(&run);
    let passed: Vec<&str> = report["passed_over"]
        .as_array()
        .expect("passed_over")
        .iter()
        .filter_map(|p| p["path"].as_str())
        .collect();
    assert_eq!(passed.len(), 2, "{report:#}");
    assert!(err.contains("symbolic link"), "{err}");
}
