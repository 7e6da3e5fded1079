//! Generator metadata (issue 15): files written the way ComfyUI, A1111,
//! InvokeAI and Fooocus write them (`fixtures/generators`, made with the
//! same Pillow/piexif calls) are stamped with no prompt flags: the record
//! takes the tool, model, prompt and seed from the file (committed), and
//! the signed output holds none of the prompt's bytes — raw, UTF-16, or
//! inside any zlib stream.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::support::{json, Studio};

pub(super) const PROMPT: &str = "lighthouse-7f3a";
pub(super) const NEGATIVE: &str = "smudge-91c2";

pub(super) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/generators")
        .join(name)
}

/// `credits stamp FILE --out OUT` with the operator's key and no tool or
/// prompt flags, plus `extra`.
pub(super) fn stamp_plain(
    studio: &Studio,
    input: &Path,
    out: &Path,
    extra: &[&str],
) -> std::process::Output {
    let mut cmd = crate::support::credits();
    cmd.arg("stamp")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--key")
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .arg("--json")
        .args(extra);
    cmd.output().expect("run stamp")
}

/// Whether `needle` is anywhere in `bytes`: as UTF-8, as UTF-16 (either
/// order), or inside a zlib stream starting at any offset.
pub(super) fn holds(bytes: &[u8], needle: &str) -> bool {
    let utf16 = |le: bool| -> Vec<u8> {
        needle
            .encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    };
    let forms = [needle.as_bytes().to_vec(), utf16(false), utf16(true)];
    let contains = |hay: &[u8]| {
        forms
            .iter()
            .any(|f| hay.windows(f.len()).any(|w| w == f.as_slice()))
    };
    if contains(bytes) {
        return true;
    }
    (0..bytes.len().saturating_sub(2)).any(|i| {
        if bytes[i] != 0x78 || ![0x01, 0x5e, 0x9c, 0xda].contains(&bytes[i + 1]) {
            return false;
        }
        let mut out = Vec::new();
        let _ = flate2::read::ZlibDecoder::new(&bytes[i..])
            .take(1 << 24)
            .read_to_end(&mut out);
        contains(&out)
    })
}

/// The signed file at `signed` holds neither the prompt nor the negative
/// prompt, in any of the forms [`holds`] searches.
pub(super) fn assert_holds_no_secret(name: &str, signed: &Path) {
    let bytes = std::fs::read(signed).unwrap();
    assert!(
        !holds(&bytes, PROMPT),
        "{name}: the signed file holds the prompt"
    );
    assert!(
        !holds(&bytes, NEGATIVE),
        "{name}: the signed file holds the negative prompt"
    );
}

