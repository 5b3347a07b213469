//! Rotating a tenant's key (`casedesk keys rotate`): a new version of the tenant's key, and
//! every document key unwrapped under its old version and wrapped again under the new one. The
//! documents themselves are not touched: their blobs stay as they are, sealed under their own
//! keys. Older tenant-key versions are kept, so secrets sealed under them still open.

use super::keys::{KeyRing, KeyRingError};
use files::{KeyError, MasterKey, WrappedKey};
use storage::{StorageError, Store, TenantScope};

/// Document keys rewrapped per transaction.
const BATCH: u32 = 500;

#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The master key given is not the one the tenant's keys were made under.
    #[error("a key does not unwrap under the master key given")]
    Key(#[from] KeyError),
    #[error("tenant key version {0} is missing")]
    MissingKey(u32),
    #[error("another rotation of this tenant's key is running")]
    Concurrent,
}

impl From<KeyRingError> for RotationError {
    fn from(error: KeyRingError) -> Self {
        match error {
            KeyRingError::Storage(error) => Self::Storage(error),
            KeyRingError::Missing(version) => Self::MissingKey(version),
            KeyRingError::Key(error) => Self::Key(error),
        }
    }
}

/// What a rotation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotated {
    /// The tenant key's version now.
    pub version: u32,
    /// Document keys wrapped again under it.
    pub rewrapped: u64,
}

/// Rotates the tenant's key; `None` when it has none yet (nothing is protected by one, and a
/// first key is made by the server under its own master key, never here).
pub async fn rotate(
    store: &dyn Store,
    master: &MasterKey,
    scope: &TenantScope,
) -> Result<Option<Rotated>, RotationError> {
    let tenant = scope.tenant_id.as_uuid().into_bytes();
    let Some((current, wrapped)) = store.tenant_key(scope, None).await? else { return Ok(None) };
    // The wrong master key is found before anything is written.
    master.tenant_key(tenant, current, &WrappedKey::from_bytes(wrapped))?;
    let next = current + 1;
    let (new_key, wrapped) = master.new_tenant_key(tenant, next);
    let (version, stored) = store.add_tenant_key(scope, next, wrapped.as_bytes().to_vec()).await?;
    if version != next || stored != wrapped.as_bytes() {
        return Err(RotationError::Concurrent);
    }
    let mut old_keys = KeyRing::new(store, master, *scope);
    let mut rewrapped = 0;
    loop {
        let batch = store.keys_older_than(scope, next, BATCH).await?;
        if batch.is_empty() {
            break;
        }
        let mut again = Vec::with_capacity(batch.len());
        for (id, was, wrapped_key) in batch {
            let old = old_keys.version(was).await?;
            let document = id.as_uuid().into_bytes();
            let key = old.data_key(document, &WrappedKey::from_bytes(wrapped_key))?;
            again.push((id, was, new_key.wrap_data_key(&key, document).as_bytes().to_vec()));
        }
        // A document deleted or rotated by someone else meanwhile is left alone and, no longer
        // under an older key, not read again: every round makes progress.
        rewrapped += store.rewrap_keys(scope, next, again).await?;
    }
    Ok(Some(Rotated { version: next, rewrapped }))
}
