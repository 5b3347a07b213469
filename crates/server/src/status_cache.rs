//! A tenant's query statuses, held for a minute. Every query the API returns names its status,
//! so without this each query read asked the database for the tenant's statuses as well; they
//! change only with the tenant's configuration. A status the cache has not seen refreshes it at
//! once, so a query is never shown without its status; the minute bounds how long another
//! instance's rename of a status could take to show here.

use crate::problem::ApiResult;
use domain::{StatusId, TenantId, query::QueryStatus};
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};
use storage::{Store, TenantScope};

const FRESH_FOR: Duration = Duration::from_secs(60);

/// When a tenant's statuses were read, and what they were.
type Entry = (Instant, Arc<[QueryStatus]>);

#[derive(Debug, Default)]
pub struct StatusCache {
    entries: RwLock<HashMap<TenantId, Entry>>,
}

impl StatusCache {
    /// The tenant's statuses, read again when stale or when one of `needed` is not among them.
    pub async fn statuses(
        &self,
        store: &dyn Store,
        scope: &TenantScope,
        needed: impl IntoIterator<Item = StatusId>,
    ) -> ApiResult<Arc<[QueryStatus]>> {
        let cached = self.entries.read().unwrap_or_else(|e| e.into_inner()).get(&scope.tenant_id).cloned();
        if let Some((read_at, statuses)) = cached
            && read_at.elapsed() < FRESH_FOR
            && needed.into_iter().all(|id| statuses.iter().any(|s| s.id == id))
        {
            return Ok(statuses);
        }
        let statuses: Arc<[QueryStatus]> = store.query_statuses(scope).await?.into();
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(scope.tenant_id, (Instant::now(), statuses.clone()));
        Ok(statuses)
    }

    /// Drops the tenant's statuses after a change here, so this instance shows it at once.
    pub fn forget(&self, tenant: TenantId) {
        self.entries.write().unwrap_or_else(|e| e.into_inner()).remove(&tenant);
    }
}
