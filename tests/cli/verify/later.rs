//! `credits timestamp`: files an offline render node signed without a
//! timestamp get one later — an update manifest with a `c2pa.time-stamp`
//! assertion (C2PA 2.2) from a real TSA ([`crate::tsa_server`]) — and then
//! outlive the operator's certificate like files stamped with `--tsa`.
//! Time travel by libfaketime.

use std::path::Path;
use std::process::Output;

use crate::engines::Engine;
use crate::support::{
    clip, credits_later, flip_media_byte, frame, has_code, json, path_str as s, stderr,
    verify_later, Studio,
};
use crate::tsa_server::{Mode, Tsa};

/// `credits timestamp --json PATHS --tsa URL` signed by the studio's operator.
fn timestamp(studio: &Studio, paths: &[&Path], url: &str) -> Output {
    timestamp_by(studio, studio, paths, url)
}

/// [`timestamp`] with `signer`'s operator signing the update, judged
/// against `studio`'s bundle.
fn timestamp_by(studio: &Studio, signer: &Studio, paths: &[&Path], url: &str) -> Output {
    let mut cmd = crate::support::credits();
    cmd.arg("timestamp")
        .args(paths)
        .args(["--json", "--tsa", url, "--key"])
        .arg(&signer.key)
        .arg("--chain")
        .arg(&signer.chain)
        .arg("--trust")
        .arg(&studio.trust);
    cmd.output().expect("run timestamp")
}

