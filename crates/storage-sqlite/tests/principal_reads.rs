//! Looking up who is asking reads without SQLite's write lock: a request must not queue
//! behind a write in progress (a create, an import) just to be authenticated.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::Timestamp;
use sqlx::{Connection, SqliteConnection};
use std::time::Duration;
use storage::{Activity, NewSession, SessionRepo, TenantRepo, TenantScope, conformance::new_tenant};
use storage_sqlite::SqliteStore;

#[tokio::test]
async fn a_session_is_looked_up_while_another_connection_writes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("principal.db").display());
    let store = SqliteStore::connect_and_migrate(&url).await.unwrap();
    let (tenant, admin) = store.create_tenant(new_tenant("principal-a")).await.unwrap();
    let scope = TenantScope::new(tenant.id, domain::audit::Actor::User(admin.id.as_uuid()));
    let now = Timestamp::now();
    let token = [7u8; 32];
    let new = NewSession {
        user_id: admin.id,
        token_hash: token,
        created_at: now,
        expires_at: now.plus_seconds(3_600),
        from_address: None,
        idle_timeout_secs: 600,
        clears_failures_from: None,
    };
    store.start_session(&scope, new).await.unwrap();

    // Another connection holds the write lock, as a long write would.
    let mut writer = SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut writer).await.unwrap();

    let found = tokio::time::timeout(
        Duration::from_secs(3),
        store.session_principal(&token, Timestamp::now(), 600, Activity::Active),
    )
    .await
    .expect("the lookup does not wait for the write lock")
    .unwrap();
    assert_eq!(found.map(|p| p.user.id), Some(admin.id));
    sqlx::raw_sql("ROLLBACK").execute(&mut writer).await.unwrap();
}
