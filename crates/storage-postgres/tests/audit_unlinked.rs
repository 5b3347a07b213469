//! Writes leave their audit entries unlinked, so no write waits for the chain's head; linking
//! refuses an entry changed before it got its place, and verification reports it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::audit::{ChainBreak, verify_chain, verify_unlinked};
use sqlx::{Connection, PgConnection};
use storage::{AuditRepo, TenantRepo, TenantScope, conformance::new_tenant};
use storage_postgres::{PgStore, testing::fresh_database};

#[tokio::test]
async fn an_entry_changed_before_it_is_linked_is_never_linked_and_is_reported() {
    let (url, admin_url) = fresh_database().await;
    let store = PgStore::connect_and_migrate(&url).await.unwrap();
    let (tenant, _) = store.create_tenant(new_tenant("audit-a")).await.unwrap();
    let scope = TenantScope::system(tenant.id);
    let unlinked = store.audit_unlinked(&scope).await.unwrap();
    let written = unlinked.len() as u64;
    assert!(written >= 3, "the tenant, its groups and its administrator: {unlinked:?}");
    assert_eq!(verify_unlinked(&unlinked), Ok(written));
    assert_eq!(unlinked.last().unwrap().envelope.action, "user.created");

    // Someone with database access rewrites the newest entry before it is linked.
    let mut superuser = PgConnection::connect(&admin_url).await.unwrap();
    sqlx::query("UPDATE audit_pending SET action = 'user.deleted' WHERE action = 'user.created'")
        .execute(&mut superuser)
        .await
        .unwrap();

    // Reading the chain links what it can: every entry before the changed one.
    let chain = store.audit_chain(&scope).await.unwrap();
    assert_eq!(verify_chain(&chain), Ok(written - 1));
    assert!(chain.iter().all(|entry| entry.envelope.action != "user.deleted"));
    assert_eq!(store.link_audit().await.unwrap(), 0, "the sequencer refuses it too");
    let left = store.audit_unlinked(&scope).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(verify_unlinked(&left), Err(ChainBreak::Unlinked { id: left[0].id }));
}

#[tokio::test]
async fn the_sequencer_links_entries_in_the_order_they_were_written() {
    let (url, _) = fresh_database().await;
    let store = PgStore::connect_and_migrate(&url).await.unwrap();
    let (tenant, _) = store.create_tenant(new_tenant("audit-b")).await.unwrap();
    let scope = TenantScope::system(tenant.id);
    let written: Vec<_> = store.audit_unlinked(&scope).await.unwrap().into_iter().map(|e| e.envelope.action).collect();
    assert_eq!(store.link_audit().await.unwrap(), written.len() as u64);
    assert!(store.audit_unlinked(&scope).await.unwrap().is_empty());
    let chain = store.audit_chain(&scope).await.unwrap();
    assert_eq!(verify_chain(&chain), Ok(written.len() as u64));
    assert_eq!(chain.into_iter().map(|e| e.envelope.action).collect::<Vec<_>>(), written);
}

#[tokio::test]
async fn a_read_links_more_entries_than_one_batch_holds() {
    let (url, _) = fresh_database().await;
    let store = PgStore::connect_and_migrate(&url).await.unwrap();
    let (tenant, _) = store.create_tenant(new_tenant("audit-c")).await.unwrap();
    let scope = TenantScope::system(tenant.id);
    let before = store.audit_unlinked(&scope).await.unwrap().len() as u64;
    for n in 0..1_050 {
        let event =
            domain::audit::AuditEvent::new("test.recorded", "test", uuid::Uuid::now_v7(), serde_json::json!({"n": n}));
        store.record(&scope, event).await.unwrap();
    }
    let chain = store.audit_chain(&scope).await.unwrap();
    assert_eq!(verify_chain(&chain), Ok(before + 1_050));
    assert!(store.audit_unlinked(&scope).await.unwrap().is_empty());
}
