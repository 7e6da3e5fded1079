//! Helpers shared by the integration tests: a throwaway studio, generated media.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use tempfile::TempDir;

/// The `credits` binary under test.
pub fn credits() -> Command {
    Command::cargo_bin("credits").expect("credits binary is built")
}

/// A studio CA with one operator, in a temporary directory.
pub struct Studio {
    pub dir: TempDir,
    pub key: PathBuf,
    pub chain: PathBuf,
    pub trust: PathBuf,
}

impl Studio {
    pub fn new(org: &str) -> Studio {
        let dir = tempfile::tempdir().expect("tempdir");
        let ca = dir.path().join("ca");
        credits()
            .args(["keys", "init", "--org", org, "--dir"])
            .arg(&ca)
            .assert()
            .success();
        credits()
            .args([
                "keys",
                "issue",
                "--name",
                "Alice Chen",
                "--email",
                "alice@studio.test",
                "--dir",
            ])
            .arg(&ca)
            .assert()
            .success();
        let trust = dir.path().join("trust.pem");
        credits()
            .args(["keys", "trust", "--dir"])
            .arg(&ca)
            .arg("--out")
            .arg(&trust)
            .assert()
            .success();
        Studio {
            key: ca.join("alice@studio.test.key"),
            chain: ca.join("alice@studio.test.chain.pem"),
            trust,
            dir,
        }
    }

    /// Issue another operator from this studio's CA: (key, chain).
    pub fn issue(&self, name: &str, email: &str) -> (PathBuf, PathBuf) {
        let ca = self.dir.path().join("ca");
        credits()
            .args(["keys", "issue", "--name", name, "--email", email, "--dir"])
            .arg(&ca)
            .assert()
            .success();
        (
            ca.join(format!("{email}.key")),
            ca.join(format!("{email}.chain.pem")),
        )
    }

    /// Issue a certifier (`keys issue --role certifier`, who may sign
    /// rights certificates) from this studio's CA, valid `days`: (key, chain).
    pub fn certifier(&self, name: &str, email: &str, days: u32) -> (PathBuf, PathBuf) {
        let ca = self.dir.path().join("ca");
        credits()
            .args(["keys", "issue", "--role", "certifier", "--name", name])
            .args(["--email", email, "--days", &days.to_string(), "--dir"])
            .arg(&ca)
            .assert()
            .success();
        (
            ca.join(format!("{email}.key")),
            ca.join(format!("{email}.chain.pem")),
        )
    }

    /// A plate stamped in place under `render/` (with `extra` flags), and
    /// a `delivery/` holding only its grade (`graded.png`, derived from
    /// it): a delivery whose source is elsewhere. The delivery's path.
    pub fn graded_delivery(&self, seed: u32, extra: &[&str]) -> (PathBuf, PathBuf) {
        let plate = self.subdir("render").join("plate.png");
        frame(&plate, seed);
        self.stamp()
            .arg(&plate)
            .arg("--in-place")
            .args(extra)
            .assert()
            .success();
        let delivery = self.subdir("delivery");
        let graded = delivery.join("graded.png");
        image::open(&plate)
            .expect("decode")
            .to_rgb8()
            .save(&graded)
            .expect("write");
        credits()
            .arg("derive")
            .arg(&graded)
            .arg("--from")
            .arg(&plate)
            .args(["--action", "color_graded", "--tool", "Resolve", "--key"])
            .arg(&self.key)
            .arg("--chain")
            .arg(&self.chain)
            .assert()
            .success();
        (plate, delivery)
    }

