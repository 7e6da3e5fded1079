//! `credits prove`: exit 0 when the reveal file opens the asset's commitments.

use credits::{prove, sdk, Error};

use super::{load_trust, print_json, Outcome};
use crate::cli::ProveArgs;

pub fn run(args: ProveArgs) -> Result<Outcome, Error> {
    let trust = load_trust(args.trust.as_deref())?;
    let ctx = sdk::shared_context(trust.as_deref())?;
    let proof = prove::prove(&ctx, &args.file, &args.reveal)?;
    if args.json {
        print_json(&proof);
    } else {
        let head = if proof.proven { "PROVEN" } else { "NOT PROVEN" };
        println!("{head}  {}", proof.asset.display());
        println!("  asset    {}", proof.asset_state.as_str());
        for f in &proof.fields {
            let m = if f.matches {
                "matches"
            } else {
                "does NOT match"
            };
            println!("  {:<8} {m} the signed commitment", f.field);
        }
        if let Some(reason) = &proof.reason {
            println!("  reason   {reason}");
        }
    }
    Ok(if proof.proven {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}