#[test]
fn each_generators_metadata_fills_the_record_and_leaves_the_signed_file() {
    let studio = Studio::new("Northwind Pictures");
    let out = studio.subdir("out");
    let cases = [
        (
            "comfyui.png",
            "ComfyUI",
            Some("v1-5-pruned-emaonly.safetensors"),
            20,
        ),
        // SaveAnimatedPNG: private `comf` chunks after the image data.
        (
            "comfyui-animated.png",
            "ComfyUI",
            Some("wan2.1_t2v_1.3B_fp16.safetensors"),
            30,
        ),
        // SaveAnimatedWEBP: the graphs in EXIF Model/Make (issue 28).
        (
            "comfyui-animated.webp",
            "ComfyUI",
            Some("wan2.1_t2v_1.3B_fp16.safetensors"),
            30,
        ),
        ("a1111.png", "AUTOMATIC1111", Some("sd_xl_base_1.0"), 30),
        ("a1111.jpg", "AUTOMATIC1111", Some("sd_xl_base_1.0"), 30),
        ("invokeai.png", "InvokeAI", Some("Juggernaut XL v9"), 28),
        (
            "fooocus.png",
            "Fooocus",
            Some("juggernautXL_v8Rundiffusion"),
            30,
        ),
        (
            "fooocus.jpg",
            "Fooocus",
            Some("juggernautXL_v8Rundiffusion"),
            30,
        ),
    ];
    for (name, tool, model, steps) in cases {
        let input = fixture(name);
        assert!(
            holds(&std::fs::read(&input).unwrap(), PROMPT),
            "{name}: fixture lacks the prompt"
        );
        let o = stamp_plain(&studio, &input, &out, &[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let report = json(&o);
        let st = &report["stamped"][0];
        assert_eq!(st["record"]["tool"]["name"], tool, "{name}: {st}");
        assert_eq!(
            st["record"]["tool"]["model"].as_str(),
            model,
            "{name}: {st}"
        );
        assert_eq!(st["record"]["parameters"]["steps"], steps, "{name}: {st}");
        assert!(
            st["record"]["prompt"]["commitment"].is_string(),
            "{name}: {st}"
        );
        assert!(
            st["record"]["negative_prompt"]["commitment"].is_string(),
            "{name}: {st}"
        );
        assert!(
            st["record"]["parameters"]["seed_commitment"].is_string(),
            "{name}: {st}"
        );
        assert_eq!(st["generator"]["removed"], true, "{name}: {st}");
        // A workflow graph (ComfyUI's, InvokeAI's) is committed too.
        let graph = name.starts_with("comfyui") || name.starts_with("invokeai");
        assert_eq!(
            st["record"]["workflow"]["commitment"].is_string(),
            graph,
            "{name}: {st}"
        );
        let signed = out.join(name);
        assert_holds_no_secret(name, &signed);
        // Trusted, no privacy note; the reveal file opens the prompt.
        let v = studio.verdict(&signed);
        assert_eq!(v["state"], "trusted", "{name}: {v}");
        assert!(!crate::support::has_code(
            &v,
            "informational",
            "credits.privacy.generator_metadata"
        ));
        let reveal = out.join(format!("{name}.reveal.json"));
        let text = std::fs::read_to_string(&reveal).unwrap();
        assert!(text.contains(PROMPT), "{name}: {text}");
        let proof = studio.prove(&signed, &reveal).output().unwrap();
        assert_eq!(proof.status.code(), Some(0), "{name}");
        let said = String::from_utf8_lossy(&proof.stdout);
        assert_eq!(said.contains("workflow"), graph, "{name}: {said}");
    }
}

#[test]
fn a_flag_wins_over_the_file_and_kept_metadata_is_warned_and_noted() {
    let studio = Studio::new("Northwind Pictures");
    let out = studio.subdir("out");
    let o = stamp_plain(
        &studio,
        &fixture("comfyui.png"),
        &out,
        &[
            "--prompt",
            "a different prompt",
            "--keep-generator-metadata",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("prompt given by flag differs"), "{err}");
    assert!(err.contains("its plaintext prompt is public"), "{err}");
    let signed = out.join("comfyui.png");
    assert!(holds(&std::fs::read(&signed).unwrap(), PROMPT));
    let reveal = std::fs::read_to_string(out.join("comfyui.png.reveal.json")).unwrap();
    let reveal: serde_json::Value = serde_json::from_str(&reveal).unwrap();
    assert_eq!(reveal["prompt"]["text"], "a different prompt", "{reveal}");
    // The workflow, as the generator wrote it, is committed all the same.
    assert!(reveal["workflow"]["text"]
        .as_str()
        .unwrap()
        .contains(PROMPT));
    let v = studio.verdict(&signed);
    assert_eq!(v["state"], "trusted", "{v}");
    assert!(
        crate::support::has_code(&v, "informational", "credits.privacy.generator_metadata"),
        "{v}"
    );
    assert_eq!(studio.audit(&out)["summary"]["generator_metadata"], 1);
}

#[test]
fn without_a_tool_a_file_with_no_generator_metadata_is_refused() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("in");
    crate::support::frame(&dir.join("plain.png"), 1);
    let out = studio.subdir("out");
    let o = stamp_plain(&studio, &dir.join("plain.png"), &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("tool is not named") && err.contains("--tool"),
        "{err}"
    );
    assert!(!out.join("plain.png").exists());
}

#[test]
fn a_file_signed_upstream_names_its_generator() {
    // Adobe Firefly's output (corpus ocsp.jpg, see fixtures/corpus): with
    // no --tool, the tool is the software agent of its AI action, and the
    // source type is the one it declares (a composite, not our default).
    let studio = Studio::new("Northwind Pictures");
    let out = studio.subdir("out");
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/ocsp.jpg");
    let o = stamp_plain(&studio, &input, &out, &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let st = &json(&o)["stamped"][0];
    assert_eq!(st["record"]["tool"]["name"], "Adobe Firefly", "{st}");
    let v = studio.verdict(&out.join("ocsp.jpg"));
    assert_eq!(v["ingredients"][0]["relationship"], "parentOf", "{v}");
    let edited = &v["actions"][1];
    assert_eq!(edited["action"], "c2pa.edited", "{v}");
    assert_eq!(edited["software_agent"], "Adobe Firefly", "{v}");
    assert_eq!(
        edited["digital_source_type"],
        "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
        "{v}"
    );
}

/// A PNG chunk: length, type, data, CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32fast::hash(&typed).to_be_bytes());
    out
}

/// `bytes` (a PNG) with `chunk` put before its `IEND`.
fn before_iend(bytes: &[u8], chunk: &[u8]) -> Vec<u8> {
    let at = bytes.len() - 12;
    [&bytes[..at], chunk, &bytes[at..]].concat()
}

/// The committed prompt never ships in plaintext (issue 29, point 6): a
/// second generator chunk after IEND, the prompt copied into a compressed
/// `Description` or a JPEG COM segment — removed; the prompt where no field
/// can be removed — refused.
#[test]
fn the_committed_prompt_never_ships_in_another_field_or_after_the_end() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let comfy = std::fs::read(fixture("comfyui.png")).expect("fixture");
    // The whole prompt the fixtures' generators were given
    // (scripts/make-generator-fixtures.py), copied where readers show it.
    let full = "a lighthouse-7f3a at dusk, long lens, film grain";
    let text = [
        b"parameters\0".as_slice(),
        PROMPT.as_bytes(),
        b", Steps: 20",
    ]
    .concat();
    let after_end = [comfy.as_slice(), &png_chunk(b"tEXt", &text)].concat();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut z, format!("A study: {full}").as_bytes()).expect("zlib");
    let ztxt = [b"Description\0\0".as_slice(), &z.finish().expect("zlib")].concat();
    let described = before_iend(&comfy, &png_chunk(b"zTXt", &ztxt));
    let a1111 = std::fs::read(fixture("a1111.jpg")).expect("fixture");
    let com = [
        &[0xff, 0xfe][..],
        &((full.len() + 2) as u16).to_be_bytes(),
        full.as_bytes(),
    ]
    .concat();
    let commented = [&a1111[..2], &com, &a1111[2..]].concat();
    let titled = before_iend(
        &comfy,
        &png_chunk(b"tEXt", format!("Title\0{full}").as_bytes()),
    );
    let xmp = format!(
        "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{full}</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
    );
    let app1 = [
        &[0xff, 0xe1][..],
        &((xmp.len() + 2) as u16).to_be_bytes(),
        xmp.as_bytes(),
    ]
    .concat();
    let with_xmp = [&a1111[..2], &app1, &a1111[2..]].concat();
    for (name, bytes, field) in [
        ("after-iend.png", after_end, "bytes after the image's end"),
        ("described.png", described, "Description"),
        ("titled.png", titled, "Title"),
        ("commented.jpg", commented, "COM"),
        ("xmp.jpg", with_xmp, "XMP"),
    ] {
        let input = src.join(name);
        std::fs::write(&input, &bytes).expect("write");
        let out = studio.subdir("out");
        let run = stamp_plain(&studio, &input, &out, &[]);
        assert!(
            run.status.success(),
            "{name}: {}",
            crate::support::stderr(&run)
        );
        let signed = std::fs::read(out.join(name)).expect("signed");
        assert!(!holds(&signed, PROMPT), "{name}: the prompt shipped");
        let report = json(&run);
        let fields = report["stamped"][0]["generator"]["fields"].to_string();
        assert!(fields.contains(field), "{name}: {report:#}");
        assert_eq!(
            studio.verdict(&out.join(name))["state"],
            "trusted",
            "{name}"
        );
    }
    // In a chunk no reader calls text, as UTF-16: nothing to remove, refused.
    let utf16: Vec<u8> = full.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let hidden = src.join("hidden.png");
    std::fs::write(&hidden, before_iend(&comfy, &png_chunk(b"prVt", &utf16))).expect("write");
    let out = studio.subdir("refused");
    let run = stamp_plain(&studio, &hidden, &out, &[]);
    // One file, not signed: nothing could be done (exit 2).
    assert_eq!(
        run.status.code(),
        Some(2),
        "{}",
        crate::support::stderr(&run)
    );
    let err = crate::support::stderr(&run);
    assert!(
        err.contains("committed prompt appears in plaintext"),
        "{err}"
    );
    assert!(err.contains("--keep-generator-metadata"), "{err}");
    assert!(!out.join("hidden.png").exists());
}

