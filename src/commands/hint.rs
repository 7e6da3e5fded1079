//! What the user can do about an error, in the words of this command line
//! (its flags and subcommands): the library's errors carry data only.

use credits::Error;

/// One line saying what to do next, when we know.
pub fn hint(err: &Error) -> Option<String> {
    if err.is_out_of_space() {
        return Some(
            "the disk is full or a file-size limit applies (nothing was replaced); free space and run again".into(),
        );
    }
    Some(match err {
        Error::OutputExists { .. } => {
            "pass --force to replace it, or --out DIR to write elsewhere".into()
        }
        Error::RevealExists { .. } => {
            "keep it (move it away first), or pass --force to replace it; use --reveal-dir DIR to write reveal files elsewhere".into()
        }
        Error::WouldOverwriteKey { .. } => {
            "keys are never overwritten; choose another --dir or move the old files away".into()
        }
        Error::KeyPermissions { path, .. } => format!("run `chmod 600 {}`", path.display()),
        Error::KeyCertMismatch { .. } => {
            "pass the key and chain written together by `credits keys issue`".into()
        }
        Error::NoStudioCa { dir } => format!(
            "run `credits keys init --org \"Studio\" --dir {}` first",
            dir.display()
        ),
        Error::CannotEmbed { .. } => {
            "pass --sidecar to write a detached FILE.c2pa manifest instead".into()
        }
        Error::Catalog { failure, .. } => catalog_hint(*failure),
        Error::EmptyTrustBundle { .. } => {
            "write one with `credits keys trust --dir CA_DIR --out trust.pem`".into()
        }
        Error::NotIndexable { .. } => {
            "only signed, intact assets are indexed; stamp it first".into()
        }
        Error::WatchBusy { .. } => {
            "stop the other watcher first, or give this one another --out DIR".into()
        }
        Error::Watch { .. } => {
            "check the directory exists; with many subdirectories raise fs.inotify.max_user_watches"
                .into()
        }
        Error::CertificateExpired { .. } => {
            "issue a new one with `credits keys issue`; what it signed before stays valid only with a trusted timestamp".into()
        }
        Error::NoTool => "name it with --tool NAME, or [tool] name in --profile".into(),
        Error::PromptInOutput { .. } => {
            "the record commits to that text so that it stays private: remove it from the file first, or pass --keep-generator-metadata to publish it as it is".into()
        }
        Error::NoDestination => {
            "say where signed files go: --out DIR, --in-place, or --sidecar".into()
        }
        Error::OutputIsInput { .. } => "pass --in-place to sign it where it is".into(),
        Error::ControlCharacter { .. } => {
            "recorded text is shown to every reader: remove control characters and newlines".into()
        }
        Error::NotADirectory { .. } => "--out names a directory; choose another path".into(),
        other => return input_hint(other),
    })
}

/// Hints for what the user handed in: a signer command, a timeline.
fn input_hint(err: &Error) -> Option<String> {
    Some(match err {
        Error::SignerCommand { .. } => {
            "CMD must read the bytes on stdin and print the raw 64-byte Ed25519 signature of the chain's key on stdout, e.g. `openssl pkeyutl -sign -inkey KEY.pem -rawin`".into()
        }
        Error::Revocation { .. } => {
            "the trust bundle's CRL must be the one `credits keys revoke` wrote for its CA: rebuild the bundle with `credits keys trust --dir CA --out trust.pem`".into()
        }
        Error::Tsa { .. } => {
            "check the --tsa URL (an RFC 3161 Time-Stamp Authority answering HTTP POSTs of application/timestamp-query); when stamping, --tsa-optional signs without a timestamp".into()
        }
        Error::Journal { .. } => {
            "a torn journal still proves by its intact prefix; to log more, start a new journal (the torn line never held a whole entry); an output must be logged with `credits journal add` before it is stamped from the journal".into()
        }
        Error::Timeline { .. } => {
            "--timeline takes an OpenTimelineIO .otio or a CMX 3600 .edl as the editor exported it".into()
        }
        _ => return None,
    })
}

/// What to check when a catalog fails, by what failed.
fn catalog_hint(failure: credits::CatalogFailure) -> String {
    use credits::CatalogFailure::*;
    match failure {
        Connect => "check the host, port and database name in the URL (postgres://user@host:5432/db) and that the server is up and reachable (`pg_isready -h HOST -p PORT`); a SQLite catalog's directory must exist and be writable".into(),
        Auth => "check the user and password in the URL (postgres://user:password@host/db; keep it in CREDITS_INDEX rather than on the command line) and the server's pg_hba.conf".into(),
        Schema => "this catalog was made by a newer credits, or is not a credits catalog; use a current credits, or name another --index".into(),
        Query => "the catalog refused the statement; run `credits index migrate --index CATALOG`, and check the user may write to it".into(),
    }
}
