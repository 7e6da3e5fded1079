//! Keys that never leave a token: `--signer-cmd CMD` hands the bytes to be
//! signed to CMD on stdin and reads the raw Ed25519 signature (64 bytes)
//! from stdout — the protocol of c2patool's external signer. The command
//! (a YubiKey's, an HSM's or a cloud KMS's client, or `openssl pkeyutl`)
//! holds the key; `credits` only ever sees signatures, and checks each one
//! against the chain's certificate before it is used. A command that fails,
//! hangs past [`TIMEOUT`], or prints anything but a valid signature fails
//! the signing with nothing written.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use c2pa::crypto::raw_signature::{RawSigner, RawSignerError};
use c2pa::crypto::time_stamp::TimeStampProvider;
use c2pa::SigningAlg;

/// How long one signature may take (a token may wait for a touch).
pub const TIMEOUT: Duration = Duration::from_secs(120);
/// More output than this is not a signature.
const MAX_OUTPUT: u64 = 4096;

/// A raw Ed25519 signer that runs a command per signature.
pub struct CommandSigner {
    command: String,
    chain: Vec<Vec<u8>>,
    /// The end-entity certificate's Ed25519 public key.
    public_key: [u8; 32],
}

impl CommandSigner {
    pub fn new(command: &str, chain: Vec<Vec<u8>>, public_key: &[u8]) -> Result<Self, String> {
        let public_key: [u8; 32] = public_key
            .try_into()
            .map_err(|_| "the chain's certificate does not hold an Ed25519 key".to_string())?;
        Ok(CommandSigner {
            command: command.to_string(),
            chain,
            public_key,
        })
    }

    /// Sign `data` with the command and check the signature against the
    /// certificate's key.
    pub fn sign_checked(&self, data: &[u8]) -> Result<Vec<u8>, String> {
        let out = run(&self.command, data)?;
        let sig: [u8; 64] = out.as_slice().try_into().map_err(|_| {
            format!(
                "the signer command printed {} bytes, not a 64-byte Ed25519 signature",
                out.len()
            )
        })?;
        let key =
            ed25519_dalek::VerifyingKey::from_bytes(&self.public_key).map_err(|e| e.to_string())?;
        key.verify_strict(data, &ed25519_dalek::Signature::from_bytes(&sig))
            .map_err(|_| {
                "the signer command's signature does not verify with the chain's certificate (another key?)"
                    .to_string()
            })?;
        Ok(sig.to_vec())
    }
}

impl TimeStampProvider for CommandSigner {}

impl RawSigner for CommandSigner {
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, RawSignerError> {
        self.sign_checked(data)
            .map_err(RawSignerError::InternalError)
    }

    fn alg(&self) -> SigningAlg {
        SigningAlg::Ed25519
    }

    fn cert_chain(&self) -> Result<Vec<Vec<u8>>, RawSignerError> {
        Ok(self.chain.clone())
    }

    fn reserve_size(&self) -> usize {
        // As the SDK's own Ed25519 signer: signature and COSE overhead,
        // the chain, room for a timestamp token.
        1024 + self.chain.iter().map(Vec::len).sum::<usize>() + 10_000
    }
}

/// Run `command` through the shell with `input` on stdin; its stdout.
fn run(command: &str, input: &[u8]) -> Result<Vec<u8>, String> {
    let mut child = shell(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the signer command: {e}"))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or("no stdin for the signer command")?;
    let data = input.to_vec();
    // Written from a thread: a command that prints before reading all of
    // its input must not deadlock against us.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let mut stdout = child
        .stdout
        .take()
        .ok_or("no stdout for the signer command")?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout).take(MAX_OUTPUT + 1).read_to_end(&mut out);
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the signer command did not finish within {} s",
                    TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for the signer command: {e}")),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = (&mut e).take(2048).read_to_string(&mut err);
        }
        return Err(format!(
            "the signer command failed ({status}): {}",
            err.trim()
        ));
    }
    if out.len() as u64 > MAX_OUTPUT {
        return Err("the signer command printed more than a signature".into());
    }
    Ok(out)
}

#[cfg(unix)]
fn shell(command: &str) -> Command {
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(command);
    c
}

#[cfg(not(unix))]
fn shell(command: &str) -> Command {
    let mut c = Command::new("cmd");
    c.arg("/C").arg(command);
    c
}