/// Two stamped frames and a stamped clip, none timestamped: (dir, a.png,
/// b.png, a.mp4).
fn stamped(studio: &Studio) -> (std::path::PathBuf, [std::path::PathBuf; 3]) {
    let dir = studio.subdir("in");
    frame(&dir.join("a.png"), 1);
    frame(&dir.join("b.png"), 2);
    clip(&dir.join("a.mp4"));
    let out = studio.subdir("out");
    let o = studio
        .stamp()
        .arg(dir.join("a.png"))
        .arg(dir.join("b.png"))
        .arg(dir.join("a.mp4"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (
        out.clone(),
        [out.join("a.png"), out.join("b.png"), out.join("a.mp4")],
    )
}

#[test]
fn a_timestamp_added_later_keeps_the_file_trusted_after_the_certificate_expires() {
    let studio = Studio::new("Northwind Pictures");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Later Time", Mode::Good);
    let (_, [a, b, clip]) = stamped(&studio);

    let o = timestamp(&studio, &[&a, &clip], &tsa.url);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = json(&o);
    for f in report["files"].as_array().unwrap() {
        assert_eq!(f["result"], "timestamped", "{report}");
        assert!(f["timestamp"]["tsa"]
            .as_str()
            .unwrap()
            .contains("Later Time"));
    }

    // Today: the asset is still the operator's, with the time shown and
    // who added it.
    let now = json(
        &studio
            .verify()
            .args(["--json", "--tsa-trust", s(&tsa.root)])
            .arg(&a)
            .output()
            .unwrap(),
    );
    let v = &now["files"][0];
    assert_eq!(v["state"], "trusted", "{v}");
    assert_eq!(v["timestamp"]["trusted"], true, "{v}");
    assert!(v["timestamp"]["added_later"]["manifest"].is_string(), "{v}");
    assert_eq!(v["timestamp"]["added_later"]["signer"], "Alice Chen", "{v}");
    assert_eq!(v["record"]["operator"]["name"], "Alice Chen", "{v}");
    assert_eq!(v["signer"]["common_name"], "Alice Chen", "{v}");
    assert!(v["ingredients"].as_array().unwrap().is_empty(), "{v}");
    let human = studio
        .verify()
        .args(["--tsa-trust", s(&tsa.root)])
        .arg(&a)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("timestamped later by"), "{text}");

    // 800 days on: the timestamped frame and clip stand, their untimestamped
    // twin does not; without a trusted TSA neither does the timestamp.
    for file in [&a, &clip] {
        let later = verify_later(&studio, file, Some(&tsa.root), 800);
        let v = &json(&later)["files"][0];
        assert_eq!(later.status.code(), Some(0), "{v}");
        assert_eq!(v["state"], "trusted", "{v}");
        assert!(
            has_code(v, "informational", "credits.timestamp.signed_while_valid"),
            "{v}"
        );
    }
    let later = verify_later(&studio, &b, Some(&tsa.root), 800);
    let v = &json(&later)["files"][0];
    assert_eq!(v["state"], "invalid", "{v}");
    assert!(has_code(v, "failure", "signingCredential.expired"), "{v}");
    let later = verify_later(&studio, &a, None, 800);
    let v = &json(&later)["files"][0];
    assert_eq!(v["state"], "invalid", "{v}");
    assert_eq!(v["timestamp"]["trusted"], false, "{v}");
}

#[test]
fn timestamping_twice_changes_nothing_and_a_broken_file_is_refused_untouched() {
    let studio = Studio::new("Northwind Pictures");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Later Time", Mode::Good);
    let (out, [a, b, clip]) = stamped(&studio);
    let o = timestamp(&studio, &[&out], &tsa.url);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before: Vec<Vec<u8>> = [&a, &b, &clip]
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    // Idempotent: every file already carries a timestamp.
    let o = timestamp(&studio, &[&out], &tsa.url);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(report["files"].as_array().unwrap().len(), 3, "{report}");
    for f in report["files"].as_array().unwrap() {
        assert_eq!(f["result"], "skipped", "{report}");
    }
    for (f, old) in [&a, &b, &clip].iter().zip(&before) {
        assert_eq!(&std::fs::read(f).unwrap(), old, "{}", f.display());
    }
    // A file stamped with --tsa is skipped too.
    let dir = studio.subdir("fresh");
    let fresh_out = studio.subdir("fresh-out");
    frame(&dir.join("c.png"), 3);
    let o = studio
        .stamp()
        .arg(dir.join("c.png"))
        .arg("--out")
        .arg(&fresh_out)
        .args(["--tsa", &tsa.url])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = timestamp(&studio, &[&fresh_out.join("c.png")], &tsa.url);
    assert_eq!(json(&o)["files"][0]["result"], "skipped", "{}", stderr(&o));

    // Tampered, unsigned: refused (exit 1), bytes untouched, no temporary
    // file left beside them.
    let dir = studio.subdir("bad");
    frame(&dir.join("d.png"), 4);
    let d = studio.stamp_out(&dir.join("d.png"));
    flip_media_byte(&d);
    std::fs::rename(&d, dir.join("d-signed.png")).unwrap();
    let d = dir.join("d-signed.png");
    let unsigned = dir.join("e.png");
    frame(&unsigned, 5);
    for file in [&d, &unsigned] {
        let old = std::fs::read(file).unwrap();
        let o = timestamp(&studio, &[file], &tsa.url);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("cannot be timestamped"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(file).unwrap(), old);
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        3,
        "no temporary left"
    );

    // A TSA that fails: exit 2, nothing changed.
    let broken = Tsa::start(&studio.subdir("broken"), "Broken", Mode::Broken);
    let dir = studio.subdir("offline");
    frame(&dir.join("f.png"), 6);
    let f = studio.stamp_out(&dir.join("f.png"));
    assert!(f.is_file());
    let old = std::fs::read(&f).unwrap();
    let o = timestamp(&studio, &[&f], &broken.url);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("time-stamp authority"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&f).unwrap(), old);
}

