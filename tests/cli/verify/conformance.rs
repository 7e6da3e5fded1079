//! C2PA 2.2 conformance of what `credits` signs, read back by the c2pa SDK
//! configured here (not through `credits`), and the operator as a CAWG
//! identity assertion: for every format, the actions are a created
//! assertion opening with the inception action and saying
//! `allActionsIncluded`, `claim_generator_info` has `specVersion`, the
//! identity validates for our operator, and `verify` reports it with the
//! informational codes. Tampered or misattributed identities fail.

use std::path::{Path, PathBuf};

use c2pa::identity::builder::{IdentityAssertionBuilder, IdentityAssertionSigner};
use c2pa::identity::x509::X509CredentialHolder;

use crate::support::{ffmpeg, frame, media, path_str, sdk_sign_with, Studio};

/// A reader anchored on the studio CA, for claim signers and, separately,
/// for CAWG identity credentials.
fn reader(studio: &Studio, signed: &Path) -> c2pa::Reader {
    let anchors = std::fs::read_to_string(&studio.trust).expect("trust");
    let settings = serde_json::json!({
        "verify": {"ocsp_fetch": false, "remote_manifest_fetch": false},
        "trust": {"trust_anchors": anchors},
        "cawg_trust": {"trust_anchors": anchors},
    });
    let ctx = c2pa::Context::new()
        .with_settings(settings.to_string().as_str())
        .expect("settings");
    let name = path_str(signed);
    match name.strip_suffix(".c2pa") {
        // A sidecar is read with the media it describes.
        Some(media) => {
            let store = std::fs::read(signed).expect("sidecar");
            let file = std::fs::File::open(media).expect("media");
            c2pa::Reader::from_context(ctx)
                .with_manifest_data_and_stream(&store, "video/x-matroska", file)
                .expect("read sidecar")
        }
        None => c2pa::Reader::from_context(ctx)
            .with_file(signed)
            .expect("read"),
    }
}

/// The inputs: a frame in each image format, a clip in each container and
/// a sound in each audio format; the MKV is signed as a sidecar.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for name in ["frame.png", "frame.jpg", "frame.webp"] {
        frame(&dir.join(name), 7);
        out.push(dir.join(name));
    }
    for name in ["clip.mp4", "clip.mov", "clip.mkv"] {
        out.push(media(dir, name));
    }
    for name in ["sound.wav", "sound.mp3"] {
        let path = dir.join(name);
        ffmpeg(&["-f", "lavfi", "-i", "sine=duration=1", path_str(&path)]);
        out.push(path);
    }
    out
}

#[test]
fn every_format_signs_conformant_manifests_with_the_operator_as_cawg_identity() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let files = inputs(&src);
    studio
        .stamp()
        .args(&files)
        .arg("--out")
        .arg(&out)
        .args(["--prompt", "a lighthouse", "--reveal-dir"])
        .arg(studio.subdir("reveals"))
        .assert()
        .success();
    for input in &files {
        let name = input.file_name().expect("name").to_string_lossy();
        let signed = match name.as_ref() {
            "clip.mkv" => out.join("clip.mkv.c2pa"),
            _ => out.join(name.as_ref()),
        };
        let reader = reader(&studio, &signed);
        assert_eq!(
            reader.validation_state(),
            c2pa::validation_results::ValidationState::Trusted,
            "{name}"
        );
        let manifest = reader.active_manifest().expect("manifest");
        let actions = manifest
            .assertions()
            .iter()
            .find(|a| a.label().starts_with("c2pa.actions"))
            .expect("actions");
        assert!(actions.created(), "{name}: actions are a created assertion");
        let value = actions.value().expect("actions value");
        assert_eq!(value["allActionsIncluded"], true, "{name}");
        assert_eq!(value["actions"][0]["action"], "c2pa.created", "{name}");
        let generator = &manifest.claim_generator_info.as_ref().expect("info")[0];
        assert_eq!(
            generator.get("specVersion").and_then(|v| v.as_str()),
            Some("2.2.0"),
            "{name}"
        );
        for label in ["film.credits.generation", "c2pa.soft-binding"] {
            if let Some(a) = manifest.assertions().iter().find(|a| a.label() == label) {
                assert!(a.created(), "{name}: {label} is a created assertion");
            }
        }
        let results = reader.validation_results().expect("results");
        let active = results.active_manifest().expect("active results");
        assert!(
            active
                .success()
                .iter()
                .any(|s| s.code() == "cawg.identity.well-formed"
                    && s.url().is_some_and(|u| u.ends_with("/cawg.identity"))),
            "{name}: the identity validates"
        );
        let v = studio.verdict(&signed_media(&signed));
        assert_eq!(v["state"], "trusted", "{name}: {v}");
        let id = &v["cawg_identity"][0];
        assert_eq!(id["status"], "cawg.identity.trusted", "{name}: {id}");
        assert_eq!(id["signer"], "Alice Chen");
        assert_eq!(id["email"], "alice@studio.test");
        assert_eq!(id["roles"], serde_json::json!(["cawg.creator"]));
        let referenced = id["referenced_assertions"].to_string();
        assert!(
            referenced.contains("c2pa.actions.v2")
                && referenced.contains("film.credits.generation")
        );
        assert!(
            referenced.contains("c2pa.hash."),
            "{name}: the hard binding is referenced"
        );
        let notes = &v["codes"]["informational"];
        assert!(
            notes.to_string().contains("signingCredential.ocsp.skipped"),
            "{name}"
        );
        assert!(
            !notes.to_string().contains("additionalExclusionsPresent"),
            "{name}: only the required BMFF exclusions"
        );
    }
}

