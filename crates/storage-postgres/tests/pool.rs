//! Pooled connections are not pinged each time they are taken out (a round trip per
//! transaction under load), but one that sat idle is: a server that dropped it in the
//! meantime (restart, failover) costs no request an error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use sqlx::{Connection, PgConnection};
use std::time::Duration;
use storage::{TenantRepo, conformance::new_tenant};
use storage_postgres::{PgStore, testing::fresh_database};

#[tokio::test]
async fn a_connection_the_server_dropped_while_idle_is_replaced_unseen() {
    let (url, admin_url) = fresh_database().await;
    let store = PgStore::connect_and_migrate(&url).await.unwrap();
    let (tenant, _) = store.create_tenant(new_tenant("pool-a")).await.unwrap();

    // The server ends every connection the application holds, as a restart would.
    let database = url.rsplit('/').next().unwrap().to_owned();
    let mut superuser = PgConnection::connect(&admin_url).await.unwrap();
    let ended: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid()) ended",
    )
    .bind(&database)
    .fetch_one(&mut superuser)
    .await
    .unwrap();
    assert!(ended >= 1, "the pool held a connection");

    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let found = store.tenant_by_id(tenant.id).await.expect("the dropped connection is not handed out");
    assert_eq!(found.map(|t| t.id), Some(tenant.id));
}
