//! The second wall: even raw SQL, run as the application's role, sees and writes only the
//! tenant named in `app.tenant_id`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use sqlx::{Connection, PgConnection};
use storage::{TenantRepo, conformance::new_tenant};
use storage_postgres::{PgStore, testing::fresh_database};

async fn count_users(conn: &mut PgConnection) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(conn).await.unwrap()
}

#[tokio::test]
async fn raw_queries_see_only_the_tenant_in_the_setting() {
    let (url, admin_url) = fresh_database().await;
    let store = PgStore::connect_and_migrate(&url).await.unwrap();
    let (tenant_a, _) = store.create_tenant(new_tenant("rls-a")).await.unwrap();
    let (tenant_b, _) = store.create_tenant(new_tenant("rls-b")).await.unwrap();

    let mut app = PgConnection::connect(&url).await.unwrap();
    assert_eq!(count_users(&mut app).await, 0, "no tenant set: no rows");

    let mut tx = app.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant_a.id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(count_users(&mut tx).await, 1, "only tenant A's administrator");
    let audit: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT tenant_id) FROM (
             SELECT tenant_id FROM audit_entries UNION ALL SELECT tenant_id FROM audit_pending) audit",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!(audit, 1);
    // Writing into tenant B while acting for tenant A is refused by the policy.
    let smuggle = sqlx::query(
        "INSERT INTO users (tenant_id, id, email, display_name, status, version, created_at, updated_at)
         VALUES ($1, gen_random_uuid(), 'x@example.org', 'X', 'active', 1, now(), now())",
    )
    .bind(tenant_b.id.as_uuid())
    .execute(&mut *tx)
    .await;
    let message = smuggle.expect_err("cross-tenant insert refused").to_string();
    assert!(message.contains("row-level security"), "{message}");
    tx.rollback().await.unwrap();

    // The setting is local to its transaction: afterwards nothing is visible again.
    assert_eq!(count_users(&mut app).await, 0);

    // A superuser (the admin connection) is not bound, which is why the app must not use one.
    let mut admin = PgConnection::connect(&admin_url).await.unwrap();
    assert_eq!(count_users(&mut admin).await, 2);
}

/// Every table holding tenant rows is behind a forced policy, except those read before a
/// tenant is known or whose index a policy would disable (docs/decisions.md). A new table
/// joins this list only by decision.
#[tokio::test]
async fn every_tenant_table_is_behind_a_forced_policy_but_the_decided_few() {
    let (url, _) = fresh_database().await;
    PgStore::connect_and_migrate(&url).await.unwrap();
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let outside: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r'
           AND EXISTS (SELECT 1 FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
           AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
         ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        outside,
        [
            // The token or state is how a request learns its tenant.
            "api_tokens",
            // Full-text search indexes: no full-text operator is leakproof (migration 0018).
            "customer_search",
            "entra_sign_ins",
            // Claimed by a server process before it knows whose job it is (migration 0027).
            "jobs",
            "query_search",
            "sessions",
        ]
    );
}
