//! `credits derive`: sign a file produced from signed inputs, with each input
//! as an ingredient and the step's C2PA action, so the chain carries forward.

use credits::atomic::Overwrite;
use credits::keys::SigningIdentity;
use credits::record::{License, Tool};
use credits::stamp::{Destination, Embedding, StampRequest};
use credits::Error;

use super::{load_trust, stamp::sign_all, Outcome};
use crate::cli::{DeriveArgs, YesNo};

pub fn run(args: DeriveArgs) -> Result<Outcome, Error> {
    let (parent, components) = match args.from.split_first() {
        Some((p, rest)) => (Some(p.clone()), rest.to_vec()),
        None => (None, Vec::new()),
    };
    let request = StampRequest {
        tool: Tool {
            name: args.tool.clone(),
            version: args.tool_version.clone(),
            vendor: None,
            model: None,
        },
        license: args.license.as_ref().map(|id| License {
            id: id.clone(),
            commercial_use: args.commercial_use.map(|c| matches!(c, YesNo::Yes)),
            terms_url: None,
        }),
        prompt: None,
        negative_prompt: None,
        seed: None,
        steps: None,
        role: args.role,
        controls: Vec::new(),
        parent,
        components,
        selection: None,
        destination: match &args.out {
            Some(dir) => Destination::OutDir(dir.clone()),
            None => Destination::InPlace,
        },
        embedding: if args.sidecar {
            Embedding::Sidecar
        } else {
            Embedding::Auto
        },
        // OUTPUT is a fresh product of the step: signing it in place is the
        // point; into --out it follows the usual no-overwrite rule.
        overwrite: if args.out.is_none() || args.force {
            Overwrite::Replace
        } else {
            Overwrite::Never
        },
        reveal_dir: None,
        trust_pem: load_trust(args.signer.trust.as_deref())?,
        derive: Some(args.action),
        fingerprint: args.signer.fingerprint_policy(),
        skip_stamped: !args.force,
    };
    let identity = SigningIdentity::load(&args.signer.key, &args.signer.chain)?;
    sign_all(
        &identity,
        &request,
        std::slice::from_ref(&args.output),
        args.signer.index.as_deref(),
        args.signer.json,
    )
}
