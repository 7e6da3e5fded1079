//! `credits derive`: sign a file produced from signed inputs, with each input
//! as an ingredient and the step's C2PA action, so the chain carries forward.

use credits::record::{License, Tool};
use credits::stamp::{Derivation, Destination, Embedding};
use credits::Error;

use super::{signing, Outcome};
use crate::cli::{DeriveArgs, YesNo};

pub fn run(args: DeriveArgs) -> Result<Outcome, Error> {
    let step = Derivation {
        from: args.from.clone(),
        action: args.action,
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
        role: args.role,
    };
    let destination = match &args.out {
        Some(dir) => Destination::OutDir(dir.clone()),
        None => Destination::InPlace,
    };
    let embedding = match args.sidecar {
        true => Embedding::Sidecar,
        false => Embedding::Auto,
    };
    // OUTPUT is a fresh product of the step: signing it in place is the
    // point; into --out it follows the usual no-overwrite rule.
    let replace = args.out.is_none() || args.force;
    let output = signing::output(&args.signer, destination, embedding, replace, args.force)?;
    let mut stamper = signing::stamper(&args.signer, step.request(output)?, None)?;
    signing::record_into_catalog(&mut stamper, &args.signer);
    let inputs = std::slice::from_ref(&args.output);
    signing::sign_all(&stamper, inputs, &args.output_args)
}
