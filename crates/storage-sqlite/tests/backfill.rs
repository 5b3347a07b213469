//! Rows written before search documents existed are indexed when the store migrates.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use storage::conformance::{DynStore, backfill_fixture, found_by};
use storage_sqlite::SqliteStore;

#[tokio::test]
async fn migrating_indexes_rows_written_before_search() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("backfill.db").display());
    let store = SqliteStore::connect_and_migrate(&url).await.unwrap();
    let dynamic: DynStore = Arc::new(store.clone());
    let scope = backfill_fixture(&dynamic).await;
    assert_eq!(found_by(&dynamic, &scope, "backfill").await, (1, 1));
    for sql in [
        "UPDATE queries SET search_document = ''",
        "UPDATE customers SET search_document = ''",
        "DELETE FROM queries_fts",
        "DELETE FROM customers_fts",
    ] {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
    assert_eq!(found_by(&dynamic, &scope, "backfill").await, (0, 0), "as before migration 0007");
    store.migrate().await.unwrap();
    assert_eq!(found_by(&dynamic, &scope, "backfill").await, (1, 1));
    assert_eq!(found_by(&dynamic, &scope, "bs16pn").await, (1, 1));
}
