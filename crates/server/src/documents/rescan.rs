//! Rescanning stored documents (SEC-13): signatures published after a document was uploaded
//! may recognise it now. Each document is opened, checked against its SHA-256 as it streams,
//! and sent to clamd again, oldest check first. A clean one has its check time moved on; one
//! clamd now names is quarantined, and the tenant's administrators are told (see
//! `storage::DocumentRepo::record_rescan`).

use super::{
    DocumentSettings,
    keys::{KeyRing, KeyRingError},
};
use domain::{DocumentId, TenantId, Timestamp, UserId, document::Document};
use files::{ScanError, Verdict};
use futures_util::StreamExt;
use std::time::{Duration, Instant};
use storage::{StorageError, Store, TenantScope};

/// Documents fetched per round.
const BATCH: u32 = 50;

/// What a rescan did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rescanned {
    /// Documents clamd checked again.
    pub checked: u64,
    /// Those it found infected, now quarantined.
    pub quarantined: Vec<DocumentId>,
    /// Those that could not be checked (a damaged or missing blob, a key that does not open),
    /// left for the next run and logged for an operator.
    pub unreadable: Vec<DocumentId>,
    /// Administrators notified, per tenant.
    pub told: Vec<(TenantId, UserId)>,
    /// Whether documents were still due when the time given ran out.
    pub more: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RescanError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// clamd is down or slow: the run stops, and the next one starts where this one did.
    #[error(transparent)]
    Scanner(#[from] ScanError),
}

/// Rescans every tenant's documents last checked before `scanned_before` (at the latest, when
/// the run starts: a document checked by the run is never due again within it), for at most
/// `budget`.
pub async fn rescan_due(
    store: &dyn Store,
    settings: &DocumentSettings,
    scanned_before: Timestamp,
    budget: Duration,
) -> Result<Rescanned, RescanError> {
    let started = Instant::now();
    let scanned_before = scanned_before.min(Timestamp::now());
    let mut done = Rescanned::default();
    for tenant in store.list_tenants().await? {
        let scope = TenantScope::system(tenant.id);
        let mut keys = KeyRing::new(store, &settings.master_key, scope);
        let mut after = None;
        loop {
            if started.elapsed() >= budget {
                done.more = true;
                return Ok(done);
            }
            let batch = store.documents_to_rescan(&scope, scanned_before, after, BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = Some((last.scanned_at, last.id));
            for document in &batch {
                rescan_one(store, settings, &mut keys, document, &mut done).await?;
            }
        }
    }
    Ok(done)
}

async fn rescan_one(
    store: &dyn Store,
    settings: &DocumentSettings,
    keys: &mut KeyRing<'_>,
    document: &Document,
    done: &mut Rescanned,
) -> Result<(), RescanError> {
    let scope = keys.scope();
    let verdict = match scan(settings, keys, document).await {
        Ok(verdict) => verdict,
        Err(Unchecked::Scanner(ScanError::TooLarge)) | Err(Unchecked::Unreadable) => {
            // Not a finding: an operator must look (a lowered scanner limit, a damaged blob).
            tracing::warn!(document = %document.id, "a stored document could not be rescanned");
            done.unreadable.push(document.id);
            return Ok(());
        }
        Err(Unchecked::Scanner(error)) => return Err(error.into()),
        Err(Unchecked::Storage(error)) => return Err(error.into()),
    };
    done.checked += 1;
    let found = match verdict {
        Verdict::Clean => None,
        Verdict::Infected(signature) => {
            tracing::warn!(document = %document.id, %signature, "a rescan quarantined a document");
            done.quarantined.push(document.id);
            Some(signature)
        }
    };
    let told = store.record_rescan(&scope, document.id, Timestamp::now(), found).await?;
    done.told.extend(told.into_iter().map(|user| (scope.tenant_id, user)));
    Ok(())
}

enum Unchecked {
    Storage(StorageError),
    Scanner(ScanError),
    Unreadable,
}

/// Opens the document and streams its plain bytes to clamd.
async fn scan(settings: &DocumentSettings, keys: &mut KeyRing<'_>, document: &Document) -> Result<Verdict, Unchecked> {
    let Some(sealing) = &document.sealing else { return Err(Unchecked::Unreadable) };
    let key = match keys.document(document.id, sealing).await {
        Ok(key) => key,
        Err(KeyRingError::Storage(error)) => return Err(Unchecked::Storage(error)),
        Err(_) => return Err(Unchecked::Unreadable),
    };
    let id = document.id.as_uuid().into_bytes();
    let mut plain = settings
        .vault
        .download(&sealing.blob_name, &key, &id, sealing.sha256)
        .await
        .map_err(|_| Unchecked::Unreadable)?;
    let mut scan = settings.scanner.start().await.map_err(Unchecked::Scanner)?;
    while let Some(piece) = plain.next().await {
        // A damaged blob is not sent on: its verdict would be of the wrong bytes.
        let piece = piece.map_err(|_| Unchecked::Unreadable)?;
        scan.send(&piece).await.map_err(Unchecked::Scanner)?;
    }
    scan.finish().await.map_err(Unchecked::Scanner)
}
