//! Secrets the product keeps for a tenant (SEC-02): the Entra client secret now, mailbox
//! passwords later. Each is sealed under the tenant's key before it is stored and opened only
//! where it is used, so the database holds ciphertext and a copy of it alone reveals nothing.
//!
//! Stored form: `sealed:v1:<tenant key version>:<base64 of nonce and ciphertext>`. A value not
//! in that form is one stored before sealing began; it is used as it is and sealed at its next
//! save.

use crate::{
    documents::keys,
    problem::{ApiError, ApiResult},
    state::AppState,
};
use base64::Engine;
use domain::entra::EntraSettings;
use storage::TenantScope;

const PREFIX: &str = "sealed:v1:";
/// What the Entra client secret is sealed as (bound into its associated data).
pub const ENTRA_CLIENT_SECRET: &str = "entra client secret";

/// `plain` sealed under the tenant's newest key, in the stored form.
pub async fn seal(state: &AppState, scope: &TenantScope, name: &str, plain: &str) -> ApiResult<String> {
    let key = keys::current(state.store.as_ref(), &state.settings.documents.master_key, scope).await?;
    let sealed = key.seal_secret(name, plain.as_bytes());
    Ok(format!("{PREFIX}{}:{}", key.version(), base64::engine::general_purpose::STANDARD.encode(sealed)))
}

/// The secret in `stored`, opened.
pub async fn open(state: &AppState, scope: &TenantScope, name: &str, stored: &str) -> ApiResult<String> {
    let Some(rest) = stored.strip_prefix(PREFIX) else { return Ok(stored.to_owned()) };
    let damaged = || ApiError::Internal(format!("a stored {name} is not in its sealed form").into());
    let (version, encoded) = rest.split_once(':').ok_or_else(damaged)?;
    let version: u32 = version.parse().map_err(|_| damaged())?;
    let sealed = base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|_| damaged())?;
    let key = keys::of_version(state.store.as_ref(), &state.settings.documents.master_key, scope, version).await?;
    let plain = key.open_secret(name, &sealed).map_err(ApiError::internal)?;
    String::from_utf8(plain.to_vec()).map_err(|_| damaged())
}

/// The tenant's Entra settings with the client secret opened, for signing in and Graph.
pub async fn entra_settings(state: &AppState, scope: &TenantScope) -> ApiResult<Option<EntraSettings>> {
    let Some(mut settings) = state.store.entra_settings(scope).await? else { return Ok(None) };
    settings.client_secret = open(state, scope, ENTRA_CLIENT_SECRET, &settings.client_secret).await?;
    Ok(Some(settings))
}
