//! The storage conformance suite on PostgreSQL: each test gets a fresh database on the server
//! named by `CASEDESK_TEST_PG_URL` (an admin URL; default the local server's `postgres`
//! database). The test command makes sure one is running.

use sqlx::{Connection, Executor, PgConnection};
use std::sync::Arc;
use storage::conformance::DynStore;
use storage_postgres::PgStore;

async fn fresh_store() -> DynStore {
    let admin = std::env::var("CASEDESK_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let name = format!("casedesk_test_{}", uuid::Uuid::now_v7().simple());
    let mut conn = PgConnection::connect(&admin).await.expect("PostgreSQL reachable at CASEDESK_TEST_PG_URL");
    conn.execute(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#))).await.expect("create database");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
    Arc::new(PgStore::connect_and_migrate(&format!("{base}/{name}")).await.expect("pg store"))
}

storage::conformance_suite!(fresh_store());
