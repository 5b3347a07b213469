//! Full-text search through the search tables of migration 0018.
//!
//! A page of search results can be found two ways, and which is quick depends on how many
//! records match. Few matches (a name, a reference, a postcode): take them all from the GIN
//! index, in received order when that is the page's order (the search table keeps
//! `received_at`), and look up in `queries` only as many as the page needs; in another order,
//! look each up by id and sort. Many (a common word): walk the page's order in `queries` and
//! test each row against the search table until the page is full, which takes a few rows.
//! PostgreSQL's planner does not find the first plan through row-level security and cannot
//! tell the two cases apart before running, so we count the matches first, up to
//! [`FEW_MATCHES`], and choose.
//!
//! Measured on 1,000,000 queries (docs/performance.md): a name in 0.1 % of queries took 128 ms
//! walking and 5 ms by id; a prefix matching every query took 2.5 s by id and 1.6 ms walking.

use crate::{
    errors::db_error,
    glue::{Row, statement},
};
use domain::search::SearchTerms;
use sqlx::Postgres;
use storage::{
    StorageResult, TenantScope,
    sql::{SqlRow, Stmt},
};

/// Up to this many matches are fetched by id; beyond it, the walk is quicker.
pub const FEW_MATCHES: usize = 2_000;

/// Which search table, and its id column.
#[derive(Debug, Clone, Copy)]
pub enum SearchIndex {
    Queries,
    Customers,
}

impl SearchIndex {
    /// The id column, as the page's statements name it.
    pub fn id_column(self) -> &'static str {
        match self {
            Self::Queries => "query_id",
            Self::Customers => "customer_id",
        }
    }

    /// `SELECT <columns> FROM <search table> WHERE <the tenant's rows matching terms>`. The
    /// search tables sit outside row-level security, so the statement names the tenant itself.
    pub fn matching(self, stmt: &mut Stmt, scope: &TenantScope, terms: &SearchTerms, columns: &str) -> String {
        self.matching_by(stmt, scope, terms, columns, Matches::Few)
    }

    /// As [`Self::matching`], found the way `matches` says: from the GIN index (few), or by
    /// testing each row in the order the statement walks (many). The test is then written as
    /// the function behind `@@`, which no index serves, so the planner cannot build the whole
    /// bitmap of a common word before the page's `LIMIT` stops the walk.
    pub fn matching_by(
        self,
        stmt: &mut Stmt,
        scope: &TenantScope,
        terms: &SearchTerms,
        columns: &str,
        matches: Matches,
    ) -> String {
        let table = match self {
            Self::Queries => "query_search",
            Self::Customers => "customer_search",
        };
        let tenant = stmt.push(scope.tenant_id.as_uuid());
        let query = format!("to_tsquery('simple', {})", stmt.push(terms.to_tsquery()));
        let test = match matches {
            Matches::Few => format!("search @@ {query}"),
            Matches::Many => format!("ts_match_vq(search, {query})"),
        };
        format!("SELECT {columns} FROM {table} WHERE tenant_id = {tenant} AND {test}")
    }
}

/// How a statement narrows to a search's matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matches {
    /// At most [`FEW_MATCHES`]: fetch them all by id.
    Few,
    /// More: test each row, in the page's order, against the search table.
    Many,
}

impl Matches {
    /// Counts the matches, up to one more than [`FEW_MATCHES`].
    ///
    /// Only the count comes back: the ids are found again inside the page's statement. Sent
    /// as a parameter, 2,000 ids (32 KB) would cross a TLS record, and sqlx 0.9.0 leaves
    /// Nagle's algorithm on, so the second record would wait 40 ms for the server's delayed
    /// acknowledgement (docs/decisions.md).
    pub async fn count<'c>(
        executor: impl sqlx::Executor<'c, Database = Postgres>,
        scope: &TenantScope,
        index: SearchIndex,
        terms: &SearchTerms,
    ) -> StorageResult<Self> {
        let mut stmt = Stmt::new("");
        let matching = index.matching(&mut stmt, scope, terms, "1");
        let cap = stmt.push(i64::try_from(FEW_MATCHES + 1).unwrap_or(i64::MAX));
        stmt.sql = format!("SELECT count(*) AS found FROM ({matching} LIMIT {cap}) hits").into();
        let found = Row(statement(stmt).fetch_one(executor).await.map_err(db_error)?).int("found")?;
        Ok(if usize::try_from(found).unwrap_or(usize::MAX) > FEW_MATCHES { Self::Many } else { Self::Few })
    }

    /// How a search of the work queue finds its matches, without building the bitmap of a common
    /// word. The planner's estimate comes from the column's statistics of common lexemes
    /// (`ANALYZE` keeps up to a thousand), so a word in 1 to 5 % of queries is known to be common
    /// without reading the index; counting its 10,000 to 50,000 matches took 16 to 46 ms of
    /// CPU on 1,000,000 queries. A word the statistics do not hold is rare or new, and is
    /// counted as before (a count of a few matches is cheap).
    pub async fn judge(
        pool: &sqlx::PgPool,
        scope: &TenantScope,
        index: SearchIndex,
        terms: &SearchTerms,
    ) -> StorageResult<Self> {
        let mut stmt = Stmt::new("");
        stmt.sql = format!("EXPLAIN (FORMAT JSON) {}", index.matching(&mut stmt, scope, terms, "1")).into();
        let row = statement(stmt).fetch_one(pool).await.map_err(db_error)?;
        let plan: sqlx::types::Json<serde_json::Value> = sqlx::Row::try_get(&row, 0).map_err(db_error)?;
        let estimated = plan.0[0]["Plan"]["Plan Rows"].as_f64().unwrap_or(0.0);
        // Twice the threshold: an estimate near it is checked by counting.
        if estimated > 2.0 * FEW_MATCHES as f64 {
            return Ok(Self::Many);
        }
        Self::count(pool, scope, index, terms).await
    }

    /// ` AND id …`: the condition that keeps only the matches.
    pub fn condition(self, stmt: &mut Stmt, scope: &TenantScope, index: SearchIndex, terms: &SearchTerms) -> String {
        let matching = index.matching(stmt, scope, terms, index.id_column());
        // An array makes the planner look each match up by id; `IN` lets it walk the order.
        if self == Self::Few { format!(" AND id = ANY(ARRAY({matching}))") } else { format!(" AND id IN ({matching})") }
    }
}
