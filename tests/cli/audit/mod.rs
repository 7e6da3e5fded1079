//! Audits of the fixture film: findings, the ingredient chain, shares, soundness.

mod chain;
mod holes;
mod report;
mod shares;
mod soundness;
