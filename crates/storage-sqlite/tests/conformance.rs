//! The storage conformance suite on SQLite: each test gets a fresh in-memory database.

use std::sync::Arc;
use storage::conformance::DynStore;
use storage_sqlite::SqliteStore;

async fn fresh_store() -> DynStore {
    Arc::new(SqliteStore::connect_and_migrate("sqlite::memory:").await.expect("sqlite store"))
}

storage::conformance_suite!(fresh_store());
