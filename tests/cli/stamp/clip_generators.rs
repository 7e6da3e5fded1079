//! Capture at the source for clips and sounds (issue 28): ComfyUI's video
//! and audio outputs, written the generators' way (`fixtures/generators`:
//! the ffmpeg CLI flags PyAV and VideoHelperSuite pass, a Wan 2.1 graph
//! UNETLoader → ModelSamplingSD3 → KSampler), are stamped with no tool or
//! prompt flags: the record takes ComfyUI, the UNET model, seed, steps
//! and sampler from the file; the signed output (for a sidecar format,
//! the copy delivered beside it) holds none of the prompt's bytes and
//! decodes to the same frames; a sidecar signed in place is warned about,
//! with the way out, and noted by `verify`.

use std::path::Path;
use std::process::Command;

use super::generators::{assert_holds_no_secret, fixture, holds, stamp_plain, PROMPT};
use crate::support::{has_code, json, stderr, Studio};

/// The MD5 of every decoded video frame (`ffmpeg -f framemd5`), without
/// the header lines that name the file.
fn frame_hashes(path: &Path) -> Vec<String> {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:v", "-f", "framemd5", "-"])
        .output()
        .expect("run ffmpeg");
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.rsplit(',').next().unwrap_or_default().trim().to_string())
        .collect()
}

#[test]
fn comfyui_clips_and_sounds_fill_the_record_and_lose_their_prompt() {
    let studio = Studio::new("Northwind Pictures");
    let out = studio.subdir("out");
    // (fixture, a clip with frames to compare)
    let cases = [
        ("comfyui-savevideo.mp4", true),
        ("vhs.mp4", true),
        ("vhs-prores.mov", true),
        ("comfyui-animated.webp", false),
        ("comfyui-animated.png", false),
        ("comfyui-audio.mp3", false),
        ("comfyui-audio.flac", false),
        ("comfyui-audio.opus", false),
        ("comfyui-savewebm.webm", true),
    ];
    for (name, frames) in cases {
        let input = fixture(name);
        assert!(
            holds(&std::fs::read(&input).unwrap(), PROMPT),
            "{name}: fixture lacks the prompt"
        );
        let run = stamp_plain(&studio, &input, &out, &[]);
        assert_eq!(run.status.code(), Some(0), "{name}: {}", stderr(&run));
        let st = &json(&run)["stamped"][0];
        let record = &st["record"];
        assert_eq!(record["tool"]["name"], "ComfyUI", "{name}: {st}");
        assert_eq!(
            record["tool"]["model"], "wan2.1_t2v_1.3B_fp16.safetensors",
            "{name}: {st}"
        );
        assert_eq!(record["parameters"]["steps"], 30, "{name}: {st}");
        assert_eq!(record["parameters"]["sampler"], "uni_pc", "{name}: {st}");
        assert!(
            record["parameters"]["seed_commitment"].is_string(),
            "{name}: {st}"
        );
        assert!(record["prompt"]["commitment"].is_string(), "{name}: {st}");
        assert!(record["workflow"]["commitment"].is_string(), "{name}: {st}");
        let signed = out.join(name);
        let v = studio.verdict(&signed);
        assert_eq!(v["state"], "trusted", "{name}: {v:#}");
        let noted = has_code(&v, "informational", "credits.privacy.generator_metadata");
        assert_eq!(st["generator"]["removed"], true, "{name}: {st}");
        assert_holds_no_secret(name, &signed);
        assert!(!noted, "{name}: {v:#}");
        if frames {
            assert_eq!(
                frame_hashes(&input),
                frame_hashes(&signed),
                "{name}: frames differ"
            );
        }
        let reveal = out.join(format!("{name}.reveal.json"));
        let proof = studio.prove(&signed, &reveal).output().unwrap();
        assert_eq!(proof.status.code(), Some(0), "{name}: {}", stderr(&proof));
        let text = std::fs::read_to_string(&reveal).unwrap();
        assert!(text.contains(PROMPT), "{name}: {text}");
    }
}

/// A sidecar signed in place leaves the media as it is: said loudly, with
/// the lossless way out, and noted by every `verify`.
#[test]
fn a_sidecar_in_place_warns_that_the_prompt_stays() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("in");
    let clip = dir.join("comfyui-savewebm.webm");
    std::fs::copy(fixture("comfyui-savewebm.webm"), &clip).unwrap();
    let run = crate::support::credits()
        .arg("stamp")
        .arg(&clip)
        .arg("--sidecar")
        .arg("--key")
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .output()
        .expect("stamp");
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let warned = stderr(&run);
    assert!(warned.contains("stays in the media"), "{warned}");
    assert!(warned.contains("-map_metadata -1"), "{warned}");
    assert!(
        holds(&std::fs::read(&clip).unwrap(), PROMPT),
        "the input is left as it is"
    );
    let v = studio.verdict(&clip);
    assert_eq!(v["state"], "trusted", "{v:#}");
    assert!(
        has_code(&v, "informational", "credits.privacy.generator_metadata"),
        "{v:#}"
    );
}

