//! The reads whose SQL and plan each backend writes for itself: full-text search (tsvector
//! tables vs FTS5) and the work queue built on it, where the benchmark decides the statement
//! (docs/performance.md). Everything else a repository does is written once.

use super::SqlBackend;
use crate::{StorageResult, TenantScope};
use domain::{
    CustomerId, QueryId,
    customer::Customer,
    query::{Query, QueryFilter},
    query_list::{QueryCursor, QuerySort},
    search::SearchTerms,
};
use std::future::Future;

pub trait SqlReads: SqlBackend {
    /// A live query the scope may see: the most frequent read (opening a query).
    fn get_query(&self, scope: &TenantScope, id: QueryId) -> impl Future<Output = StorageResult<Option<Query>>> + Send;

    /// One page of the work queue.
    fn list_queries(
        &self,
        scope: &TenantScope,
        filter: &QueryFilter,
        sort: QuerySort,
        after: Option<QueryCursor>,
        limit: u32,
    ) -> impl Future<Output = StorageResult<Vec<Query>>> + Send;

    fn count_queries(
        &self,
        scope: &TenantScope,
        filter: &QueryFilter,
    ) -> impl Future<Output = StorageResult<u64>> + Send;

    /// A customer's queries the scope may see, newest first, in the caller's transaction.
    fn customer_queries(
        tx: &mut Self::Tx,
        scope: &TenantScope,
        customer: CustomerId,
        limit: u32,
    ) -> impl Future<Output = StorageResult<Vec<Query>>> + Send;

    /// Customers matching the terms, in id order after the cursor.
    fn search_customers(
        &self,
        scope: &TenantScope,
        terms: &SearchTerms,
        after: Option<CustomerId>,
        limit: u32,
    ) -> impl Future<Output = StorageResult<Vec<Customer>>> + Send;
}