#[test]
fn a_timestamp_assertion_that_does_not_verify_rescues_nothing() {
    // Another tool's update manifest claiming a timestamp for the frame's
    // manifest with bytes that are no token over its signature.
    let studio = Studio::new("Northwind Pictures");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Later Time", Mode::Good);
    let dir = studio.subdir("in");
    frame(&dir.join("a.png"), 7);
    let a = studio.stamp_out(&dir.join("a.png"));
    let label = studio.verdict(&a)["manifest_label"]
        .as_str()
        .unwrap()
        .to_string();
    let forged = dir.join("forged.png");
    let mut stamp = c2pa::assertions::TimeStamp::new();
    stamp.add_timestamp(&label, b"not an RFC 3161 token");
    update_with(&studio, &a, &forged, &stamp);
    let now = json(
        &studio
            .verify()
            .args(["--json", "--tsa-trust", s(&tsa.root)])
            .arg(&forged)
            .output()
            .unwrap(),
    );
    let v = &now["files"][0];
    assert_eq!(v["timestamp"]["trusted"], false, "{v}");
    assert_eq!(v["record"]["operator"]["name"], "Alice Chen", "{v}");
    let later = verify_later(&studio, &forged, Some(&tsa.root), 800);
    let v = &json(&later)["files"][0];
    assert_eq!(v["state"], "invalid", "{v}");
    assert!(has_code(v, "failure", "signingCredential.expired"), "{v}");
    // `credits timestamp` does not stack a second timestamp on it.
    let o = timestamp(&studio, &[&forged], &tsa.url);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("does not verify"), "{}", stderr(&o));
}

fn an_outsider_adding_the_timestamp_leaves_the_file_valid_and_recovery_sees_through_it(
    engine: Engine,
) {
    let studio = Studio::new("Northwind Pictures");
    let outsider = Studio::new("Elsewhere Ltd");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Later Time", Mode::Good);
    let dir = studio.subdir("in");
    frame(&dir.join("a.png"), 8);
    let a = studio.stamp_out(&dir.join("a.png"));
    let o = timestamp_by(&studio, &outsider, &[&a], &tsa.url);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = studio.verdict(&a);
    assert_eq!(v["state"], "valid", "{v}");
    assert_eq!(v["signer"]["common_name"], "Alice Chen", "{v}");
    assert_eq!(
        v["timestamp"]["added_later"]["failures"][0], "signingCredential.untrusted",
        "{v}"
    );

    // Indexed once timestamped by the studio itself, then found from a
    // re-encoded copy 800 days on: the operator's signature stands on
    // the later timestamp.
    let b_in = dir.join("b.png");
    frame(&b_in, 9);
    let b = studio.stamp_out(&b_in);
    let o = timestamp(&studio, &[&b], &tsa.url);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let db = engine.catalog(studio.dir.path());
    crate::support::credits()
        .args(["index", "add", "--index"])
        .arg(&db)
        .arg(&b)
        .arg("--trust")
        .arg(&studio.trust)
        .assert()
        .success();
    let copy = dir.join("copy.jpg");
    image::open(&b).unwrap().to_rgb8().save(&copy).unwrap();
    let recover = |days: u32, tsa_trust: bool| {
        let mut cmd = credits_later(days);
        cmd.args(["verify", "--json", "--recover", "--index"])
            .arg(&db)
            .arg("--trust")
            .arg(&studio.trust)
            .arg(&copy);
        if tsa_trust {
            cmd.arg("--tsa-trust").arg(&tsa.root);
        }
        json(&cmd.output().unwrap())
    };
    let r = recover(800, true);
    let recovery = &r["files"][0]["recovery"];
    assert_eq!(recovery["signer_state"], "trusted", "{r}");
    let r = recover(800, false);
    assert_eq!(r["files"][0]["recovery"]["signer_state"], "invalid", "{r}");

    // The outsider's update indexed (without anchors, as an ingest box
    // might): recovery names the frame's signer, judged with the update's.
    crate::support::credits()
        .args(["index", "add", "--index"])
        .arg(&db)
        .arg(&a)
        .assert()
        .success();
    let copy = dir.join("copy-a.jpg");
    image::open(&a).unwrap().to_rgb8().save(&copy).unwrap();
    let mut cmd = crate::support::credits();
    cmd.args(["verify", "--json", "--recover", "--index"])
        .arg(&db)
        .arg("--trust")
        .arg(&studio.trust)
        .arg(&copy);
    let r = json(&cmd.output().unwrap());
    let recovery = &r["files"][0]["recovery"];
    assert_eq!(
        recovery["issuer_fingerprint"], v["signer"]["issuer_fingerprint"],
        "{r}"
    );
    assert_eq!(recovery["signer_state"], "valid", "{r}");
}

