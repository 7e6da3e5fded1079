//! A real Time-Stamp Authority on 127.0.0.1 for the tests: its own test CA
//! and a TSA certificate with the critical timeStamping EKU (made with the
//! `openssl` CLI), and OpenSSL's `openssl ts -reply` answering each
//! RFC 3161 request behind a small HTTP handler on a thread.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// What the server answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// A granted timestamp from `openssl ts -reply`.
    Good,
    /// HTTP 500.
    Broken,
    /// A 200 with bytes that are no timestamp reply.
    Garbage,
    /// Granted timestamps from a TSA whose clock runs this many days ahead
    /// (libfaketime): a signature "made later", without waiting.
    Ahead(u32),
}

pub struct Tsa {
    pub url: String,
    /// The TSA's root certificate (PEM): what `--tsa-trust` takes.
    pub root: PathBuf,
    /// How many requests were answered.
    pub served: Arc<AtomicUsize>,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run openssl (installed by scripts/setup.sh)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Make the TSA's CA and certificate in `dir` and write OpenSSL's `ts`
/// configuration.
fn make_pki(dir: &Path, name: &str) {
    std::fs::create_dir_all(dir).unwrap();
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "root.pem",
            "-days",
            "3650",
            "-subj",
            &format!("/O={name}/CN={name} Root"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "tsa.key",
            "-out",
            "tsa.csr",
            "-subj",
            &format!("/O={name}/CN={name} TSA"),
        ],
    );
    std::fs::write(
        dir.join("tsa.ext"),
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "tsa.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "tsa.pem",
            "-days",
            "3650",
            "-extfile",
            "tsa.ext",
        ],
    );
    std::fs::write(dir.join("serial"), "01\n").unwrap();
    let d = dir.display();
    std::fs::write(
        dir.join("ts.cnf"),
        format!(
            "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\ndir = {d}\nserial = $dir/serial\n\
             crypto_device = builtin\nsigner_cert = $dir/tsa.pem\ncerts = $dir/root.pem\n\
             signer_key = $dir/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.3.6.1.4.1.55555.1\n\
             digests = sha256, sha384, sha512\naccuracy = secs:1\nordering = yes\ntsa_name = yes\n\
             ess_cert_id_chain = no\ness_cert_id_alg = sha256\n"
        ),
    )
    .unwrap();
}

impl Tsa {
    /// A TSA named `name` with its files under `dir`, serving on a thread.
    pub fn start(dir: &Path, name: &str, mode: Mode) -> Tsa {
        make_pki(dir, name);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/tsa", listener.local_addr().unwrap());
        let served = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&served);
        let root = dir.join("root.pem");
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { continue };
                if serve(stream, &dir, mode, n).is_ok() {
                    count.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        Tsa { url, root, served }
    }
}

/// One HTTP request: the body to `openssl ts -reply`, its reply back.
fn serve(stream: TcpStream, dir: &Path, mode: Mode, n: usize) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let (status, kind, reply) = match mode {
        Mode::Broken => ("500 Internal Server Error", "text/plain", b"down".to_vec()),
        Mode::Garbage => (
            "200 OK",
            "application/timestamp-reply",
            b"\x30\x03\x02\x01\x00".to_vec(),
        ),
        Mode::Good | Mode::Ahead(_) => {
            let query = dir.join(format!("q{n}.tsq"));
            let answer = dir.join(format!("r{n}.tsr"));
            std::fs::write(&query, &body)?;
            let mut openssl = match mode {
                Mode::Ahead(days) => {
                    let mut c = Command::new("faketime");
                    c.args(["-f", &format!("+{days}d"), "openssl"]);
                    c
                }
                _ => Command::new("openssl"),
            };
            let out = openssl
                .arg("ts")
                .arg("-reply")
                .arg("-config")
                .arg(dir.join("ts.cnf"))
                .arg("-queryfile")
                .arg(&query)
                .arg("-chain")
                .arg(dir.join("root.pem"))
                .arg("-out")
                .arg(&answer)
                .output()?;
            if !out.status.success() {
                eprintln!(
                    "openssl ts -reply: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            (
                "200 OK",
                "application/timestamp-reply",
                std::fs::read(&answer)?,
            )
        }
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.len()
    )?;
    stream.write_all(&reply)?;
    stream.flush()
}
