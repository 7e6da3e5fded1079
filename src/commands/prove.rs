//! `credits prove`: exit 0 when the reveal file opens the asset's commitments.

use credits::report;
use credits::{prove, Error};

use super::{emit, verifier, Outcome};
use crate::cli::ProveArgs;

pub fn run(args: ProveArgs) -> Result<Outcome, Error> {
    let ctx = verifier(&args.trust)?;
    let evidence = prove::Evidence {
        reveal: args.reveal.as_deref(),
        journal: args.journal.as_deref(),
        outputs: args.outputs.as_deref(),
    };
    let proof = prove::prove(&ctx, &args.file, evidence, ctx.anchored())?;
    if args.output.is_json() {
        emit(&report::json(&proof)?)?;
    } else {
        emit(&report::prove::human(&proof))?;
    }
    Ok(if proof.proven {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}
