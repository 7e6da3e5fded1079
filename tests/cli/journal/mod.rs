//! The creative journal and prompt proofs.

mod creative;
mod prove;
