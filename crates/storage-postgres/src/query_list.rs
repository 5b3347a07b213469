//! The work-queue query on PostgreSQL: filters, full-text search and keyset paging in any
//! allowed sort, built with bound parameters only.

use crate::search::{Matches, SearchIndex};
use domain::{
    Timestamp,
    query::QueryFilter,
    query_list::{AssigneeFilter, QueryCursor, QuerySort, QuerySortKey},
    search::SearchTerms,
};
use sqlx::{Postgres, QueryBuilder};
use storage::TenantScope;
use storage::sql::queries::COLUMNS;

/// `… SELECT … ORDER BY <sort>, id LIMIT n` for one page, as one statement that sets its own
/// tenant (see [`crate::scoped_read`]): it needs no transaction around it.
pub fn select(
    scope: &TenantScope,
    filter: &QueryFilter,
    matches: Option<Matches>,
    sort: QuerySort,
    after: Option<QueryCursor>,
    limit: u32,
) -> QueryBuilder<Postgres> {
    if let (Some(terms), Some(Matches::Few), QuerySortKey::ReceivedAt) = (&filter.search, matches, sort.key) {
        return select_received_matches(scope, filter, terms, sort.descending, after, limit);
    }
    let mut sql = crate::scoped_read(scope);
    sql.push(format!("SELECT {COLUMNS} FROM queries WHERE tenant_id = "));
    narrow(&mut sql, scope, filter, matches);
    let column = match sort.key {
        QuerySortKey::ReceivedAt => "received_at",
        QuerySortKey::UpdatedAt => "updated_at",
        QuerySortKey::Reference => "reference",
    };
    if let Some(cursor) = after {
        sql.push(format!(" AND ({column}, id) {} (", if sort.descending { "<" } else { ">" }));
        match sort.key {
            QuerySortKey::Reference => sql.push_bind(cursor.value),
            _ => sql.push_bind(Timestamp::from_micros(cursor.value).as_datetime()),
        };
        sql.push(", ").push_bind(cursor.id.as_uuid()).push(")");
    }
    let direction = if sort.descending { "DESC" } else { "ASC" };
    let order = format!("ORDER BY {column} {direction}, id {direction}");
    sql.push(format!(" {order} LIMIT ")).push_bind(i64::from(limit));
    // The page's order, stated again for the outer query rather than left to the plan.
    sql.push(format!(" OFFSET 0) scoped {order}"));
    sql
}

/// A page of a search with few matches, in received order (the default): the search table
/// gives the matches already sorted, and `queries` is asked for only as many as the page takes
/// (more when the other filters drop some), not for every match.
fn select_received_matches(
    scope: &TenantScope,
    filter: &QueryFilter,
    terms: &SearchTerms,
    descending: bool,
    after: Option<QueryCursor>,
    limit: u32,
) -> QueryBuilder<Postgres> {
    let direction = if descending { "DESC" } else { "ASC" };
    let mut sql = crate::scoped_read(scope);
    sql.push("SELECT q.* FROM (");
    SearchIndex::Queries.push_matching(&mut sql, scope, terms, "query_id, received_at");
    if let Some(cursor) = after {
        sql.push(format!(" AND (received_at, query_id) {} (", if descending { "<" } else { ">" }));
        sql.push_bind(Timestamp::from_micros(cursor.value).as_datetime());
        sql.push(", ").push_bind(cursor.id.as_uuid()).push(")");
    }
    // Sorted in a subquery, so the join below keeps the order and stops when the page is full.
    sql.push(format!(" ORDER BY received_at {direction}, query_id {direction}) hits"));
    sql.push(format!(" CROSS JOIN LATERAL (SELECT {COLUMNS} FROM queries WHERE tenant_id = "));
    let unsearched = QueryFilter { search: None, ..filter.clone() };
    narrow(&mut sql, scope, &unsearched, None);
    sql.push(" AND id = hits.query_id) q");
    sql.push(format!(" ORDER BY hits.received_at {direction}, hits.query_id {direction} LIMIT "));
    sql.push_bind(i64::from(limit));
    sql.push(format!(" OFFSET 0) scoped ORDER BY received_at {direction}, id {direction}"));
    sql
}

/// `SELECT count(*)` of everything the filter matches, as one statement that sets its tenant.
pub fn count(scope: &TenantScope, filter: &QueryFilter, matches: Option<Matches>) -> QueryBuilder<Postgres> {
    let mut sql = crate::scoped_read(scope);
    sql.push("SELECT count(*) AS matching FROM queries WHERE tenant_id = ");
    narrow(&mut sql, scope, filter, matches);
    sql.push(" OFFSET 0) scoped");
    sql
}

/// `matches`: the search's matches, when the filter searches (see [`crate::search`]).
fn narrow(sql: &mut QueryBuilder<Postgres>, scope: &TenantScope, filter: &QueryFilter, matches: Option<Matches>) {
    sql.push_bind(scope.tenant_id.as_uuid()).push(" AND deleted_at IS NULL AND scope.tenant IS NOT NULL");
    push_visible(sql, scope);
    if !filter.statuses.is_empty() {
        sql.push(" AND status_id = ANY(").push_bind(filter.statuses.iter().map(|s| s.as_uuid()).collect::<Vec<_>>());
        sql.push(")");
    }
    if !filter.channels.is_empty() {
        let channels: Vec<String> = filter.channels.iter().map(|c| c.as_str().to_owned()).collect();
        sql.push(" AND channel = ANY(").push_bind(channels).push(")");
    }
    if !filter.types.is_empty() {
        // A type stands for its sub-types too.
        let types: Vec<_> = filter.types.iter().map(|t| t.as_uuid()).collect();
        sql.push(" AND (type_id = ANY(").push_bind(types.clone());
        sql.push(") OR type_id IN (SELECT id FROM query_types WHERE tenant_id = ").push_bind(scope.tenant_id.as_uuid());
        sql.push(" AND parent_id = ANY(").push_bind(types).push(")))");
    }
    if let Some(customer) = filter.customer_id {
        sql.push(" AND customer_id = ").push_bind(customer.as_uuid());
    }
    match filter.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Nobody => {
            sql.push(" AND assignee_id IS NULL");
        }
        AssigneeFilter::Officer(user) => {
            sql.push(" AND assignee_id = ").push_bind(user.as_uuid());
        }
    }
    if let Some(team) = filter.team_id {
        sql.push(" AND team_id = ").push_bind(team.as_uuid());
    }
    if let Some(open) = filter.open {
        sql.push(" AND is_open = ").push_bind(open);
    }
    if let Some(from) = filter.received_from {
        sql.push(" AND received_at >= ").push_bind(from.as_datetime());
    }
    if let Some(before) = filter.received_before {
        sql.push(" AND received_at < ").push_bind(before.as_datetime());
    }
    if let Some(terms) = &filter.search {
        matches.unwrap_or(Matches::Many).push_condition(sql, scope, SearchIndex::Queries, terms);
    }
}

/// Appends "and visible to the scope's user" to a statement on `queries` being built.
pub(crate) fn push_visible(sql: &mut sqlx::QueryBuilder<sqlx::Postgres>, scope: &TenantScope) {
    if let Some(viewer) = scope.viewer() {
        let (before, after) = storage::visibility::query_visible_parts("queries");
        sql.push(" AND ").push(before).push_bind(viewer).push(after);
        if scope.own_teams_only {
            let (first, second, end) = storage::visibility::query_in_teams_parts("queries");
            sql.push(" AND ").push(first).push_bind(viewer).push(second).push_bind(viewer).push(end);
        }
    }
}
