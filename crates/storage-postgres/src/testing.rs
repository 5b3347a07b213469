//! Test databases that behave like production: owned by an ordinary role, not a superuser,
//! so row-level security binds every query the tests make through the repositories.

use sqlx::{Connection, Executor, PgConnection, postgres::PgConnectOptions};
use std::str::FromStr;

const ROLE: &str = "casedesk_test";

/// The admin URL for tests: `CASEDESK_TEST_PG_URL`, else the local server's `postgres` database.
pub fn admin_url() -> String {
    std::env::var("CASEDESK_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A new, empty database owned by the `casedesk_test` role. Returns its URL as that role (for
/// the application) and as the admin (for tests that must look behind the application).
///
/// # Panics
/// When the server at the admin URL cannot be reached: a test must fail, not skip.
pub async fn fresh_database() -> (String, String) {
    let admin = admin_url();
    let mut conn = PgConnection::connect(&admin).await.expect("PostgreSQL reachable at CASEDESK_TEST_PG_URL");
    // Roles are cluster-wide and tests run concurrently: creating it twice is harmless.
    let create_role = format!(
        "DO $$ BEGIN CREATE ROLE {ROLE} LOGIN PASSWORD '{ROLE}' NOSUPERUSER NOBYPASSRLS;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    );
    conn.execute(sqlx::AssertSqlSafe(create_role)).await.expect("create the test role");
    let name = format!("casedesk_test_{}", uuid::Uuid::now_v7().simple());
    conn.execute(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{name}" OWNER {ROLE}"#)))
        .await
        .expect("create a test database");
    let options = PgConnectOptions::from_str(&admin).expect("a valid admin URL");
    let host = options.get_host();
    let port = options.get_port();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
    (format!("postgres://{ROLE}:{ROLE}@{host}:{port}/{name}"), format!("{base}/{name}"))
}
