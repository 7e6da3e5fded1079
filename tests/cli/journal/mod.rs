//! The creative journal and prompt proofs.

mod anchored;
mod creative;
mod disclosure;
mod evidence;
mod prove;
