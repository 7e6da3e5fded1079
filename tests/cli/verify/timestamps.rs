//! RFC 3161 timestamps from a real TSA (OpenSSL's `ts -reply` on
//! 127.0.0.1, [`crate::tsa_server`]): a timestamped signature outlives the
//! operator's certificate when the TSA is trusted, and only then; a TSA
//! that fails stops the stamp with nothing written unless the timestamp
//! is optional. Time travel by libfaketime (`faketime`, from Debian).

use std::path::Path;
use std::process::Output;

use crate::support::{
    clip, frame, has_code, json, listing, path_str as s, stderr, verify_later, Studio,
};
use crate::tsa_server::{Mode, Tsa};

fn stamp(studio: &Studio, input: &Path, out: &Path, extra: &[&str]) -> Output {
    studio
        .stamp()
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run stamp")
}

#[test]
fn a_timestamped_signature_outlives_the_certificate_only_with_a_trusted_tsa() {
    let studio = Studio::new("Northwind Pictures");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Test Time", Mode::Good);
    let dir = studio.subdir("in");
    let out = studio.subdir("out");
    frame(&dir.join("a.png"), 1);
    frame(&dir.join("b.png"), 2);
    clip(&dir.join("a.mp4"));
    let o = stamp(&studio, &dir.join("a.png"), &out, &["--tsa", &tsa.url]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = stamp(&studio, &dir.join("a.mp4"), &out, &["--tsa", &tsa.url]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = stamp(&studio, &dir.join("b.png"), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (a, b) = (out.join("a.png"), out.join("b.png"));

    // Today: both trusted; a's timestamp shown, its TSA trusted.
    let now = json(
        &studio
            .verify()
            .args(["--json", "--tsa-trust", s(&tsa.root)])
            .arg(&a)
            .arg(&b)
            .output()
            .unwrap(),
    );
    let (va, vb) = (&now["files"][0], &now["files"][1]);
    assert_eq!(va["state"], "trusted", "{va}");
    assert_eq!(va["timestamp"]["trusted"], true, "{va}");
    assert!(
        va["timestamp"]["tsa"]
            .as_str()
            .unwrap()
            .contains("Test Time TSA"),
        "{va}"
    );
    assert!(
        va["timestamp"]["time"].as_str().unwrap().ends_with('Z'),
        "{va}"
    );
    assert_eq!(vb["state"], "trusted", "{vb}");
    assert!(vb["timestamp"].is_null(), "{vb}");
    let human = studio
        .verify()
        .args(["--tsa-trust", s(&tsa.root)])
        .arg(&a)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("timestamped by") && text.contains("(trusted TSA)"),
        "{text}"
    );

    // 800 days on, the operator's one-year certificate has expired.
    for file in [a.clone(), out.join("a.mp4")] {
        let later = verify_later(&studio, &file, Some(&tsa.root), 800);
        let v = &json(&later)["files"][0];
        assert_eq!(later.status.code(), Some(0), "{v}");
        assert_eq!(v["state"], "trusted", "{v}");
        assert_eq!(v["timestamp"]["trusted"], true, "{v}");
        assert!(
            has_code(v, "informational", "credits.timestamp.signed_while_valid"),
            "{v}"
        );
    }
    let later = verify_later(&studio, &b, Some(&tsa.root), 800);
    let v = &json(&later)["files"][0];
    assert_eq!(later.status.code(), Some(1), "{v}");
    assert_eq!(v["state"], "invalid", "{v}");
    assert!(has_code(v, "failure", "signingCredential.expired"), "{v}");
    // A TSA outside --tsa-trust (none given; or the studio's own root
    // offered as a TSA root): its time is not used.
    for roots in [None, Some(studio.trust.as_path())] {
        let later = verify_later(&studio, &a, roots, 800);
        let v = &json(&later)["files"][0];
        assert_eq!(v["state"], "invalid", "{roots:?}: {v}");
        assert_eq!(v["timestamp"]["trusted"], false, "{roots:?}: {v}");
        assert!(
            stderr(&later).contains("stamp with --tsa URL"),
            "{}",
            stderr(&later)
        );
    }
}

#[test]
fn a_failing_tsa_stops_the_stamp_unless_the_timestamp_is_optional() {
    let studio = Studio::new("Northwind Pictures");
    let broken = Tsa::start(&studio.subdir("broken"), "Broken", Mode::Broken);
    let garbage = Tsa::start(&studio.subdir("garbage"), "Garbage", Mode::Garbage);
    let dir = studio.subdir("in");
    let out = studio.subdir("out");
    frame(&dir.join("f.png"), 3);
    for url in [
        broken.url.as_str(),
        garbage.url.as_str(),
        "http://127.0.0.1:9/tsa",
        "ftp://tsa.example/",
    ] {
        let o = stamp(&studio, &dir.join("f.png"), &out, &["--tsa", url]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{url}: {err}");
        assert!(
            err.contains("time-stamp authority") && err.contains("hint:"),
            "{url}: {err}"
        );
        assert!(listing(&out).is_empty(), "{url} left {:?}", listing(&out));
    }
    let o = stamp(
        &studio,
        &dir.join("f.png"),
        &out,
        &["--tsa", &broken.url, "--tsa-optional"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("signing without timestamps"), "{err}");
    let v = studio.verdict(&out.join("f.png"));
    assert_eq!(v["state"], "trusted", "{v}");
    assert!(v["timestamp"].is_null(), "{v}");
    let o = stamp(&studio, &dir.join("f.png"), &out, &["--tsa-optional"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
