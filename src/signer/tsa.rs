//! RFC 3161 timestamps from the Time-Stamp Authority the user names
//! (`--tsa URL`): the claim signature's countersignature data goes to the
//! TSA, and its token — C2PA's v2 timestamp (`sigTst2`) in the COSE header,
//! put there by the SDK — fixes when the signature existed, so it outlives
//! the operator's certificate.
//!
//! The request is sent here, not by the SDK's HTTP feature: with that
//! feature on, the SDK's reader would also be able to fetch remote
//! manifests and OCSP answers, and verification must never touch the
//! network. `ureq` is the one HTTP client, used only when a TSA is named.
//!
//! Every answer is checked before it is used: HTTP 200 with
//! `application/timestamp-reply`, a granted status, a token whose message
//! imprint is ours and whose signature verifies with the TSA certificate it
//! carries (whether that TSA is *trusted* is the verifier's question,
//! [`crate::verify`]).

use std::cell::RefCell;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use c2pa::crypto::cose::CertificateTrustPolicy;
use c2pa::crypto::raw_signature::{RawSigner, RawSignerError};
use c2pa::crypto::time_stamp::{self, TimeStampError, TimeStampProvider};
use c2pa::status_tracker::StatusTracker;
use c2pa::SigningAlg;

/// How long a TSA may take to answer one request.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// A TSA answer larger than this is refused (tokens are a few KB).
const MAX_REPLY: u64 = 1 << 20;

/// A Time-Stamp Authority reached over HTTP(S).
#[derive(Debug)]
pub struct TsaClient {
    url: String,
    agent: ureq::Agent,
}

impl TsaClient {
    /// A client for `url` (`http://` or `https://`); nothing is sent yet.
    pub fn new(url: &str) -> Result<TsaClient, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("{url}: not a URL ({e})"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(format!("{url}: a TSA URL starts with http:// or https://"));
        }
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .build();
        Ok(TsaClient {
            url: url.to_string(),
            agent: config.into(),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// A checked RFC 3161 `TimeStampResp` over `message`.
    pub fn request(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let body = time_stamp::default_rfc3161_message(message).map_err(|e| e.to_string())?;
        let reply = self
            .agent
            .post(&self.url)
            .header("Content-Type", "application/timestamp-query")
            .send(&body[..])
            .map_err(|e| format!("the TSA at {} did not answer: {e}", self.url))?;
        let status = reply.status().as_u16();
        let kind = reply
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if status != 200 {
            return Err(format!("the TSA at {} answered HTTP {status}", self.url));
        }
        if !kind.starts_with("application/timestamp-reply") {
            return Err(format!(
                "the TSA at {} answered {kind:?}, not application/timestamp-reply",
                self.url
            ));
        }
        let mut bytes = Vec::new();
        reply
            .into_body()
            .into_reader()
            .take(MAX_REPLY + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("the TSA at {}: {e}", self.url))?;
        if bytes.len() as u64 > MAX_REPLY {
            return Err(format!("the TSA at {} answered over 1 MiB", self.url));
        }
        check_reply(&bytes, message).map_err(|e| format!("the TSA at {}: {e}", self.url))?;
        Ok(bytes)
    }
}

/// The reply grants a token over `message`, signed by the certificate it
/// carries (trust is not judged here).
fn check_reply(reply: &[u8], message: &[u8]) -> Result<(), String> {
    let mut log = StatusTracker::default();
    let policy = CertificateTrustPolicy::passthrough();
    time_stamp::verify_time_stamp(reply, message, &policy, &mut log, false)
        .map(|_| ())
        .map_err(|e| format!("its answer is not a valid timestamp for our request ({e})"))
}

thread_local! {
    /// Why the last signature on this thread went without a timestamp
    /// (`--tsa-optional`), taken by the stamper after each signing.
    static MISSED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Why the last signature made on this thread carries no timestamp,
/// if the TSA failed and the timestamp was optional.
pub fn take_missed() -> Option<String> {
    MISSED.with(|m| m.borrow_mut().take())
}

/// A raw signer whose claim signatures carry a timestamp from `tsa`.
pub struct Timestamped {
    inner: Box<dyn RawSigner + Send + Sync>,
    tsa: Arc<TsaClient>,
    /// Sign without a timestamp when the TSA fails (`--tsa-optional`).
    optional: bool,
}

impl Timestamped {
    pub fn new(
        inner: Box<dyn RawSigner + Send + Sync>,
        tsa: Arc<TsaClient>,
        optional: bool,
    ) -> Self {
        Timestamped {
            inner,
            tsa,
            optional,
        }
    }
}

impl TimeStampProvider for Timestamped {
    fn time_stamp_service_url(&self) -> Option<String> {
        Some(self.tsa.url().to_string())
    }

    fn send_time_stamp_request(&self, message: &[u8]) -> Option<Result<Vec<u8>, TimeStampError>> {
        match self.tsa.request(message) {
            Ok(reply) => Some(Ok(reply)),
            Err(why) if self.optional => {
                MISSED.with(|m| *m.borrow_mut() = Some(why));
                None
            }
            Err(why) => Some(Err(TimeStampError::IoError(std::io::Error::other(why)))),
        }
    }
}

impl RawSigner for Timestamped {
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, RawSignerError> {
        self.inner.sign(data)
    }

    fn alg(&self) -> SigningAlg {
        self.inner.alg()
    }

    fn cert_chain(&self) -> Result<Vec<Vec<u8>>, RawSignerError> {
        self.inner.cert_chain()
    }

    /// The inner signer's reserve already holds 10 000 bytes for a token.
    fn reserve_size(&self) -> usize {
        self.inner.reserve_size()
    }
}
