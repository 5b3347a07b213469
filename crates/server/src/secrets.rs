//! Secrets the product keeps for a tenant (SEC-02): the Entra client secret now, mailbox
//! passwords later. Each is sealed under the tenant's key before it is stored and opened only
//! where it is used, so the database holds ciphertext and a copy of it alone reveals nothing.
//!
//! Stored form: `sealed:v1:<tenant key version>:<base64 of nonce and ciphertext>`. A value not
//! in that form is one stored before sealing began: it is used as it is until the server next
//! starts, which seals it ([`seal_stored`]).

use crate::{
    documents::keys,
    problem::{ApiError, ApiResult},
    state::AppState,
};
use base64::Engine;
use domain::entra::{EntraSettings, EntraSettingsChange};
use files::MasterKey;
use storage::{StorageError, Store, TenantScope};

const PREFIX: &str = "sealed:v1:";
/// What the Entra client secret is sealed as (bound into its associated data).
pub const ENTRA_CLIENT_SECRET: &str = "entra client secret";

/// `plain` sealed under the tenant's newest key, in the stored form.
pub async fn seal(state: &AppState, scope: &TenantScope, name: &str, plain: &str) -> ApiResult<String> {
    seal_with(state.store.as_ref(), &state.settings.documents.master_key, scope, name, plain).await
}

async fn seal_with(
    store: &dyn Store,
    master: &MasterKey,
    scope: &TenantScope,
    name: &str,
    plain: &str,
) -> ApiResult<String> {
    let key = keys::current(store, master, scope).await?;
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

/// Seals every tenant's Entra client secret still stored as it was given (saved before sealing
/// began), so the database holds none in the clear; run as the server starts. A change saved
/// meanwhile is left alone (it was sealed by its own save). Audited as any change to the
/// settings, by the application. How many were sealed.
pub async fn seal_stored(store: &dyn Store, master: &MasterKey) -> ApiResult<u64> {
    let mut sealed = 0;
    for tenant in store.list_tenants().await? {
        let scope = TenantScope::system(tenant.id);
        let Some(settings) = store.entra_settings(&scope).await? else { continue };
        if settings.client_secret.starts_with(PREFIX) {
            continue;
        }
        let secret = seal_with(store, master, &scope, ENTRA_CLIENT_SECRET, &settings.client_secret).await?;
        let change = EntraSettingsChange {
            directory_id: settings.directory_id,
            client_id: settings.client_id,
            client_secret: Some(secret),
            redirect_url: settings.redirect_url,
            api_audience: settings.api_audience,
        };
        match store.update_entra_settings(&scope, settings.version, change).await {
            Ok(_) => sealed += 1,
            Err(StorageError::VersionMismatch { .. }) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(sealed)
}
