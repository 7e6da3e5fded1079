//! Time-Stamp Authorities on 127.0.0.1 for the tests. A real one is
//! `scripts/local-tsa.py` (OpenSSL's `openssl ts -reply` behind an HTTP
//! handler, with its own test CA and a TSA certificate carrying the
//! critical timeStamping EKU), run as a child process; a broken one answers
//! from a thread here.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// What the server answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// A granted timestamp from `openssl ts -reply`.
    Good,
    /// Granted timestamps from a TSA whose clock runs this many days ahead
    /// (libfaketime): a signature "made later", without waiting.
    Ahead(u32),
    /// HTTP 500.
    Broken,
    /// A 200 with bytes that are no timestamp reply.
    Garbage,
}

pub struct Tsa {
    pub url: String,
    /// The TSA's root certificate (PEM): what `--tsa-trust` takes.
    pub root: PathBuf,
    child: Option<Child>,
}

impl Drop for Tsa {
    /// The whole process group: faketime runs the server as its child.
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
        }
    }
}

impl Tsa {
    /// A TSA named `name` with its files under `dir`.
    pub fn start(dir: &Path, name: &str, mode: Mode) -> Tsa {
        match mode {
            Mode::Good => script(dir, name, None),
            Mode::Ahead(days) => script(dir, name, Some(days)),
            Mode::Broken | Mode::Garbage => broken(dir, mode),
        }
    }
}

/// `scripts/local-tsa.py` on a free port (under faketime when `ahead`).
fn script(dir: &Path, name: &str, ahead: Option<u32>) -> Tsa {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/local-tsa.py");
    let mut cmd = match ahead {
        Some(days) => {
            let mut c = Command::new("faketime");
            c.args(["-f", &format!("+{days}d"), "python3"]);
            c
        }
        None => Command::new("python3"),
    };
    let mut child = cmd
        .arg(script)
        .arg("--dir")
        .arg(dir)
        .args(["--port", "0", "--name", name])
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3 scripts/local-tsa.py");
    let mut line = String::new();
    let stderr = child.stderr.take().expect("stderr");
    BufReader::new(stderr).read_line(&mut line).expect("read");
    let url = line
        .strip_prefix("local TSA at ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("local-tsa.py did not start: {line:?}"))
        .to_string();
    Tsa {
        url,
        root: dir.join("root.pem"),
        child: Some(child),
    }
}

/// A TSA that answers every request badly, from a thread.
fn broken(dir: &Path, mode: Mode) -> Tsa {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let _ = answer(stream, mode);
        }
    });
    Tsa {
        url,
        root: dir.join("root.pem"),
        child: None,
    }
}

/// Read one HTTP request and answer it as `mode` says.
fn answer(stream: TcpStream, mode: Mode) -> std::io::Result<()> {
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
    let (status, kind, reply): (&str, &str, &[u8]) = match mode {
        Mode::Garbage => (
            "200 OK",
            "application/timestamp-reply",
            b"\x30\x03\x02\x01\x00",
        ),
        _ => ("500 Internal Server Error", "text/plain", b"down"),
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.len()
    )?;
    stream.write_all(reply)?;
    stream.flush()
}
