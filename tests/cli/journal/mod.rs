//! The creative journal and prompt proofs.

mod creative;
mod disclosure;
mod evidence;
mod prove;
