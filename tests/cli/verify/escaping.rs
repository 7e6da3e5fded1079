//! Untrusted text is inert on a terminal (issue 11): control characters and
//! escape sequences in a signed record and in a file name appear escaped in
//! every human renderer — no ESC or BEL byte, no forged verdict line.

use std::path::{Path, PathBuf};

use predicates::str::contains;

use crate::support::{credits, frame, sdk_sign, Studio};

/// A tool name that retitles a terminal (OSC), and a model that would
/// forge a verdict line.
const EVIL_TOOL: &str = "Evil\x1b]0;pwned\x07";
const EVIL_MODEL: &str = "m\nTRUSTED   forged.png";
/// A file name that colours the terminal and forges a line.
const EVIL_NAME: &str = "shot\n\x1b[32mTRUSTED   forged\u{202e}.png";

/// Output with no raw control byte but newlines, no bidi override, and
/// exactly `lines` lines starting with `head`.
fn assert_inert(output: &[u8], head: &str, lines: usize) {
    let text = String::from_utf8_lossy(output);
    assert!(
        !output.iter().any(|b| *b < 0x20 && *b != b'\n'),
        "a raw control byte reached the terminal:\n{text}"
    );
    assert!(
        !text.contains('\u{202e}'),
        "a bidi override reached the terminal:\n{text}"
    );
    let count = text.lines().filter(|l| l.starts_with(head)).count();
    assert_eq!(count, lines, "lines starting with {head:?} in:\n{text}");
}

/// A frame signed by the studio's operator with the c2pa SDK directly
/// (another tool: credits itself refuses such text), carrying a hostile
/// generation record and software agent.
fn hostile_record(studio: &Studio, dir: &Path) -> PathBuf {
    let input = dir.join("plain.png");
    frame(&input, 7);
    let record = serde_json::json!({
        "schema": 1,
        "tool": {"name": EVIL_TOOL, "model": EVIL_MODEL},
        "license": {"id": "lic\x1b[2J", "commercial_use": false},
        "operator": {"name": "Alice Chen", "id": "alice@studio.test", "role": "prompt_design"},
        "generated_at": "2026-11-28T00:00:00Z\r\nTRUSTED",
    });
    let definition = serde_json::json!({
        "claim_generator_info": [{"name": "other-tool"}],
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": [{
                "action": "c2pa.created",
                "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
                "softwareAgent": {"name": EVIL_TOOL},
            }]}},
            {"label": "film.credits.generation", "data": record},
        ],
    });
    let signed = dir.join("hostile.png");
    sdk_sign(&studio.key, &studio.chain, &input, &signed, &definition);
    signed
}

#[test]
fn verify_human_output_escapes_a_hostile_record() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("in");
    let signed = hostile_record(&studio, &dir);
    let out = studio.verify().arg(&signed).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_inert(&out.stdout, "TRUSTED", 1);
    assert_inert(&out.stderr, "TRUSTED", 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Evil\\x1b]0;pwned\\x07"), "{text}");
    assert!(text.contains("m\\nTRUSTED"), "{text}");
}

#[test]
fn stamp_verify_index_and_prove_escape_a_hostile_file_name() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out_dir = studio.subdir("out");
    let input = src.join(EVIL_NAME);
    frame(&input, 3);
    let stamp = studio
        .stamp()
        .arg(&input)
        .args(["--prompt", "a lighthouse", "--out"])
        .arg(&out_dir)
        .output()
        .expect("stamp");
    assert_eq!(stamp.status.code(), Some(0), "{stamp:?}");
    assert_inert(&stamp.stdout, "signed ", 1);
    assert_inert(&stamp.stderr, "TRUSTED", 0);
    let signed = out_dir.join(EVIL_NAME);

    let verify = studio.verify().arg(&signed).output().expect("verify");
    assert_inert(&verify.stdout, "TRUSTED", 1);

    let index = credits()
        .args(["index", "add", "--index"])
        .arg(studio.dir.path().join("studio.db"))
        .arg("--trust")
        .arg(&studio.trust)
        .arg(&signed)
        .output()
        .expect("index");
    assert_eq!(index.status.code(), Some(0), "{index:?}");
    assert_inert(&index.stdout, "indexed ", 1);

    let mut reveal = signed.as_os_str().to_os_string();
    reveal.push(".reveal.json");
    let prove = studio
        .prove(&signed, Path::new(&reveal))
        .output()
        .expect("prove");
    assert_eq!(prove.status.code(), Some(0), "{prove:?}");
    assert_inert(&prove.stdout, "PROVEN", 1);
    assert_inert(&prove.stdout, "TRUSTED", 0);
}

#[test]
fn audit_renderers_escape_hostile_records_and_names() {
    let studio = Studio::new("Northwind Pictures");
    let film = studio.subdir("film");
    hostile_record(&studio, &film);
    std::fs::remove_file(film.join("plain.png")).expect("rm");
    frame(&film.join(EVIL_NAME), 5);
    for format in ["human", "md", "html"] {
        let out = credits()
            .arg("audit")
            .arg(&film)
            .arg("--trust")
            .arg(&studio.trust)
            .args(["--format", format])
            .output()
            .expect("audit");
        assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
        assert_inert(&out.stdout, "TRUSTED", 0);
        assert_inert(&out.stderr, "TRUSTED", 0);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("\\x1b"),
            "{format}: nothing shown escaped:\n{text}"
        );
    }
}

#[test]
fn stamp_refuses_control_characters_in_recorded_text() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let input = src.join("a.png");
    frame(&input, 1);
    let out = credits()
        .arg("stamp")
        .arg(&input)
        .arg("--key")
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .args(["--tool", EVIL_TOOL, "--out"])
        .arg(studio.subdir("out"))
        .assert()
        .code(2)
        .stderr(contains("control character"))
        .stderr(contains("hint: "))
        .get_output()
        .clone();
    assert_inert(&out.stderr, "TRUSTED", 0);
    assert!(std::fs::read_dir(studio.dir.path().join("out"))
        .expect("out")
        .next()
        .is_none());
}

#[test]
fn stamp_out_creates_a_missing_directory() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let input = src.join("a.png");
    frame(&input, 1);
    let out = studio.dir.path().join("new/deeper");
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    studio.verify().arg(out.join("a.png")).assert().code(0);
}
