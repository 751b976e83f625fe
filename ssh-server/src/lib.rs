//! Portail's SSH door (russh) and the composition root: `start` opens the store, the SSH
//! host and the HTTPS endpoint in one runtime with one shutdown.

pub mod config;
mod dispatch;
mod door;
pub mod exec;
pub mod fdlimit;
pub mod host_key;
#[cfg(test)]
mod import_cycles;
pub mod input;
mod server;
mod session;
pub mod stats;

pub use server::{Running, start};
