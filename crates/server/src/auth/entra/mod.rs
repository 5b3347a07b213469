//! Entra ID: the directory metadata and signing keys (cached per directory), the
//! authorisation-code sign-in done by the server (the SPA never holds a token), bearer access
//! tokens for integrators, and Microsoft Graph for group overage.

pub mod bearer;
mod claims;
pub mod code_flow;
mod directory;
mod graph;

pub use directory::{Directories, EntraEndpoints};

use domain::{entra::EntraPerson, user::User};
use storage::{StorageError, StorageResult, Store, TenantScope};

/// Finds, links or creates the person's user and refreshes their mapped groups. A unique
/// conflict means a simultaneous first sign-in of the same person (or a second person with the
/// same email) got there first: once more then finds what it made.
pub async fn sign_in_person(store: &dyn Store, scope: &TenantScope, person: &EntraPerson) -> StorageResult<User> {
    match store.entra_sign_in(scope, person).await {
        Err(StorageError::Conflict(_)) => store.entra_sign_in(scope, person).await,
        other => other,
    }
}

/// Why Entra ID could not be used or a token was refused. The reason is for the caller (an
/// integrator reading a 401, a person reading the sign-in page) and for the audit trail; it
/// never contains the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EntraError {
    /// The directory (or Graph) could not be reached or answered nonsense.
    #[error("Entra ID could not be reached")]
    Unavailable,
    /// The token or the sign-in response was refused; the reason says which check failed.
    #[error("refused: {0}")]
    Refused(&'static str),
}
