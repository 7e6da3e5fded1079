//! What a verification is judged against: the SDK's context anchored on
//! the signer roots, the TSA roots that alone decide whether a timestamp is
//! trusted (`--tsa-trust`), and the studio's revocation lists.

use std::sync::Arc;

use c2pa::Context;

use super::timestamp::TsaRoots;
use crate::c2pa_settings;
use crate::error::{Error, Result};
use crate::keys;
use crate::keys::crl::{self, Crl};

/// Everything one run verifies against, shared by its workers.
#[derive(Clone)]
pub struct Verifier {
    ctx: Arc<Context>,
    tsa_roots: Option<Arc<TsaRoots>>,
    crls: Arc<Vec<Crl>>,
    /// A CRL past its `nextUpdate` is only noted (`--allow-stale-crl`).
    allow_stale_crl: bool,
}

impl Verifier {
    /// Signer roots from a trust bundle (its certificates; the bundle may
    /// also hold the studio's CRL), TSA roots from `--tsa-trust`.
    pub fn new(signer_bundle: Option<&str>, tsa_roots: Option<&str>) -> Result<Verifier> {
        let anchors = signer_bundle.map(keys::bundle::certificates_only);
        let crls = match signer_bundle {
            Some(bundle) => crl::load(bundle).map_err(|reason| Error::Revocation { reason })?,
            None => Vec::new(),
        };
        Ok(Verifier {
            ctx: c2pa_settings::shared_context(anchors.as_deref())?,
            tsa_roots: tsa_roots.map(|pem| Arc::new(TsaRoots::new(pem))),
            crls: Arc::new(crls),
            allow_stale_crl: false,
        })
    }

    /// A verifier over an existing context (a stamping run's own checks):
    /// no TSA roots, so no timestamp is trusted.
    pub fn with_context(ctx: Arc<Context>) -> Verifier {
        Verifier {
            ctx,
            tsa_roots: None,
            crls: Arc::new(Vec::new()),
            allow_stale_crl: false,
        }
    }

    pub fn context(&self) -> &Arc<Context> {
        &self.ctx
    }

    /// Whether signer roots were given (without them nothing is trusted).
    pub fn anchored(&self) -> bool {
        self.ctx.settings().trust.trust_anchors.is_some()
    }

    /// The signer roots (certificates of the trust bundle).
    pub fn signer_roots(&self) -> Option<&str> {
        self.ctx.settings().trust.trust_anchors.as_deref()
    }

    pub fn tsa_roots(&self) -> Option<&TsaRoots> {
        self.tsa_roots.as_deref()
    }

    /// Take a CRL past its `nextUpdate` as current (a note, not a failure).
    pub fn allowing_stale_crls(mut self, allow: bool) -> Verifier {
        self.allow_stale_crl = allow;
        self
    }

    /// Whether a stale CRL is allowed ([`Verifier::allowing_stale_crls`]).
    pub fn stale_crls_allowed(&self) -> bool {
        self.allow_stale_crl
    }

    /// The studio's revocation lists (signatures checked).
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }
}
