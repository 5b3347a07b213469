//! Entra ID: the directory metadata and signing keys (cached per directory), the
//! authorisation-code sign-in done by the server (the SPA never holds a token), bearer access
//! tokens for integrators, and Microsoft Graph for group overage.

pub mod bearer;
mod claims;
pub mod code_flow;
mod directory;
mod graph;

pub use directory::{Directories, EntraEndpoints};

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