/// Animated images are clips (issue 28): an animated WebP of 6 frames at
/// 166 ms and an APNG of 4 frames at 250 ms are signed and shown with
/// their frame count, rate and running time, and an audit counts their
/// seconds.
#[test]
fn animated_images_are_signed_and_audited_as_clips() {
    let studio = Studio::new("Northwind Pictures");
    let out = studio.subdir("out");
    for (name, frames, seconds) in [
        ("comfyui-animated.webp", 6, 0.996),
        ("comfyui-animated.png", 4, 1.0),
    ] {
        let run = stamp_plain(&studio, &fixture(name), &out, &[]);
        assert!(
            run.status.success(),
            "{name}: {}",
            crate::support::stderr(&run)
        );
        let v = studio.verdict(&out.join(name));
        assert_eq!(v["state"], "trusted", "{name}: {v:#}");
        let media = &v["record"]["media"];
        assert_eq!(media["kind"], "clip", "{name}: {media:#}");
        assert_eq!(media["frame_count"], frames, "{name}: {media:#}");
        assert_eq!(media["duration_s"], seconds, "{name}: {media:#}");
    }
    let audit = crate::support::credits()
        .arg("audit")
        .arg(&out)
        .arg("--trust")
        .arg(&studio.trust)
        .arg("--json")
        .output()
        .expect("audit");
    let report = json(&audit);
    let mut seconds: Vec<f64> = report["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .filter_map(|a| a["seconds"].as_f64())
        .collect();
    seconds.sort_by(f64::total_cmp);
    assert_eq!(seconds, [0.996, 1.0], "{report:#}");
}
