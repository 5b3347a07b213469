//! Rows written before search documents existed are indexed when the store migrates, and
//! documents stored before searchable letters have their text queued for reading.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use storage::conformance::{DynStore, backfill_fixture, found_by, read_text_jobs, text_backfill_fixture};
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

#[tokio::test]
async fn migrating_queues_the_reading_of_documents_stored_before_their_text_was_searched() {
    let (url, admin_url) = fresh_database().await;
    let store = PgStore::connect_and_migrate(&url).await.unwrap();
    let dynamic: DynStore = Arc::new(store.clone());
    let (scope, read, unread) = text_backfill_fixture(&dynamic).await;
    let mut both = vec![read.clone(), unread.clone()];
    both.sort();
    assert_eq!(read_text_jobs(&dynamic, &scope).await, both, "each upload queued its reading");
    // As before migration 0034: no jobs. Migrating, as the application's own role (row-level
    // security binds it), queues the unread document only, once.
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    sqlx::query("DELETE FROM jobs").execute(&admin).await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(read_text_jobs(&dynamic, &scope).await, std::slice::from_ref(&unread));
    store.migrate().await.unwrap();
    assert_eq!(read_text_jobs(&dynamic, &scope).await, [unread]);
}
