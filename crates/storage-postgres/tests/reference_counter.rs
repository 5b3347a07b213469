//! Creates do not queue on the tenant's reference counter: a create that has taken its
//! reference and is still writing does not hold up the next one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::{
    Timestamp,
    query::{Assignment, Channel, NewQuery, Priority},
};
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use storage::{QueryRepo, TenantRepo, TenantScope, conformance::new_tenant};
use storage_postgres::{PgStore, testing::fresh_database};

fn new_query(subject: &str, assignment: Assignment) -> NewQuery {
    NewQuery {
        customer_id: None,
        channel: Channel::Phone,
        priority: Priority::Normal,
        subject: subject.into(),
        description: "Bins not collected".into(),
        received_at: Timestamp::now().plus_seconds(-60),
        type_id: None,
        assignment,
    }
}

#[tokio::test]
async fn a_create_still_writing_does_not_hold_up_the_next() {
    let (url, admin_url) = fresh_database().await;
    let store = PgStore::connect_and_migrate(&url).await.unwrap();
    let (tenant, admin) = store.create_tenant(new_tenant("counter-a")).await.unwrap();
    let scope = TenantScope::system(tenant.id);

    // The first create is assigned, so it writes a notification after taking its reference;
    // holding the notifications table stops it there, mid-transaction.
    let mut superuser = PgConnection::connect(&admin_url).await.unwrap();
    let mut held = superuser.begin().await.unwrap();
    sqlx::query("LOCK TABLE notifications IN EXCLUSIVE MODE").execute(&mut *held).await.unwrap();
    let assigned = Assignment { officer: Some(admin.id), team: None };
    let first = tokio::spawn({
        let store = store.clone();
        async move { store.create_query(&scope, new_query("First", assigned)).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!first.is_finished(), "the first create waits on the held table");

    // The second writes no notification: it must finish while the first is still open.
    let second = tokio::time::timeout(
        Duration::from_secs(10),
        store.create_query(&scope, new_query("Second", Assignment::default())),
    )
    .await
    .expect("the second create does not wait for the first to commit")
    .unwrap();

    held.commit().await.unwrap();
    let first = first.await.unwrap().unwrap();
    assert!(first.reference < second.reference, "references still increase in the order taken");
    assert_ne!(first.reference, second.reference);
}