/// Top-level boxes of an MP4 as (type, bytes).
fn boxes(bytes: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        out.push((
            bytes[at + 4..at + 8].try_into().unwrap(),
            bytes[at..at + size].to_vec(),
        ));
        at += size;
    }
    out
}

/// `vhs.mp4` with `extra` appended inside its `moov` (last in the file).
fn with_in_moov(extra: &[u8]) -> Vec<u8> {
    let source = std::fs::read(fixture("vhs.mp4")).unwrap();
    let mut out = Vec::new();
    for (kind, mut b) in boxes(&source) {
        if &kind == b"moov" {
            b.extend_from_slice(extra);
            let size = u32::try_from(b.len()).unwrap();
            b[..4].copy_from_slice(&size.to_be_bytes());
        }
        out.extend(b);
    }
    out
}

fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

/// A 200 MB comment, 10 000 nested boxes, an item overrunning its
/// parent: a clear refusal or a safe signature, never a panic or a hang.
#[test]
fn hostile_movie_metadata_is_refused_or_signed_safely() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("in");
    let out = studio.subdir("out");
    let mut comment = vec![0u8; 4];
    comment.resize(200 << 20, b'a');
    let mut deep = bx(b"udta", b"");
    for _ in 0..10_000 {
        deep = bx(b"udta", &deep);
    }
    let mut overrun = bx(b"udta", &bx(b"\xa9cmt", b"\x00\x05\x55\xc4hello"));
    overrun[8..12].copy_from_slice(&1000u32.to_be_bytes());
    let cases = [
        ("enormous.mp4", bx(b"udta", &bx(b"\xa9cmt", &comment))),
        ("deep.mp4", deep),
        ("overrun.mp4", overrun),
    ];
    for (name, extra) in cases {
        let path = dir.join(name);
        std::fs::write(&path, with_in_moov(&extra)).unwrap();
        let run = stamp_plain(&studio, &path, &out, &[]);
        let said = stderr(&run);
        assert!(
            matches!(run.status.code(), Some(0..=3)),
            "{name}: {:?} {said}",
            run.status
        );
        assert!(!said.contains("panicked"), "{name}: {said}");
        if run.status.success() {
            let bytes = std::fs::read(out.join(name)).unwrap();
            assert!(!holds(&bytes, PROMPT), "{name}: the prompt was signed");
            assert_eq!(
                studio.verdict(&out.join(name))["state"],
                "trusted",
                "{name}"
            );
        } else {
            assert!(said.contains("error:"), "{name}: {said}");
        }
    }
}

/// A watched ComfyUI output folder receiving clips and sounds: each is
/// signed with no tool named, none of them ships the prompt, and each is
/// logged in the journal as an attempt with the generator's parameters
/// (its prompt committed, the plaintext only in the private half).
#[test]
fn a_watched_comfyui_folder_signs_and_journals_its_clips() {
    let studio = Studio::new("Northwind Pictures");
    let gen = studio.subdir("ComfyUI/output");
    let out = studio.subdir("out");
    let names = [
        "comfyui-savevideo.mp4",
        "vhs.mp4",
        "comfyui-audio.flac",
        "comfyui-savewebm.webm",
    ];
    for name in names {
        std::fs::copy(fixture(name), gen.join(name)).unwrap();
    }
    let journal = studio.dir.path().join("journal.jsonl");
    let run = crate::support::credits()
        .arg("watch")
        .arg(&gen)
        .arg("--out")
        .arg(&out)
        .arg("--key")
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .args(["--once", "--settle-ms", "0", "--journal"])
        .arg(&journal)
        .output()
        .expect("watch");
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let said = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        said.matches("\nsigned ").count() + usize::from(said.starts_with("signed ")),
        4,
        "{said}"
    );
    for name in names {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert!(
            !holds(&bytes, PROMPT),
            "{name}: the delivered file holds the prompt"
        );
        assert_eq!(
            studio.verdict(&out.join(name))["state"],
            "trusted",
            "{name}"
        );
    }
    let public = std::fs::read_to_string(&journal).unwrap();
    let attempts: Vec<serde_json::Value> = public
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(attempts.len(), 4, "{public}");
    for a in &attempts {
        assert_eq!(a["tool"], "ComfyUI", "{a}");
        assert_eq!(a["params"]["sampler"], "uni_pc", "{a}");
        assert_eq!(
            a["params"]["model"], "wan2.1_t2v_1.3B_fp16.safetensors",
            "{a}"
        );
        assert!(a["prompt"].is_string(), "{a}");
    }
    assert!(
        !public.contains(PROMPT),
        "the public journal holds the prompt"
    );
    let private = std::fs::read_to_string(journal.with_file_name("journal.jsonl.private")).unwrap();
    assert!(private.contains(PROMPT), "{private}");

    // `journal add` of a clip by hand fills the attempt the same way.
    let by_hand = studio.dir.path().join("by-hand.jsonl");
    studio
        .journal_add(&by_hand)
        .arg(fixture("vhs-prores.mov"))
        .assert()
        .success();
    let line: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&by_hand).unwrap().trim()).unwrap();
    assert_eq!(line["tool"], "ComfyUI", "{line}");
    assert_eq!(line["params"]["steps"], "30", "{line}");
    assert!(line["prompt"].is_string(), "{line}");
}