/// The media file a signed output describes (a sidecar's, or itself).
fn signed_media(signed: &Path) -> PathBuf {
    match path_str(signed).strip_suffix(".c2pa") {
        Some(media) => PathBuf::from(media),
        None => signed.to_path_buf(),
    }
}

#[test]
fn a_frame_soft_binding_has_no_timespan_and_the_role_maps_to_cawg() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let input = src.join("plate.png");
    frame(&input, 3);
    let out = studio.subdir("out");
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--role", "compositing"])
        .assert()
        .success();
    let reader = reader(&studio, &out.join("plate.png"));
    let manifest = reader.active_manifest().expect("manifest");
    let binding = manifest
        .assertions()
        .iter()
        .find(|a| a.label() == "c2pa.soft-binding")
        .and_then(|a| a.value().ok())
        .expect("soft binding");
    assert_eq!(
        binding["blocks"][0]["scope"],
        serde_json::json!({}),
        "{binding}"
    );
    let v = studio.verdict(&out.join("plate.png"));
    assert_eq!(
        v["cawg_identity"][0]["roles"],
        serde_json::json!(["cawg.editor"])
    );
}

/// Flip one bit `after` bytes past `marker`, which must follow the
/// identity assertion's label in the file.
fn flip_in_identity(path: &Path, marker: &[u8], after: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    let label = find(&bytes, b"cawg.identity", 0).expect("identity label");
    let at = find(&bytes, marker, label).expect("marker") + marker.len() + after;
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).expect("write");
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[test]
fn a_tampered_identity_assertion_is_invalid_with_its_cawg_code() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let input = src.join("shot.jpg");
    frame(&input, 5);
    let signed = studio.stamp_out(&input);
    // A byte of the padding (which must be zeros) …
    let padded = studio.subdir("pad").join("shot.jpg");
    std::fs::copy(&signed, &padded).expect("copy");
    flip_in_identity(&padded, b"pad1", 4);
    let v = studio.verdict(&padded);
    assert_eq!(v["state"], "invalid", "{v}");
    assert!(
        v["codes"]["failure"]
            .to_string()
            .contains("cawg.identity.pad.invalid"),
        "{v}"
    );
    assert_eq!(v["cawg_identity"][0]["status"], "cawg.identity.pad.invalid");
    // … and a byte of the COSE signature.
    let forged = studio.subdir("sig").join("shot.jpg");
    std::fs::copy(&signed, &forged).expect("copy");
    flip_in_identity(&forged, b"signature", 40);
    let v = studio.verdict(&forged);
    assert_eq!(v["state"], "invalid", "{v}");
    let status = v["cawg_identity"][0]["status"].as_str().expect("status");
    assert!(
        !status.starts_with("cawg.identity.trusted") && !status.ends_with("well-formed"),
        "{v}"
    );
    studio.verify().arg(&forged).assert().code(1);
}