    /// `credits keys revoke` of `email`'s certificate for `reason`, as of
    /// `at` (RFC 3339) or now.
    pub fn revoke(&self, email: &str, reason: &str, at: Option<&str>) {
        let mut cmd = credits();
        cmd.args(["keys", "revoke", "--dir"])
            .arg(self.dir.path().join("ca"))
            .args(["--email", email, "--reason", reason]);
        if let Some(at) = at {
            cmd.args(["--at", at]);
        }
        let o = cmd.output().expect("run keys revoke");
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains(reason));
    }

    /// The studio's trust bundle as it is now (`keys trust`, its CRL
    /// included), written to `name` in the studio's folder.
    pub fn bundle(&self, name: &str) -> PathBuf {
        let out = self.dir.path().join(name);
        credits()
            .args(["keys", "trust", "--dir"])
            .arg(self.dir.path().join("ca"))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        out
    }

    /// A directory inside the studio's temp dir.
    pub fn subdir(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(&p).expect("mkdir");
        p
    }

    /// `credits stamp` with this operator's key and a tool name.
    pub fn stamp(&self) -> Command {
        let mut cmd = credits();
        cmd.arg("stamp")
            .arg("--key")
            .arg(&self.key)
            .arg("--chain")
            .arg(&self.chain)
            .args(["--tool", "Runway", "--tool-version", "4", "--model", "gen4"]);
        cmd
    }

    /// `credits journal add --journal J` sealed with this operator's key.
    pub fn journal_add(&self, journal: &Path) -> Command {
        let mut cmd = credits();
        cmd.args(["journal", "add", "--journal"])
            .arg(journal)
            .arg("--key")
            .arg(&self.key)
            .arg("--chain")
            .arg(&self.chain);
        cmd
    }

    /// `credits VERB INPUT --out OUT` with this operator's key and a tool
    /// name, as a plain process (to spawn, signal and kill).
    pub fn signing(&self, verb: &str, input: &Path, out: &Path) -> StdCommand {
        let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("credits"));
        cmd.arg(verb)
            .arg(input)
            .arg("--out")
            .arg(out)
            .arg("--key")
            .arg(&self.key)
            .arg("--chain")
            .arg(&self.chain)
            .args(["--tool", "Runway"]);
        cmd
    }

    /// Stamp `input` into the `out` subdirectory with no other options;
    /// the signed file's path.
    pub fn stamp_out(&self, input: &Path) -> PathBuf {
        self.stamp_out_with(input, &[])
    }

    /// Stamp `input` into the `out` subdirectory with `extra` flags; the
    /// signed file's path.
    pub fn stamp_out_with(&self, input: &Path, extra: &[&str]) -> PathBuf {
        let out = self.subdir("out");
        self.stamp()
            .arg(input)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        out.join(input.file_name().expect("file name"))
    }

    /// A frame or clip `name` generated in `src/` ([`media`]), stamped
    /// into `out/` with `extra` flags; the signed file's path.
    pub fn stamp_generated(&self, name: &str, extra: &[&str]) -> PathBuf {
        let input = media(&self.subdir("src"), name);
        self.stamp_out_with(&input, extra)
    }

    /// `credits prove ASSET --reveal REVEAL --trust <this studio>`.
    pub fn prove(&self, asset: &Path, reveal: &Path) -> Command {
        let mut cmd = credits();
        cmd.arg("prove")
            .arg(asset)
            .arg("--reveal")
            .arg(reveal)
            .arg("--trust")
            .arg(&self.trust);
        cmd
    }

    /// `credits verify --trust <this studio>`.
    pub fn verify(&self) -> Command {
        let mut cmd = credits();
        cmd.arg("verify").arg("--trust").arg(&self.trust);
        cmd
    }

    /// `credits audit DIR --trust <this studio> --json`: the report.
    pub fn audit(&self, dir: &Path) -> serde_json::Value {
        let output = credits()
            .arg("audit")
            .arg(dir)
            .arg("--trust")
            .arg(&self.trust)
            .arg("--json")
            .output()
            .expect("run");
        json(&output)
    }

    /// `credits verify --trust <this studio> --json FILE`: the file's verdict.
    pub fn verdict(&self, file: &Path) -> serde_json::Value {
        let output = self.verify().arg("--json").arg(file).output().expect("run");
        json(&output)["files"][0].clone()
    }
}

/// A noisy RGB frame (compresses like a real render, not like a flat colour).
pub fn noise_image(width: u32, height: u32, seed: u32) -> image::RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let base = ((x + y) % 256) as u8;
        image::Rgb([base, (state & 0xFF) as u8, ((state >> 8) & 0xFF) as u8])
    })
}

/// Write a generated frame in the format its extension names.
pub fn frame(path: &Path, seed: u32) {
    noise_image(320, 180, seed).save(path).expect("write frame");
}

/// A tiny frame (64×36 noise), for batches of hundreds.
pub fn small_frame(path: &Path, seed: u32) {
    noise_image(64, 36, seed).save(path).expect("write frame");
}

