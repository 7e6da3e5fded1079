//! Rights certificates: certify, verify, and what cannot pass.

mod certificates;
mod rights;