/// Sign `input` into `output` as the SDK would for another tool: the claim
/// with `claim` (key, chain), a CAWG identity with `actor`'s credential,
/// and `record` as our record.
fn sign_with_identity(
    claim: (&Path, &Path),
    actor: (&Path, &Path),
    record: &serde_json::Value,
    input: &Path,
    output: &Path,
) {
    let raw = |(key, chain): (&Path, &Path)| {
        c2pa::crypto::raw_signature::signer_from_cert_chain_and_private_key(
            &std::fs::read(chain).expect("chain"),
            &std::fs::read(key).expect("key"),
            c2pa::SigningAlg::Ed25519,
            None,
        )
        .expect("raw signer")
    };
    let mut signer = IdentityAssertionSigner::new(raw(claim));
    let mut identity = IdentityAssertionBuilder::for_credential_holder(
        X509CredentialHolder::from_raw_signer(raw(actor)),
    );
    identity.add_referenced_assertions(&["c2pa.actions.v2", "film.credits.generation"]);
    identity.add_roles(&["cawg.creator"]);
    signer.add_identity_assertion(identity);
    let definition = serde_json::json!({
        "claim_generator_info": [{"name": "other-tool"}],
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.created",
                "digitalSourceType": crate::judge::AI}]}},
            {"label": "film.credits.generation", "data": record},
        ],
    });
    sdk_sign_with(&signer, input, output, &definition);
}

#[test]
fn an_identity_that_is_not_the_claims_operator_fails() {
    let studio = Studio::new("Northwind Pictures");
    let bob = studio.issue("Bob Stone", "bob@studio.test");
    let alice = (studio.key.as_path(), studio.chain.as_path());
    let src = studio.subdir("src");
    let input = src.join("plate.png");
    frame(&input, 9);
    // Alice's own record, as `credits` signs it.
    let record = studio.verdict(&studio.stamp_out(&input))["record"].clone();
    // Alice signs the claim, but the named actor is Bob: whose work is it?
    let out = studio.subdir("mixed").join("plate.png");
    sign_with_identity(alice, (&bob.0, &bob.1), &record, &input, &out);
    let v = studio.verdict(&out);
    assert_eq!(v["state"], "invalid", "{v}");
    assert!(
        v["codes"]["failure"]
            .to_string()
            .contains("credits.identity.mismatch"),
        "{v}"
    );
    let id = &v["cawg_identity"][0];
    assert_eq!(
        id["status"], "cawg.identity.trusted",
        "the signature itself holds: {id}"
    );
    assert_eq!(id["claim_signer"], false);
    // The same, with Alice as the actor too, is trusted and names her.
    let own = studio.subdir("own").join("plate.png");
    sign_with_identity(alice, alice, &record, &input, &own);
    let v = studio.verdict(&own);
    assert_eq!(v["state"], "trusted", "{v}");
    assert_eq!(v["cawg_identity"][0]["signer"], "Alice Chen");
}

