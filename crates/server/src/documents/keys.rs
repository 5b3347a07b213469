//! The tenant's key and each document's key, unwrapped for one request and wiped when dropped.

use crate::{
    problem::{ApiError, ApiResult},
    state::AppState,
};
use domain::document::Sealing;
use files::{DataKey, TenantKey, WrappedKey};
use storage::TenantScope;

fn tenant_bytes(scope: &TenantScope) -> [u8; 16] {
    scope.tenant_id.as_uuid().into_bytes()
}

/// The tenant's newest key, made (version 1) the first time a tenant stores a document.
pub async fn current(state: &AppState, scope: &TenantScope) -> ApiResult<TenantKey> {
    let master = &state.settings.documents.master_key;
    if let Some((version, wrapped)) = state.store.tenant_key(scope, None).await? {
        return unwrap_tenant_key(state, scope, version, wrapped);
    }
    let (key, wrapped) = master.new_tenant_key(tenant_bytes(scope), 1);
    let (version, stored) = state.store.add_tenant_key(scope, 1, wrapped.as_bytes().to_vec()).await?;
    if stored == wrapped.as_bytes() {
        return Ok(key);
    }
    // Another request made the first key at the same moment: use the one that was kept.
    unwrap_tenant_key(state, scope, version, stored)
}

fn unwrap_tenant_key(state: &AppState, scope: &TenantScope, version: u32, wrapped: Vec<u8>) -> ApiResult<TenantKey> {
    state
        .settings
        .documents
        .master_key
        .tenant_key(tenant_bytes(scope), version, &WrappedKey::from_bytes(wrapped))
        // The configured master key is not the one the tenant's keys were made under.
        .map_err(ApiError::internal)
}

/// The tenant's key of `version`.
pub async fn of_version(state: &AppState, scope: &TenantScope, version: u32) -> ApiResult<TenantKey> {
    let (version, wrapped) = state
        .store
        .tenant_key(scope, Some(version))
        .await?
        .ok_or_else(|| ApiError::Internal("a tenant key version in use is missing".into()))?;
    unwrap_tenant_key(state, scope, version, wrapped)
}

/// The key that opens a stored document.
pub async fn of_document(
    state: &AppState,
    scope: &TenantScope,
    document: domain::DocumentId,
    sealing: &Sealing,
) -> ApiResult<DataKey> {
    let tenant_key = of_version(state, scope, sealing.key_version).await?;
    tenant_key
        .data_key(document.as_uuid().into_bytes(), &WrappedKey::from_bytes(sealing.wrapped_key.clone()))
        .map_err(ApiError::internal)
}
