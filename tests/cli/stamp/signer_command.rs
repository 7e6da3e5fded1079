//! `--signer-cmd`: the key stays with a command (here `openssl pkeyutl`,
//! as a token's client would); `credits` never opens the key file. The
//! key `keys issue` wrote is read by OpenSSL as it is (PKCS#8 v1).

use std::path::Path;

use crate::support::{credits, frame, listing, path_str as s, Studio};

/// OpenSSL as the token's client: `pkeyutl -rawin` signs a file (it
/// cannot size a pipe), so stdin goes to a temporary file first.
fn openssl_signer(key: &Path) -> String {
    format!(
        "t=$(mktemp) && cat > \"$t\" && openssl pkeyutl -sign -rawin -inkey '{}' -in \"$t\"; r=$?; rm -f \"$t\"; exit $r",
        s(key)
    )
}

#[test]
fn a_signer_command_signs_and_a_bad_one_writes_nothing() {
    let studio = Studio::new("Northwind Pictures");
    let (bob_key, _) = studio.issue("Bob Diaz", "bob@studio.test");
    let dir = studio.subdir("in");
    let out = studio.subdir("out");
    frame(&dir.join("f.png"), 4);
    let stamp = |cmd: &str| {
        credits()
            .arg("stamp")
            .arg(dir.join("f.png"))
            .args(["--tool", "Runway", "--signer-cmd", cmd, "--chain"])
            .arg(&studio.chain)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("run stamp")
    };
    // A command that fails, prints garbage, or signs with another key.
    for cmd in ["false", "echo not-a-signature", &openssl_signer(&bob_key)] {
        let o = stamp(cmd);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("signer command") && err.contains("hint:"),
            "{cmd}: {err}"
        );
        assert!(listing(&out).is_empty(), "{cmd} left {:?}", listing(&out));
    }
    let o = stamp(&openssl_signer(&studio.key));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = studio.verdict(&out.join("f.png"));
    assert_eq!(v["state"], "trusted", "{v}");
    assert_eq!(
        v["cawg_identity"][0]["status"], "cawg.identity.trusted",
        "{v}"
    );
}
