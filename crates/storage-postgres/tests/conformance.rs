//! The storage conformance suite on PostgreSQL: each test gets a fresh database owned by an
//! ordinary role (so row-level security applies) on the server named by `CASEDESK_TEST_PG_URL`.

use std::sync::Arc;
use storage::conformance::DynStore;
use storage_postgres::{PgStore, testing::fresh_database};

async fn fresh_store() -> DynStore {
    let (url, _) = fresh_database().await;
    Arc::new(PgStore::connect_and_migrate(&url).await.expect("pg store"))
}

storage::conformance_suite!(fresh_store());
