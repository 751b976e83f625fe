//! Portail core: domain types, the SQLite store, authentication, services (use cases),
//! the in-process event bus and the message catalog. The only crate that touches SQL.

pub mod asciicast;
pub mod auth;
pub mod backup;
pub mod domain;
pub mod error;
pub mod events;
pub mod files;
pub mod i18n;
pub mod images;
pub mod import;
pub mod live;
pub mod live_record;
pub mod present;
pub mod private_fs;
pub mod quiz;
pub mod sanitize;
pub mod services;
pub mod store;
pub mod validate;

pub use domain::{Actor, Lang, Role, User};
pub use error::{Error, Result};
pub use services::Portail;
