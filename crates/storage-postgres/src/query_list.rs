//! The work queue on PostgreSQL: the shared statements (`storage::sql::query_list`) as one
//! statement that sets its own tenant (see [`crate::scoped_read`]), with a plan of its own for
//! a search with few matches in the default order.

use crate::search::{Matches, SearchIndex};
use domain::{
    query::QueryFilter,
    query_list::{QueryCursor, QuerySort, QuerySortKey},
    search::SearchTerms,
};
use storage::{
    TenantScope,
    sql::{
        Stmt,
        query_list::{self, ListHooks},
        query_rows::COLUMNS,
        reads::Page,
    },
};

/// Ties each read to the tenant its own statement set.
const GUARD: &str = " AND scope.tenant IS NOT NULL";

/// `matches`: the search's matches, when the filter searches (see [`crate::search`]).
fn search_condition(
    scope: &TenantScope,
    matches: Option<Matches>,
) -> impl Fn(&mut Stmt, &SearchTerms) -> String + Sync + '_ {
    move |stmt, terms| matches.unwrap_or(Matches::Many).condition(stmt, scope, SearchIndex::Queries, terms)
}

/// One page, as one statement that sets its own tenant: it needs no transaction around it.
pub fn select(scope: &TenantScope, page: Page<'_>, matches: Option<Matches>) -> Stmt {
    let Page { filter, sort, after, limit } = page;
    if let (Some(terms), Some(matches), QuerySortKey::ReceivedAt) = (&filter.search, matches, sort.key) {
        return select_received_matches(scope, filter, terms, matches, sort, after, limit);
    }
    let (mut stmt, mut sql) = crate::scoped_read(scope);
    let search = search_condition(scope, matches);
    let hooks = ListHooks { guard: GUARD, search: &search };
    sql.push_str(&query_list::select(&mut stmt, scope, filter, sort, after, limit, &hooks));
    let (column, direction) = query_list::order(sort);
    // The page's order, stated again for the outer query rather than left to the plan.
    sql.push_str(&format!(" OFFSET 0) scoped ORDER BY {column} {direction}, id {direction}"));
    stmt.sql = sql.into();
    stmt
}

/// A page of a search in received order (the default): the search table gives the matches in
/// that order, and `queries` is asked for only as many as the page takes (more when the other
/// filters drop some), not for every match. Few matches come from the GIN index and are sorted;
/// many (a common word) are found by walking the search table's received-order index (0022)
/// and testing each row, which stops as soon as the page is full.
fn select_received_matches(
    scope: &TenantScope,
    filter: &QueryFilter,
    terms: &SearchTerms,
    matches: Matches,
    sort: QuerySort,
    after: Option<QueryCursor>,
    limit: u32,
) -> Stmt {
    let (_, direction) = query_list::order(sort);
    let (mut stmt, mut sql) = crate::scoped_read(scope);
    sql.push_str("SELECT q.* FROM (");
    sql.push_str(&SearchIndex::Queries.matching_by(&mut stmt, scope, terms, "query_id, received_at", matches));
    if let Some(cursor) = after {
        sql.push_str(&query_list::after_cursor(&mut stmt, sort, cursor, "query_id"));
    }
    if matches == Matches::Few {
        // Sorted in a subquery, so the join below keeps the order and stops when the page is full.
        sql.push_str(&format!(" ORDER BY received_at {direction}, query_id {direction}"));
    }
    // Many: unsorted, so the planner flattens the subquery and walks the received-order index
    // under the page's `LIMIT`; sorted, it would be planned alone, for every match (a sequential
    // scan and a sort of 50,000 rows for a word in 5 % of 1,000,000 queries: 540 ms, not 2.4).
    sql.push_str(") hits");
    let unsearched = QueryFilter { search: None, ..filter.clone() };
    let search = search_condition(scope, None);
    let narrow = query_list::narrow(&mut stmt, scope, &unsearched, &ListHooks { guard: GUARD, search: &search });
    sql.push_str(&format!(
        " CROSS JOIN LATERAL (SELECT {COLUMNS} FROM queries WHERE {narrow} AND id = hits.query_id) q"
    ));
    let limit = stmt.push(limit);
    sql.push_str(&format!(" ORDER BY hits.received_at {direction}, hits.query_id {direction} LIMIT {limit}"));
    sql.push_str(&format!(" OFFSET 0) scoped ORDER BY received_at {direction}, id {direction}"));
    stmt.sql = sql.into();
    stmt
}

/// `SELECT count(*)` of everything the filter matches, as one statement that sets its tenant.
pub fn count(scope: &TenantScope, filter: &QueryFilter, matches: Option<Matches>) -> Stmt {
    let (mut stmt, mut sql) = crate::scoped_read(scope);
    let search = search_condition(scope, matches);
    sql.push_str(&query_list::count(&mut stmt, scope, filter, &ListHooks { guard: GUARD, search: &search }));
    sql.push_str(" OFFSET 0) scoped");
    stmt.sql = sql.into();
    stmt
}

/// Open queries of a team per assignee, in one statement that sets its own tenant.
pub fn workload(scope: &TenantScope, team: domain::TeamId) -> Stmt {
    let (mut stmt, mut sql) = crate::scoped_read(scope);
    let search = search_condition(scope, None);
    sql.push_str(&query_list::workload(&mut stmt, scope, team, &ListHooks { guard: GUARD, search: &search }));
    sql.push_str(" OFFSET 0) scoped");
    stmt.sql = sql.into();
    stmt
}

/// ` AND <visible to the scope's user>` for a read of `queries` of one's own.
pub fn visible(stmt: &mut Stmt, scope: &TenantScope) -> String {
    let Some(viewer) = scope.viewer() else { return String::new() };
    let viewer = stmt.push(viewer);
    format!(" AND {}", storage::visibility::query_visible_to("queries", &viewer, scope.own_teams_only))
}
