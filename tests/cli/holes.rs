//! The smaller holes of issue 12 (items 10–14): reveal files, trust when
//! indexing and proving, file modes and names, recovery of flat footage.
//! Each test here failed on a882f0e.

use predicates::str::contains;

use crate::support::{frame, Studio};

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
