//! The reads PostgreSQL answers with SQL of its own: each is one statement that sets its own
//! tenant (see [`crate::scoped_read`]), and searches choose their plan by how many records
//! match (see [`crate::search`]).

use crate::{
    PgStore,
    glue::{Row, Tx},
    rows::db_error,
    search::{Matches, SearchIndex},
};
use domain::{
    CustomerId, QueryId, Timestamp,
    customer::Customer,
    query::{Query, QueryFilter},
    query_list::{QueryCursor, QuerySort},
    search::SearchTerms,
};
use sqlx::QueryBuilder;
use storage::{
    Activity, ApiTokenPrincipal, SessionPrincipal, StorageResult, TenantScope,
    sql::{customers::customer_of, queries::query_of, reads::SqlReads},
};

fn queries(rows: Vec<sqlx::postgres::PgRow>) -> StorageResult<Vec<Query>> {
    rows.into_iter().map(|row| query_of(&Row(row))).collect()
}

/// When the filter searches, how many its terms match (a round trip to the search index first).
async fn search_matches(store: &PgStore, scope: &TenantScope, filter: &QueryFilter) -> StorageResult<Option<Matches>> {
    let Some(terms) = &filter.search else { return Ok(None) };
    Ok(Some(Matches::count(store.pool(), scope, SearchIndex::Queries, terms).await?))
}

impl SqlReads for PgStore {
    /// The most frequent read (opening a query), so it is one round trip.
    async fn get_query(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Option<Query>> {
        let mut sql = crate::scoped_read(scope);
        sql.push(format!("SELECT {} FROM queries WHERE tenant_id = ", storage::sql::queries::COLUMNS));
        sql.push_bind(scope.tenant_id.as_uuid()).push(" AND id = ").push_bind(id.as_uuid());
        crate::query_list::push_visible(&mut sql, scope);
        sql.push(" AND deleted_at IS NULL AND scope.tenant IS NOT NULL OFFSET 0) scoped");
        let row = sql.build().fetch_optional(self.pool()).await.map_err(db_error)?;
        row.map(|row| query_of(&Row(row))).transpose()
    }

    async fn list_queries(
        &self,
        scope: &TenantScope,
        filter: &QueryFilter,
        sort: QuerySort,
        after: Option<QueryCursor>,
        limit: u32,
    ) -> StorageResult<Vec<Query>> {
        let matches = search_matches(self, scope, filter).await?;
        let mut sql = crate::query_list::select(scope, filter, matches, sort, after, limit);
        queries(sql.build().fetch_all(self.pool()).await.map_err(db_error)?)
    }

    async fn count_queries(&self, scope: &TenantScope, filter: &QueryFilter) -> StorageResult<u64> {
        let matches = search_matches(self, scope, filter).await?;
        let mut sql = crate::query_list::count(scope, filter, matches);
        let count: i64 = sql.build_query_scalar().fetch_one(self.pool()).await.map_err(db_error)?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn customer_queries(
        tx: &mut Tx,
        scope: &TenantScope,
        customer: CustomerId,
        limit: u32,
    ) -> StorageResult<Vec<Query>> {
        let filter = QueryFilter { customer_id: Some(customer), ..QueryFilter::default() };
        let mut sql = crate::query_list::select(scope, &filter, None, QuerySort::default(), None, limit);
        queries(sql.build().fetch_all(&mut *tx.0).await.map_err(db_error)?)
    }

    async fn search_customers(
        &self,
        scope: &TenantScope,
        terms: &SearchTerms,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StorageResult<Vec<Customer>> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let matches = Matches::count(&mut *tx, scope, SearchIndex::Customers, terms).await?;
        let mut sql =
            QueryBuilder::new(format!("SELECT {} FROM customers WHERE tenant_id = ", storage::sql::customers::COLUMNS));
        sql.push_bind(scope.tenant_id.as_uuid()).push(" AND deleted_at IS NULL AND merged_into IS NULL");
        if let Some(after) = after {
            sql.push(" AND id > ").push_bind(after.as_uuid());
        }
        matches.push_condition(&mut sql, scope, SearchIndex::Customers, terms);
        sql.push(" ORDER BY id LIMIT ").push_bind(i64::from(limit));
        let rows = sql.build().fetch_all(&mut *tx).await.map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter().map(|row| customer_of(&Row(row))).collect()
    }

    async fn api_token_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
    ) -> StorageResult<Option<ApiTokenPrincipal>> {
        crate::api_tokens::principal(self, token_hash, now).await
    }

    async fn session_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
        idle_timeout_secs: i64,
        activity: Activity,
    ) -> StorageResult<Option<SessionPrincipal>> {
        crate::sessions::principal(self, token_hash, now, idle_timeout_secs, activity).await
    }
}
