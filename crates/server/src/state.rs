//! What every request shares: the store, settings and the server's caches.

use crate::settings::ServerSettings;
use std::sync::Arc;
use storage::{Maintenance, Store};

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// The database as a whole, for the readiness check.
    pub database: Arc<dyn Maintenance>,
    pub settings: ServerSettings,
    /// Documented operations, for telling 404 from 405.
    pub operations: Arc<Vec<(String, Vec<String>)>>,
    /// The API reference page, rendered once from the document.
    pub reference_page: Arc<String>,
    pub statuses: Arc<crate::status_cache::StatusCache>,
    pub live: Arc<crate::live::LiveEvents>,
    /// Entra directories' metadata and signing keys, cached.
    pub entra: Arc<crate::auth::entra::Directories>,
    /// Reads that scan take turns here; record reads and writes do not.
    pub scans: Arc<crate::scan_gate::ScanGate>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("backend", &self.database.backend_name()).finish_non_exhaustive()
    }
}