/// An update manifest over `input` with `stamp`, signed by the studio's
/// operator with the SDK directly, into `output`.
fn update_with(studio: &Studio, input: &Path, output: &Path, stamp: &c2pa::assertions::TimeStamp) {
    let signer = c2pa::create_signer::from_keys(
        &std::fs::read(&studio.chain).unwrap(),
        &std::fs::read(&studio.key).unwrap(),
        c2pa::SigningAlg::Ed25519,
        None,
    )
    .unwrap();
    let mut builder = c2pa::Builder::from_context(c2pa::Context::new());
    builder.set_intent(c2pa::BuilderIntent::Update);
    builder.add_assertion("c2pa.time-stamp", stamp).unwrap();
    let mut source = std::fs::File::open(input).unwrap();
    let mut dest = std::io::Cursor::new(Vec::new());
    builder
        .sign(signer.as_ref(), "image/png", &mut source, &mut dest)
        .unwrap();
    std::fs::write(output, dest.into_inner()).unwrap();
}

#[test]
fn a_format_the_sdk_cannot_update_in_place_is_refused_untouched() {
    // WAV (RIFF): the update manifest's larger store moves bytes the
    // earlier data hash covers; the file is read back before it replaces
    // the original, and the break is caught.
    let studio = Studio::new("Northwind Pictures");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Later Time", Mode::Good);
    let dir = studio.subdir("in");
    let wav = dir.join("s.wav");
    crate::support::ffmpeg(&["-f", "lavfi", "-i", "sine=duration=2", s(&wav)]);
    let signed = studio.stamp_out(&wav);
    let old = std::fs::read(&signed).unwrap();
    let o = timestamp(&studio, &[&signed], &tsa.url);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("sign it again with --tsa"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&signed).unwrap(), old);
    let left: Vec<_> = std::fs::read_dir(signed.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn a_derived_file_outlives_its_sources_certificates_when_they_were_timestamped() {
    // Ingredients are judged at their own time too: a proxy of a clip
    // stamped with --tsa, or timestamped later, stands 800 days on; a
    // proxy of an untimestamped clip does not.
    let studio = Studio::new("Northwind Pictures");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Later Time", Mode::Good);
    let input = studio.subdir("in").join("shot.mp4");
    clip(&input);
    let mut proxies = Vec::new();
    for (name, extra) in [("tsa", true), ("later", false), ("plain", false)] {
        let out = studio.subdir(name);
        let mut cmd = studio.stamp();
        cmd.arg(&input).arg("--out").arg(&out);
        if extra {
            cmd.args(["--tsa", &tsa.url]);
        }
        cmd.assert().success();
        let source = out.join("shot.mp4");
        if name == "later" {
            let o = timestamp(&studio, &[&source], &tsa.url);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        }
        let proxy = out.join("proxy.mp4");
        crate::support::ffmpeg(&["-i", s(&source), "-vf", "scale=160:-2", s(&proxy)]);
        crate::support::credits()
            .arg("derive")
            .arg(&proxy)
            .arg("--from")
            .arg(&source)
            .args([
                "--action",
                "transcoded",
                "--tool",
                "ffmpeg",
                "--tsa",
                &tsa.url,
            ])
            .arg("--key")
            .arg(&studio.key)
            .arg("--chain")
            .arg(&studio.chain)
            .assert()
            .success();
        proxies.push(proxy);
    }
    let states: Vec<String> = proxies
        .iter()
        .map(|p| {
            let later = verify_later(&studio, p, Some(&tsa.root), 800);
            json(&later)["files"][0]["state"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(states, ["trusted", "trusted", "invalid"]);
    let later = verify_later(&studio, &proxies[2], Some(&tsa.root), 800);
    let v = &json(&later)["files"][0];
    assert!(
        v["ingredient_failures"][0]
            .as_str()
            .unwrap()
            .ends_with("signingCredential.expired"),
        "{v}"
    );
}

crate::on_both_engines!(
    an_outsider_adding_the_timestamp_leaves_the_file_valid_and_recovery_sees_through_it
);
