//! The work queue's statements: filters and keyset paging in any allowed sort, with bound
//! parameters only. Written once; the backend supplies its full-text condition and the guard
//! its one-statement reads need, and may wrap the statement (PostgreSQL's scoped read).

use super::{Stmt, query_rows::COLUMNS};
use crate::{StorageResult, TenantScope, visibility};
use domain::{
    TeamId, Timestamp, UserId,
    query::QueryFilter,
    query_list::{AssigneeFilter, DueState, QueryCursor, QuerySort, QuerySortKey, UNTIMED_MICROS},
    search::SearchTerms,
};

/// What a backend adds to the work queue's statements.
pub struct ListHooks<'a> {
    /// A condition every statement carries (PostgreSQL: ` AND scope.tenant IS NOT NULL`, which
    /// ties the read to the statement's own tenant setting).
    pub guard: &'static str,
    /// The full-text condition (` AND …`) keeping the records that match the terms.
    pub search: &'a (dyn Fn(&mut Stmt, &SearchTerms) -> String + Sync),
}

impl std::fmt::Debug for ListHooks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListHooks").field("guard", &self.guard).finish_non_exhaustive()
    }
}

/// The sort's column and direction.
pub fn order(sort: QuerySort) -> (&'static str, &'static str) {
    let column = match sort.key {
        QuerySortKey::ReceivedAt => "received_at",
        QuerySortKey::UpdatedAt => "updated_at",
        QuerySortKey::Reference => "reference",
        // Never NULL (0030), so keyset pages need no special case for untimed queries.
        QuerySortKey::DueAt => "due_order",
    };
    (column, if sort.descending { "DESC" } else { "ASC" })
}

/// ` AND (<column>, <id column>) > (…)`: the rows after the cursor in the sort's order.
pub fn after_cursor(stmt: &mut Stmt, sort: QuerySort, cursor: QueryCursor, id_column: &str) -> String {
    let (column, _) = order(sort);
    let value = match sort.key {
        QuerySortKey::Reference => stmt.push(cursor.value),
        _ => stmt.push(Timestamp::from_micros(cursor.value)),
    };
    let id = stmt.push(cursor.id.as_uuid());
    format!(" AND ({column}, {id_column}) {} ({value}, {id})", if sort.descending { "<" } else { ">" })
}

/// `SELECT … FROM queries WHERE … ORDER BY <sort>, id LIMIT n`: one page.
pub fn select(
    stmt: &mut Stmt,
    scope: &TenantScope,
    filter: &QueryFilter,
    sort: QuerySort,
    after: Option<QueryCursor>,
    limit: u32,
    hooks: &ListHooks<'_>,
) -> String {
    let mut sql = format!("SELECT {COLUMNS} FROM queries WHERE {}", narrow(stmt, scope, filter, hooks));
    if let Some(cursor) = after {
        sql.push_str(&after_cursor(stmt, sort, cursor, "id"));
    }
    let (column, direction) = order(sort);
    sql.push_str(&format!(" ORDER BY {column} {direction}, id {direction} LIMIT {}", stmt.push(limit)));
    sql
}

/// `SELECT count(*) AS matching` of everything the filter matches.
pub fn count(stmt: &mut Stmt, scope: &TenantScope, filter: &QueryFilter, hooks: &ListHooks<'_>) -> String {
    format!("SELECT count(*) AS matching FROM queries WHERE {}", narrow(stmt, scope, filter, hooks))
}

/// The open queries of `team` the scope may see, counted per assignee (`NULL`: unassigned), as
/// `assignee_id` and `open_queries`: one pass over the team's range of `queries_by_team`.
pub fn workload(stmt: &mut Stmt, scope: &TenantScope, team: TeamId, hooks: &ListHooks<'_>) -> String {
    let filter = QueryFilter { team_id: Some(team), open: Some(true), ..QueryFilter::default() };
    format!(
        "SELECT assignee_id, count(*) AS open_queries FROM queries WHERE {} GROUP BY assignee_id",
        narrow(stmt, scope, &filter, hooks)
    )
}

/// One row of [`workload`].
pub fn workload_row(row: &impl super::SqlRow) -> StorageResult<(Option<UserId>, u64)> {
    let assignee = row.opt_uuid("assignee_id")?.map(UserId::from_uuid);
    Ok((assignee, u64::try_from(row.int("open_queries")?).unwrap_or_default()))
}

