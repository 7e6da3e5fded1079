//! Signing: frames and clips, generators' metadata, containers, watched folders, crashes, external signers.

mod clip_generators;
mod clips;
mod comfyui_graphs;
mod crash;
mod generators;
mod layouts;
mod merkle;
mod roundtrip;
mod safety;
mod signer_command;
mod watch;
