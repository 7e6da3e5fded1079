//! `credits stamp`: one request from the profile and flags, every input
//! signed with it.

use credits::Error;

use super::{signing, Outcome};
use crate::cli::StampArgs;

pub fn run(args: StampArgs) -> Result<Outcome, Error> {
    let options = &args.options;
    let mut stamper = signing::generation_stamper(options, false)?;
    signing::record_into_catalog(&mut stamper, &options.signer);
    signing::sign_all(&stamper, &args.inputs, &args.output)
}