/// The conditions of a `WHERE` on `queries`: the tenant's live queries the scope may see that
/// match the filter.
pub fn narrow(stmt: &mut Stmt, scope: &TenantScope, filter: &QueryFilter, hooks: &ListHooks<'_>) -> String {
    let mut sql = format!("tenant_id = {} AND deleted_at IS NULL{}", stmt.push(scope.tenant_id.as_uuid()), hooks.guard);
    if let Some(viewer) = scope.viewer() {
        let (before, after) = visibility::query_visible_parts("queries");
        sql.push_str(&format!(" AND {before}{}{after}", stmt.push(viewer)));
        if scope.own_teams_only {
            let (first, second, end) = visibility::query_in_teams_parts("queries");
            sql.push_str(&format!(" AND {first}{}{second}{}{end}", stmt.push(viewer), stmt.push(viewer)));
        }
    }
    if !filter.statuses.is_empty() {
        sql.push_str(&format!(" AND status_id IN ({})", stmt.push_list(filter.statuses.iter().map(|s| s.as_uuid()))));
    }
    if !filter.channels.is_empty() {
        sql.push_str(&format!(" AND channel IN ({})", stmt.push_list(filter.channels.iter().map(|c| c.as_str()))));
    }
    if !filter.types.is_empty() {
        // A type stands for its sub-types too.
        let tenant = stmt.push(scope.tenant_id.as_uuid());
        let types = stmt.push_list(filter.types.iter().map(|t| t.as_uuid()));
        let parents = stmt.push_list(filter.types.iter().map(|t| t.as_uuid()));
        sql.push_str(&format!(
            " AND (type_id IN ({types}) OR type_id IN (SELECT id FROM query_types WHERE tenant_id = {tenant} AND parent_id IN ({parents})))"
        ));
    }
    if let Some(customer) = filter.customer_id {
        sql.push_str(&format!(" AND customer_id = {}", stmt.push(customer.as_uuid())));
    }
    match filter.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Nobody => sql.push_str(" AND assignee_id IS NULL"),
        AssigneeFilter::Officer(user) => sql.push_str(&format!(" AND assignee_id = {}", stmt.push(user.as_uuid()))),
    }
    if let Some(team) = filter.team_id {
        sql.push_str(&format!(" AND team_id = {}", stmt.push(team.as_uuid())));
    }
    if let Some(open) = filter.open {
        sql.push_str(&format!(" AND is_open = {}", stmt.push(open)));
    }
    if let Some(from) = filter.received_from {
        sql.push_str(&format!(" AND received_at >= {}", stmt.push(from)));
    }
    if let Some(before) = filter.received_before {
        sql.push_str(&format!(" AND received_at < {}", stmt.push(before)));
    }
    if let Some(before) = filter.due_before {
        sql.push_str(&format!(" AND due_order < {}", stmt.push(before)));
    }
    if !filter.due_states.is_empty() {
        sql.push_str(&due_states(stmt, &filter.due_states, Timestamp::now()));
    }
    if let Some(terms) = &filter.search {
        sql.push_str(&(hooks.search)(stmt, terms));
    }
    sql
}

/// ` AND (…)`: queries in any of `states` at `now` (as [`domain::query_list::QueryDue::state`]
/// reads them), written on `due_order` so the due-time indexes serve them.
fn due_states(stmt: &mut Stmt, states: &[DueState], now: Timestamp) -> String {
    let untimed = stmt.push(Timestamp::from_micros(UNTIMED_MICROS));
    let now = stmt.push(now);
    let conditions: Vec<String> = states
        .iter()
        .map(|state| match state {
            DueState::Overdue => format!("due_order <= {now}"),
            DueState::DueSoon => format!("(due_order > {now} AND due_order < {untimed} AND due_soon_at <= {now})"),
            DueState::OnTime => {
                format!(
                    "(due_order > {now} AND due_order < {untimed} AND (due_soon_at IS NULL OR due_soon_at > {now}))"
                )
            }
            DueState::Breached => format!("(due_order = {untimed} AND breached_at IS NOT NULL)"),
        })
        .collect();
    format!(" AND ({})", conditions.join(" OR "))
}
