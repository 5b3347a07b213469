//! The reads PostgreSQL answers with SQL of its own: each is one statement that sets its own
//! tenant (see [`crate::scoped_read`]), searches choose their plan by how many records match
//! (see [`crate::search`]), and who is asking is one function call (migrations 0013, 0017).

use crate::{
    PgStore,
    errors::db_error,
    glue::{Row, Tx, statement},
    search::{Matches, SearchIndex},
};
use domain::{
    QueryId, TeamId, Timestamp, UserId,
    customer::Customer,
    query::{Query, QueryFilter},
};
use storage::{
    Activity, ApiTokenPrincipal, Names, NamesWanted, SessionPrincipal, StorageResult, TenantScope,
    sql::{
        SqlConn, SqlRow, SqlTx, Stmt,
        customer_rows::{COLUMNS as CUSTOMER_COLUMNS, customer_of},
        names,
        query_rows::{COLUMNS, query_of},
        reads::{CustomerSearch, Page, SqlReads},
    },
};

/// When the filter searches, how many its terms match (a round trip to the search index first).
async fn search_matches(store: &PgStore, scope: &TenantScope, filter: &QueryFilter) -> StorageResult<Option<Matches>> {
    let Some(terms) = &filter.search else { return Ok(None) };
    Ok(Some(Matches::judge(store.pool(), scope, SearchIndex::Queries, terms).await?))
}

async fn queries(store: &PgStore, stmt: Stmt) -> StorageResult<Vec<Query>> {
    let rows = statement(stmt).fetch_all(store.pool()).await.map_err(db_error)?;
    rows.into_iter().map(|row| query_of(&Row(row))).collect()
}

impl SqlReads for PgStore {
    /// The most frequent read (opening a query), so it is one round trip.
    async fn get_query(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Option<Query>> {
        let (mut stmt, mut sql) = crate::scoped_read(scope);
        let (tenant, id) = (stmt.push(scope.tenant_id.as_uuid()), stmt.push(id.as_uuid()));
        let visible = crate::query_list::visible(&mut stmt, scope);
        sql.push_str(&format!(
            "SELECT {COLUMNS} FROM queries WHERE tenant_id = {tenant} AND id = {id}{visible}
             AND deleted_at IS NULL AND scope.tenant IS NOT NULL OFFSET 0) scoped"
        ));
        stmt.sql = sql.into();
        let row = statement(stmt).fetch_optional(self.pool()).await.map_err(db_error)?;
        row.map(|row| query_of(&Row(row))).transpose()
    }

    async fn list_queries(&self, scope: &TenantScope, page: Page<'_>) -> StorageResult<Vec<Query>> {
        let matches = search_matches(self, scope, page.filter).await?;
        queries(self, crate::query_list::select(scope, page, matches)).await
    }

    async fn count_queries(&self, scope: &TenantScope, filter: &QueryFilter) -> StorageResult<u64> {
        let matches = search_matches(self, scope, filter).await?;
        let stmt = crate::query_list::count(scope, filter, matches);
        let row = statement(stmt).fetch_one(self.pool()).await.map_err(db_error)?;
        Ok(u64::try_from(Row(row).int("matching")?).unwrap_or_default())
    }

    async fn team_workload(&self, scope: &TenantScope, team: TeamId) -> StorageResult<Vec<(Option<UserId>, u64)>> {
        let stmt = crate::query_list::workload(scope, team);
        let rows = statement(stmt).fetch_all(self.pool()).await.map_err(db_error)?;
        rows.into_iter().map(|row| storage::sql::query_list::workload_row(&Row(row))).collect()
    }

    async fn page_in(tx: &mut Tx, scope: &TenantScope, page: Page<'_>) -> StorageResult<Vec<Query>> {
        tx.fetch_all(crate::query_list::select(scope, page, None)).await?.iter().map(query_of).collect()
    }

    async fn search_customers(&self, scope: &TenantScope, search: CustomerSearch<'_>) -> StorageResult<Vec<Customer>> {
        let CustomerSearch { terms, after, limit } = search;
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let matches = Matches::count(&mut *tx, scope, SearchIndex::Customers, terms).await?;
        let mut stmt = Stmt::new("").bind(scope.tenant_id.as_uuid());
        let mut sql = format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE tenant_id = $1 AND deleted_at IS NULL AND merged_into IS NULL"
        );
        if let Some(after) = after {
            sql.push_str(&format!(" AND id > {}", stmt.push(after.as_uuid())));
        }
        sql.push_str(&matches.condition(&mut stmt, scope, SearchIndex::Customers, terms));
        sql.push_str(&format!(" ORDER BY id LIMIT {}", stmt.push(limit)));
        stmt.sql = sql.into();
        let mut tx = Tx(tx);
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(customer_of).collect()
    }

    /// One round trip, like [`Self::get_query`]: a page's names come with every list.
    async fn names(&self, scope: &TenantScope, wanted: &NamesWanted) -> StorageResult<Names> {
        let (mut stmt, mut sql) = crate::scoped_read(scope);
        let Some(select) = names::select(&mut stmt, scope, wanted, " AND scope.tenant IS NOT NULL") else {
            return Ok(Names::default());
        };
        sql.push_str(&format!("{select} OFFSET 0) scoped"));
        stmt.sql = sql.into();
        let rows = statement(stmt).fetch_all(self.pool()).await.map_err(db_error)?;
        names::names_of(&rows.into_iter().map(Row).collect::<Vec<_>>())
    }

    async fn api_token_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
    ) -> StorageResult<Option<ApiTokenPrincipal>> {
        crate::principal::of_api_token(self, token_hash, now).await
    }

    async fn session_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
        idle_timeout_secs: i64,
        activity: Activity,
    ) -> StorageResult<Option<SessionPrincipal>> {
        crate::principal::of_session(self, token_hash, now, idle_timeout_secs, activity).await
    }
}