#[test]
fn training_and_mining_is_declared_shown_and_required_by_policy() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let (open, closed) = (src.join("open.png"), src.join("closed.png"));
    frame(&open, 1);
    frame(&closed, 2);
    let out = studio.subdir("out");
    studio
        .stamp()
        .arg(&open)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    studio
        .stamp()
        .arg(&closed)
        .arg("--out")
        .arg(&out)
        .args(["--training-mining", "notAllowed"])
        .assert()
        .success();
    let v = studio.verdict(&out.join("closed.png"));
    assert_eq!(
        v["training_mining"]["entries"]["cawg.ai_training"], "notAllowed",
        "{v}"
    );
    assert_eq!(
        v["training_mining"]["entries"]["cawg.ai_inference"],
        "notAllowed"
    );
    assert!(studio.verdict(&out.join("open.png"))["training_mining"].is_null());
    studio
        .verify()
        .arg(out.join("closed.png"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "training  ai_generative_training=notAllowed",
        ));
    // A bad value is refused before anything is signed.
    studio
        .stamp()
        .arg(&open)
        .arg("--out")
        .arg(studio.subdir("never"))
        .args(["--training-mining", "sometimes"])
        .assert()
        .code(2);
    // The audit lists the undeclared file; a policy requiring a
    // declaration rejects it.
    let lax = crate::judge::policy(&studio, "require_trusted = true\n");
    let (code, r) = crate::judge::audit_json(&studio, &out, &lax);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["summary"]["training_mining_undeclared"], 1);
    let strict = crate::judge::policy(&studio, "require_training_mining_declared = true\n");
    let (code, r) = crate::judge::audit_json(&studio, &out, &strict);
    assert_eq!(code, 1, "{r}");
    let undeclared: Vec<(String, String)> = crate::judge::finding_codes(&r)
        .into_iter()
        .filter(|(_, code)| code == "training_mining_undeclared")
        .collect();
    assert_eq!(
        undeclared,
        [(
            "open.png".to_string(),
            "training_mining_undeclared".to_string()
        )]
    );
}

#[test]
fn a_spliced_clip_hashes_its_free_boxes() {
    // The SDK's writer leaves `free` and `skip` outside the hash; the
    // splice excludes only what C2PA requires, so renaming a `free` box
    // (or hiding bytes in one) breaks the binding.
    let studio = Studio::new("Northwind Pictures");
    let input = media(&studio.subdir("src"), "shot.mp4");
    let signed = studio.stamp_out(&input);
    let mut bytes = std::fs::read(&signed).expect("read");
    let free = find(&bytes, b"free", 0).expect("ffmpeg writes a free box");
    bytes[free..free + 4].copy_from_slice(b"skip");
    std::fs::write(&signed, bytes).expect("write");
    let v = studio.verdict(&signed);
    assert_eq!(v["state"], "invalid", "{v}");
    assert!(
        v["codes"]["failure"]
            .to_string()
            .contains("assertion.bmffHash.mismatch"),
        "{v}"
    );
}

#[test]
fn iscc_codes_are_signed_for_frames_and_clips_and_are_stable() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let clip = media(&src, "shot.mp4");
    let still = src.join("plate.png");
    frame(&still, 4);
    let code = |dir: &str, input: &Path| {
        let out = studio.subdir(dir);
        studio
            .stamp()
            .arg(input)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let signed = out.join(input.file_name().expect("name"));
        let v = studio.verdict(&signed);
        let reader = reader(&studio, &signed);
        let bindings: Vec<serde_json::Value> = reader
            .active_manifest()
            .expect("manifest")
            .assertions()
            .iter()
            .filter(|a| a.label().starts_with("c2pa.soft-binding"))
            .map(|a| a.value().expect("value").clone())
            .collect();
        let iscc = bindings
            .iter()
            .find(|b| b["alg"] == "io.iscc.v0")
            .expect("an io.iscc.v0 soft binding");
        assert_eq!(iscc["blocks"][0]["value"], v["soft_binding"]["iscc"]);
        v["soft_binding"]["iscc"]
            .as_str()
            .expect("iscc")
            .to_string()
    };
    let (a, b) = (code("one", &clip), code("two", &clip));
    assert_eq!(a, b, "the Video-Code is the same on every run");
    assert!(a.starts_with("ISCC:EM"), "a Video-Code: {a}");
    let (c, d) = (code("three", &still), code("four", &still));
    assert_eq!(c, d);
    assert!(c.starts_with("ISCC:EE"), "an Image-Code: {c}");
    // A sound: an Audio-Code from Chromaprint (6 s: it needs a few).
    let sound = src.join("score.wav");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=6",
        "-f",
        "lavfi",
        "-i",
        "anoisesrc=duration=6:amplitude=0.1",
        "-filter_complex",
        "amix=inputs=2",
        path_str(&sound),
    ]);
    let (e, f) = (code("five", &sound), code("six", &sound));
    assert_eq!(e, f);
    assert!(e.starts_with("ISCC:EI"), "an Audio-Code: {e}");
}
