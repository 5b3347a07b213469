//! The reads whose SQL and plan each backend writes for itself: full-text search (tsvector
//! tables vs FTS5) and the work queue built on it, where the benchmark decides the statement
//! (docs/performance.md), and who is asking (a backend may answer in one round trip). Everything
//! else a repository does is written once.

use super::{SqlBackend, SqlConn, SqlTx, Stmt};
use crate::{Activity, ApiTokenPrincipal, Names, NamesWanted, SessionPrincipal, StorageResult, TenantScope};
use domain::{
    CustomerId, QueryId, TeamId, Timestamp, UserId,
    customer::Customer,
    query::{Query, QueryFilter},
    query_list::{QueryCursor, QuerySort},
    search::SearchTerms,
};
use std::future::Future;

/// A page of the work queue.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub filter: &'a QueryFilter,
    pub sort: QuerySort,
    pub after: Option<QueryCursor>,
    pub limit: u32,
}

/// A page of customers matching search terms, in id order.
#[derive(Debug, Clone, Copy)]
pub struct CustomerSearch<'a> {
    pub terms: &'a SearchTerms,
    pub after: Option<CustomerId>,
    pub limit: u32,
}

pub trait SqlReads: SqlBackend {
    /// A live query the scope may see: the most frequent read (opening a query).
    fn get_query(&self, scope: &TenantScope, id: QueryId) -> impl Future<Output = StorageResult<Option<Query>>> + Send;

    /// One page of the work queue.
    fn list_queries(
        &self,
        scope: &TenantScope,
        page: Page<'_>,
    ) -> impl Future<Output = StorageResult<Vec<Query>>> + Send;

    fn count_queries(
        &self,
        scope: &TenantScope,
        filter: &QueryFilter,
    ) -> impl Future<Output = StorageResult<u64>> + Send;

    /// Open queries of a team per assignee; see [`crate::QueryRepo::team_workload`].
    fn team_workload(
        &self,
        scope: &TenantScope,
        team: TeamId,
    ) -> impl Future<Output = StorageResult<Vec<(Option<UserId>, u64)>>> + Send;

    /// A page of the work queue without full-text search, in the caller's transaction.
    fn page_in(
        tx: &mut Self::Tx,
        scope: &TenantScope,
        page: Page<'_>,
    ) -> impl Future<Output = StorageResult<Vec<Query>>> + Send;

    /// Customers matching the terms, in id order after the cursor.
    fn search_customers(
        &self,
        scope: &TenantScope,
        search: CustomerSearch<'_>,
    ) -> impl Future<Output = StorageResult<Vec<Customer>>> + Send;

    /// Names for the ids a page shows; by default one statement in a read transaction.
    fn names(&self, scope: &TenantScope, wanted: &NamesWanted) -> impl Future<Output = StorageResult<Names>> + Send {
        async move {
            let mut stmt = Stmt::new("");
            let Some(sql) = super::names::select(&mut stmt, scope, wanted, "") else { return Ok(Names::default()) };
            stmt.sql = sql.into();
            let mut tx = self.read(scope.tenant_id).await?;
            let rows = tx.fetch_all(stmt).await?;
            tx.commit().await?;
            super::names::names_of(&rows)
        }
    }

    /// The live API token with this hash and what a request needs with it; by default asked in
    /// steps ([`super::principals::api_token_principal_in_steps`]).
    fn api_token_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
    ) -> impl Future<Output = StorageResult<Option<ApiTokenPrincipal>>> + Send {
        super::principals::api_token_principal_in_steps(self, token_hash, now)
    }

    /// The live session with this token and what a request needs with it; by default asked in
    /// steps ([`super::principals::session_principal_in_steps`]).
    fn session_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
        idle_timeout_secs: i64,
        activity: Activity,
    ) -> impl Future<Output = StorageResult<Option<SessionPrincipal>>> + Send {
        super::principals::session_principal_in_steps(self, token_hash, now, idle_timeout_secs, activity)
    }
}
