//! The reads SQLite answers with SQL of its own: the work queue and customer searches through
//! its FTS5 tables.

use crate::{SqliteStore, glue::Tx};
use domain::{
    QueryId, TeamId, UserId,
    customer::Customer,
    query::{Query, QueryFilter},
    search::SearchTerms,
};
use storage::{
    StorageResult, TenantScope,
    sql::{
        SqlBackend, SqlConn, SqlRow, SqlTx, Stmt,
        customer_rows::{COLUMNS, customer_of},
        query_list::{self, ListHooks},
        query_rows::{live_query, query_of},
        reads::{CustomerSearch, Page, SqlReads},
    },
};

/// ` AND rowid IN (…)`: the records whose FTS5 row matches the terms.
fn fts_condition(stmt: &mut Stmt, terms: &SearchTerms) -> String {
    format!(" AND rowid IN (SELECT rowid FROM queries_fts WHERE queries_fts MATCH {})", stmt.push(terms.to_fts5()))
}

const HOOKS: ListHooks<'static> = ListHooks { guard: "", search: &fts_condition };

impl SqlReads for SqliteStore {
    async fn get_query(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Option<Query>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let query = live_query(&mut tx, scope, id, false).await?;
        tx.commit().await?;
        Ok(query)
    }

    async fn list_queries(&self, scope: &TenantScope, page: Page<'_>) -> StorageResult<Vec<Query>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let found = Self::page_in(&mut tx, scope, page).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn count_queries(&self, scope: &TenantScope, filter: &QueryFilter) -> StorageResult<u64> {
        let mut stmt = Stmt::new("");
        stmt.sql = query_list::count(&mut stmt, scope, filter, &HOOKS).into();
        let mut tx = self.read(scope.tenant_id).await?;
        let count = tx.fetch_one(stmt).await?.int("matching")?;
        tx.commit().await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn team_workload(&self, scope: &TenantScope, team: TeamId) -> StorageResult<Vec<(Option<UserId>, u64)>> {
        let mut stmt = Stmt::new("");
        stmt.sql = query_list::workload(&mut stmt, scope, team, &HOOKS).into();
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(storage::sql::query_list::workload_row).collect()
    }

    async fn page_in(tx: &mut Tx, scope: &TenantScope, page: Page<'_>) -> StorageResult<Vec<Query>> {
        let mut stmt = Stmt::new("");
        stmt.sql = query_list::select(&mut stmt, scope, page.filter, page.sort, page.after, page.limit, &HOOKS).into();
        tx.fetch_all(stmt).await?.iter().map(query_of).collect()
    }

    async fn search_customers(&self, scope: &TenantScope, search: CustomerSearch<'_>) -> StorageResult<Vec<Customer>> {
        let CustomerSearch { terms, after, limit } = search;
        let sql = format!(
            "SELECT {COLUMNS} FROM customers
             WHERE tenant_id = $1 AND deleted_at IS NULL AND merged_into IS NULL AND ($2 IS NULL OR id > $2)
               AND rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH $3)
             ORDER BY id LIMIT $4"
        );
        let stmt = Stmt::new(sql)
            .bind(scope.tenant_id.as_uuid())
            .bind(after.map(|id| id.as_uuid()))
            .bind(terms.to_fts5())
            .bind(limit);
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(customer_of).collect()
    }
}
