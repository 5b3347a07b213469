//! The tenant's key and each document's key, unwrapped for one request or job and wiped when
//! dropped. Requests pass their state's store and master key; the background jobs theirs.

use crate::problem::{ApiError, ApiResult};
use domain::document::Sealing;
use files::{DataKey, MasterKey, TenantKey, WrappedKey};
use storage::{Store, TenantScope};

fn tenant_bytes(scope: &TenantScope) -> [u8; 16] {
    scope.tenant_id.as_uuid().into_bytes()
}

/// The tenant's newest key, made (version 1) the first time a tenant stores a document.
pub async fn current(store: &dyn Store, master: &MasterKey, scope: &TenantScope) -> ApiResult<TenantKey> {
    if let Some((version, wrapped)) = store.tenant_key(scope, None).await? {
        return unwrap_tenant_key(master, scope, version, wrapped);
    }
    let (key, wrapped) = master.new_tenant_key(tenant_bytes(scope), 1);
    let (version, stored) = store.add_tenant_key(scope, 1, wrapped.as_bytes().to_vec()).await?;
    if stored == wrapped.as_bytes() {
        return Ok(key);
    }
    // Another request made the first key at the same moment: use the one that was kept.
    unwrap_tenant_key(master, scope, version, stored)
}

fn unwrap_tenant_key(master: &MasterKey, scope: &TenantScope, version: u32, wrapped: Vec<u8>) -> ApiResult<TenantKey> {
    master
        .tenant_key(tenant_bytes(scope), version, &WrappedKey::from_bytes(wrapped))
        // The configured master key is not the one the tenant's keys were made under.
        .map_err(ApiError::internal)
}

/// The tenant's key of `version`.
pub async fn of_version(
    store: &dyn Store,
    master: &MasterKey,
    scope: &TenantScope,
    version: u32,
) -> ApiResult<TenantKey> {
    let mut ring = KeyRing::new(store, master, *scope);
    ring.version(version).await.cloned().map_err(ApiError::from)
}

/// Every version of the tenant's key, oldest first (none before its first document): versions
/// are kept when a key is rotated, so what was made under an older one still opens.
pub async fn every_version(store: &dyn Store, master: &MasterKey, scope: &TenantScope) -> ApiResult<Vec<TenantKey>> {
    let mut ring = KeyRing::new(store, master, *scope);
    let Some(newest) = ring.newest().await?.map(TenantKey::version) else { return Ok(Vec::new()) };
    let mut keys = Vec::with_capacity(newest as usize);
    for version in 1..=newest {
        keys.push(ring.version(version).await?.clone());
    }
    Ok(keys)
}

/// The key that opens a stored document.
pub async fn of_document(
    store: &dyn Store,
    master: &MasterKey,
    scope: &TenantScope,
    document: domain::DocumentId,
    sealing: &Sealing,
) -> ApiResult<DataKey> {
    Ok(KeyRing::new(store, master, *scope).document(document, sealing).await?)
}

#[derive(Debug, thiserror::Error)]
pub enum KeyRingError {
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
    #[error("tenant key version {0} is missing")]
    Missing(u32),
    /// A key does not unwrap under the master key given (the wrong master key, or damage).
    #[error("a key does not unwrap under the master key given")]
    Key(#[from] files::KeyError),
}

/// One tenant's keys, each version unwrapped once, for work over many documents (a rescan,
/// reading text, a rotation).
pub struct KeyRing<'a> {
    store: &'a dyn Store,
    master: &'a MasterKey,
    scope: TenantScope,
    unwrapped: std::collections::HashMap<u32, TenantKey>,
}

impl<'a> KeyRing<'a> {
    pub fn new(store: &'a dyn Store, master: &'a MasterKey, scope: TenantScope) -> Self {
        Self { store, master, scope, unwrapped: std::collections::HashMap::new() }
    }

    pub fn scope(&self) -> TenantScope {
        self.scope
    }

    /// The tenant's newest key, if it has one yet (read once, then kept like any version).
    pub async fn newest(&mut self) -> Result<Option<&TenantKey>, KeyRingError> {
        let Some((version, wrapped)) = self.store.tenant_key(&self.scope, None).await? else { return Ok(None) };
        self.keep(version, wrapped).map(Some)
    }

    pub async fn version(&mut self, version: u32) -> Result<&TenantKey, KeyRingError> {
        if !self.unwrapped.contains_key(&version) {
            let (_, wrapped) =
                self.store.tenant_key(&self.scope, Some(version)).await?.ok_or(KeyRingError::Missing(version))?;
            self.keep(version, wrapped)?;
        }
        Ok(&self.unwrapped[&version])
    }

    /// The key of `version`, unwrapped from `wrapped` unless it already is.
    fn keep(&mut self, version: u32, wrapped: Vec<u8>) -> Result<&TenantKey, KeyRingError> {
        if !self.unwrapped.contains_key(&version) {
            let key = self.master.tenant_key(tenant_bytes(&self.scope), version, &WrappedKey::from_bytes(wrapped))?;
            self.unwrapped.insert(version, key);
        }
        Ok(&self.unwrapped[&version])
    }

    /// The key that opens a stored document.
    pub async fn document(&mut self, document: domain::DocumentId, sealing: &Sealing) -> Result<DataKey, KeyRingError> {
        let tenant_key = self.version(sealing.key_version).await?;
        Ok(tenant_key
            .data_key(document.as_uuid().into_bytes(), &WrappedKey::from_bytes(sealing.wrapped_key.clone()))?)
    }
}

impl std::fmt::Debug for KeyRing<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing").field("scope", &self.scope).field("versions", &self.unwrapped.len()).finish()
    }
}

impl From<KeyRingError> for ApiError {
    fn from(error: KeyRingError) -> Self {
        match error {
            KeyRingError::Storage(error) => error.into(),
            // A version in use is missing, or the configured master key is not the one the
            // tenant's keys were made under: nothing a client can do.
            other => ApiError::internal(other),
        }
    }
}
