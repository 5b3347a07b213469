//! Rows written before search documents existed are indexed when the store migrates.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use storage::conformance::{DynStore, backfill_fixture, found_by};
use storage_postgres::{PgStore, testing::fresh_database};

#[tokio::test]
async fn migrating_indexes_rows_written_before_search() {
    let (url, admin_url) = fresh_database().await;
    let store = PgStore::connect_and_migrate(&url).await.unwrap();
    let dynamic: DynStore = Arc::new(store.clone());
    let scope = backfill_fixture(&dynamic).await;
    assert_eq!(found_by(&dynamic, &scope, "backfill").await, (1, 1));
    // Behind row-level security, as the database's owner would.
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    for sql in ["UPDATE queries SET search_document = ''", "UPDATE customers SET search_document = ''"] {
        sqlx::query(sql).execute(&admin).await.unwrap();
    }
    assert_eq!(found_by(&dynamic, &scope, "backfill").await, (0, 0), "as before migration 0007");
    store.migrate().await.unwrap();
    assert_eq!(found_by(&dynamic, &scope, "backfill").await, (1, 1));
    assert_eq!(found_by(&dynamic, &scope, "bs16pn").await, (1, 1));
}
