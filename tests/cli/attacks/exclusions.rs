//! A data hash whose exclusion holds more than the manifest store (issue
//! 29, point 1). Truepic Lens JPEGs exclude bytes 0 to the end of the
//! store: the SOI marker and the whole EXIF segment — make, model, capture
//! time — lie outside every hash. C2PA 2.2 makes that
//! `assertion.dataHash.mismatch`; our pinned SDK (0.90.22) does not check
//! it, so `credits` does.
//!
//! The files here are made like Truepic's: the SDK's data-hashed signing,
//! an EXIF segment before the store, and the exclusion the test chooses.

use std::io::Cursor;
use std::path::Path;

use crate::support::{frame, has_code, Studio};

/// An EXIF APP1 segment (little-endian TIFF, IFD0 with Make, Model and
/// DateTime as ASCII).
fn exif_app1(make: &str, model: &str, time: &str) -> Vec<u8> {
    let fields: [(u16, &str); 3] = [(0x010f, make), (0x0110, model), (0x0132, time)];
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&(fields.len() as u16).to_le_bytes());
    let mut data_at = 8 + 2 + 12 * fields.len() as u32 + 4;
    let mut data = Vec::new();
    for (tag, text) in fields {
        let value = [text.as_bytes(), b"\0"].concat();
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&(value.len() as u32).to_le_bytes());
        tiff.extend_from_slice(&data_at.to_le_bytes());
        data_at += value.len() as u32;
        data.extend_from_slice(&value);
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&data);
    let mut seg = vec![0xff, 0xe1];
    seg.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    seg.extend_from_slice(b"Exif\0\0");
    seg.extend_from_slice(&tiff);
    seg
}

/// Sign a camera-style JPEG into `out`: SOI, EXIF, the manifest store,
/// the image. With `from_zero` the data hash excludes bytes 0 to the end
/// of the store (as Truepic Lens does); otherwise exactly the store's APP11
/// segments.
fn camera_jpeg(studio: &Studio, out: &Path, from_zero: bool) {
    let plain = studio.dir.path().join("plain.jpg");
    frame(&plain, 7);
    let image = std::fs::read(&plain).expect("read");
    let exif = exif_app1("Truepic", "Lens 1.0", "2024:01:02 03:04:05");
    let signer = c2pa::create_signer::from_keys(
        &std::fs::read(&studio.chain).expect("chain"),
        &std::fs::read(&studio.key).expect("key"),
        c2pa::SigningAlg::Ed25519,
        None,
    )
    .expect("signer");
    let definition = serde_json::json!({
        "claim_generator_info": [{"name": "camera-test", "version": "1.0"}],
        "title": "capture.jpg",
        "assertions": [{
            "label": "c2pa.actions.v2",
            "data": {"actions": [{
                "action": "c2pa.created",
                "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
            }]}
        }]
    });
    let mut builder = c2pa::Builder::from_context(c2pa::Context::new())
        .with_definition(definition.to_string())
        .expect("builder");
    let placeholder = builder
        .data_hashed_placeholder(signer.reserve_size(), "image/jpeg")
        .expect("placeholder");
    let store_at = 2 + exif.len();
    let store_end = store_at + placeholder.len();
    let mut file = [&image[..2], &exif, &placeholder, &image[2..]].concat();
    let mut hash = c2pa::assertions::DataHash::new("jumbf manifest", "sha256");
    let range = if from_zero {
        c2pa::HashRange::new(0, store_end as u64)
    } else {
        c2pa::HashRange::new(store_at as u64, placeholder.len() as u64)
    };
    hash.add_exclusion(range);
    hash.gen_hash_from_stream(&mut Cursor::new(&file))
        .expect("hash");
    let signed = builder
        .sign_data_hashed_embeddable(signer.as_ref(), &hash, "image/jpeg")
        .expect("the SDK signs it");
    assert_eq!(signed.len(), placeholder.len(), "signed in place");
    file[store_at..store_end].copy_from_slice(&signed);
    std::fs::write(out, file).expect("write");
}

/// Rewrite the EXIF camera model in place (same length).
fn edit_model(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read");
    let at = bytes
        .windows(8)
        .position(|w| w == b"Lens 1.0")
        .expect("the model is there");
    bytes[at..at + 8].copy_from_slice(b"Forgery!");
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn an_exclusion_of_only_the_store_stays_trusted() {
    let studio = Studio::new("Camera Vendor");
    let file = studio.dir.path().join("sound.jpg");
    camera_jpeg(&studio, &file, false);
    let v = studio.verdict(&file);
    assert_eq!(v["state"], "trusted", "{v:#}");
    // And a change to the EXIF, now hashed, is caught by the SDK itself.
    edit_model(&file);
    let v = studio.verdict(&file);
    assert_eq!(v["state"], "invalid", "{v:#}");
    assert!(
        has_code(&v, "failure", "assertion.dataHash.mismatch"),
        "{v:#}"
    );
}

#[test]
fn an_exclusion_over_the_exif_segment_is_a_data_hash_mismatch() {
    let studio = Studio::new("Camera Vendor");
    let file = studio.dir.path().join("truepic-like.jpg");
    camera_jpeg(&studio, &file, true);
    for edited in [false, true] {
        if edited {
            edit_model(&file);
        }
        let out = studio
            .verify()
            .arg("--json")
            .arg(&file)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "edited={edited}");
        let v = crate::support::json(&out)["files"][0].clone();
        assert_eq!(v["state"], "invalid", "edited={edited}: {v:#}");
        assert!(
            has_code(&v, "failure", "assertion.dataHash.mismatch"),
            "{v:#}"
        );
        let finding = v["findings"]
            .as_array()
            .and_then(|f| {
                f.iter()
                    .find(|f| f["code"] == "credits.dataHash.unhashedBytes")
            })
            .unwrap_or_else(|| panic!("no unhashed-bytes finding: {v:#}"));
        let detail = finding["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("bytes 0.."), "{detail}");
        assert!(
            detail.contains("Exif") || detail.contains("Truepic"),
            "{detail}"
        );
    }
}