/// Run ffmpeg quietly with `args`; panic with its stderr on failure.
pub fn ffmpeg(args: &[&str]) {
    let out = StdCommand::new("ffmpeg")
        .args(["-loglevel", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg is installed (scripts/setup.sh)");
    assert!(
        out.status.success(),
        "ffmpeg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An H.264 clip of `seconds` from an ffmpeg `filter` source.
pub fn lavfi_clip(path: &Path, filter: &str, seconds: &str) {
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        filter,
        "-t",
        seconds,
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        path_str(path),
    ]);
}

/// A path as the `&str` ffmpeg arguments want.
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Generate a 1-second clip with ffmpeg's test source plus noise.
pub fn clip(path: &Path) {
    let status = StdCommand::new("ffmpeg")
        .args(["-loglevel", "error", "-y", "-f", "lavfi", "-i"])
        .arg("testsrc2=size=320x180:rate=24,noise=alls=20:allf=t")
        .args(["-t", "1", "-pix_fmt", "yuv420p", "-c:v", "libx264"])
        .arg(path)
        .status()
        .expect("ffmpeg is installed (scripts/setup.sh)");
    assert!(status.success(), "ffmpeg failed for {}", path.display());
}

/// Make a frame or clip named `name` in `dir`, by its extension.
pub fn media(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    match path.extension().and_then(|e| e.to_str()) {
        Some("mp4" | "mov" | "mkv" | "webm") => clip(&path),
        _ => frame(&path, name.len() as u32),
    }
    path
}

/// Flip one byte of the media payload (not the manifest) of `path`.
pub fn flip_media_byte(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read");
    let at = match top_level_box(&bytes, b"mdat") {
        Some((offset, _)) => offset + 8 + 512,
        None => bytes.len() * 3 / 4,
    };
    bytes[at] ^= 0x55;
    std::fs::write(path, bytes).expect("write");
}

/// The first top-level ISO BMFF box of `kind` in `bytes`: (offset, size),
/// by the library's box walk (the bytes `mdat` also appear in a manifest).
pub fn top_level_box(bytes: &[u8], kind: &[u8; 4]) -> Option<(usize, usize)> {
    let mut cursor = std::io::Cursor::new(bytes);
    credits::media::bmff::top_level(&mut cursor, bytes.len() as u64)
        .ok()?
        .into_iter()
        .find(|b| &b.kind == kind)
        .map(|b| (b.offset as usize, b.size as usize))
}

/// Parse stdout of a `--json` run.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The names of the entries in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Sign `input` into `output` with the c2pa SDK directly — another tool,
/// free to write what `credits` itself would refuse — under `definition`
/// (a manifest definition: claim generator, assertions, ingredients).
pub fn sdk_sign(
    key: &Path,
    chain: &Path,
    input: &Path,
    output: &Path,
    definition: &serde_json::Value,
) {
    let signer = c2pa::create_signer::from_keys(
        &std::fs::read(chain).expect("chain"),
        &std::fs::read(key).expect("key"),
        c2pa::SigningAlg::Ed25519,
        None,
    )
    .expect("signer");
    sdk_sign_with(signer.as_ref(), input, output, definition);
}

/// [`sdk_sign`] with a signer of the caller's making (one that adds a CAWG
/// identity of someone else's, say).
pub fn sdk_sign_with(
    signer: &dyn c2pa::Signer,
    input: &Path,
    output: &Path,
    definition: &serde_json::Value,
) {
    let mut builder = c2pa::Builder::from_context(c2pa::Context::new())
        .with_definition(definition.to_string())
        .expect("builder");
    let mime = match input.extension().and_then(|e| e.to_str()) {
        Some("mp4") => "video/mp4",
        Some("jpg") => "image/jpeg",
        _ => "image/png",
    };
    let mut source = std::fs::File::open(input).expect("open");
    let mut dest = std::io::Cursor::new(Vec::new());
    builder
        .sign(signer, mime, &mut source, &mut dest)
        .expect("the SDK signs it");
    std::fs::write(output, dest.into_inner()).expect("write");
}

/// Whether the verdict `v` carries `code` among its `kind` codes
/// (`failure` or `informational`).
pub fn has_code(v: &serde_json::Value, kind: &str, code: &str) -> bool {
    v["codes"][kind]
        .as_array()
        .is_some_and(|codes| codes.iter().any(|c| c == code))
}

/// `credits` run `days` days from now, by libfaketime (`faketime`, from
/// Debian, installed by scripts/setup.sh).
pub fn credits_later(days: u32) -> StdCommand {
    let mut cmd = StdCommand::new("faketime");
    cmd.arg("-f")
        .arg(format!("+{days}d"))
        .arg(assert_cmd::cargo::cargo_bin("credits"));
    cmd
}

/// A command's standard error, as text.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `credits verify --json FILE --trust <studio>` (with `--tsa-trust` when
/// given), `days` days from now by libfaketime.
pub fn verify_later(
    studio: &Studio,
    file: &Path,
    tsa_trust: Option<&Path>,
    days: u32,
) -> std::process::Output {
    let mut cmd = credits_later(days);
    cmd.args(["verify", "--json", "--trust"])
        .arg(&studio.trust)
        .arg(file);
    if let Some(root) = tsa_trust {
        cmd.arg("--tsa-trust").arg(root);
    }
    cmd.output()
        .expect("run faketime (installed by scripts/setup.sh)")
}
