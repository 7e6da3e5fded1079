//! `credits prove`: exit 0 when the reveal file opens the asset's commitments.

use credits::report;
use credits::{prove, sdk, Error};

use super::{emit, load_trust, Outcome};
use crate::cli::ProveArgs;

pub fn run(args: ProveArgs) -> Result<Outcome, Error> {
    let trust = load_trust(&args.trust)?;
    let ctx = sdk::shared_context(trust.as_deref())?;
    let proof = prove::prove(&ctx, &args.file, &args.reveal, trust.is_some())?;
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
