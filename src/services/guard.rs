//! Who may call a use case: the checks every service makes first, below every service.

use crate::domain::Actor;
use crate::{Error, Result};

/// Trainer-only use cases call this first.
pub fn require_trainer(actor: &Actor) -> Result<()> {
    if actor.must_change_password {
        return Err(Error::PasswordChangeRequired);
    }
    if !actor.is_trainer() {
        return Err(Error::Forbidden);
    }
    Ok(())
}
