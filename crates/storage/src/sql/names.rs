//! Names for the ids a page shows (queries, customers, officers, teams), read in one statement so a page
//! of fifty queries costs one more round trip, not one per row. Written once; PostgreSQL wraps
//! the statement in its scoped read, SQLite runs it in a read transaction.

use super::{SqlRow, Stmt};
use crate::{Names, NamesWanted, QueryTitle, StorageResult, TenantScope, records, visibility};
use domain::{
    CustomerId, QueryId, TeamId, UserId,
    customer::{CustomerName, display_name},
    query::QueryReference,
};

/// `SELECT kind, id, a, b, c, d … UNION ALL …`: one branch per kind of record wanted, each
/// carrying `guard` (PostgreSQL ties the read to its tenant setting with it). `None` when
/// nothing is wanted.
pub fn select(stmt: &mut Stmt, scope: &TenantScope, wanted: &NamesWanted, guard: &str) -> Option<String> {
    let mut branches = Vec::new();
    if !wanted.queries.is_empty() {
        let tenant = stmt.push(scope.tenant_id.as_uuid());
        let ids = stmt.push_list(wanted.queries.iter().map(|id| id.as_uuid()));
        let mut visible = String::new();
        if let Some(viewer) = scope.viewer() {
            let (before, after) = visibility::query_visible_parts("queries");
            visible.push_str(&format!(" AND {before}{}{after}", stmt.push(viewer)));
            if scope.own_teams_only {
                let (first, second, end) = visibility::query_in_teams_parts("queries");
                visible.push_str(&format!(" AND {first}{}{second}{}{end}", stmt.push(viewer), stmt.push(viewer)));
            }
        }
        branches.push(format!(
            "SELECT 'q' AS kind, id, CAST(reference AS TEXT) AS a, subject AS b, NULL AS c, NULL AS d FROM queries \
             WHERE tenant_id = {tenant} AND id IN ({ids}) AND deleted_at IS NULL{visible}{guard}"
        ));
    }
    if !wanted.customers.is_empty() {
        let tenant = stmt.push(scope.tenant_id.as_uuid());
        let ids = stmt.push_list(wanted.customers.iter().map(|id| id.as_uuid()));
        branches.push(format!(
            "SELECT 'c' AS kind, id, title AS a, given_name AS b, family_name AS c, organisation AS d FROM customers \
             WHERE tenant_id = {tenant} AND id IN ({ids}) AND deleted_at IS NULL AND merged_into IS NULL{guard}"
        ));
    }
    // Officers and teams: one name column each.
    let users = wanted.users.iter().map(|id| id.as_uuid()).collect::<Vec<_>>();
    let teams = wanted.teams.iter().map(|id| id.as_uuid()).collect::<Vec<_>>();
    for (kind, table, name, ids) in [("u", "users", "display_name", users), ("t", "teams", "name", teams)] {
        if ids.is_empty() {
            continue;
        }
        let tenant = stmt.push(scope.tenant_id.as_uuid());
        let ids = stmt.push_list(ids);
        branches.push(format!(
            "SELECT '{kind}' AS kind, id, {name} AS a, NULL AS b, NULL AS c, NULL AS d FROM {table} \
             WHERE tenant_id = {tenant} AND id IN ({ids}){guard}"
        ));
    }
    (!branches.is_empty()).then(|| branches.join(" UNION ALL "))
}

/// The rows of [`select`] as names by id.
pub fn names_of<R: SqlRow>(rows: &[R]) -> StorageResult<Names> {
    let mut names = Names::default();
    for row in rows {
        let id = row.uuid("id")?;
        match row.text("kind")?.as_str() {
            "q" => {
                let number = row.text("a")?.parse::<u64>().map_err(|_| records::corrupt("query reference"))?;
                let title = QueryTitle { reference: QueryReference::new(number), subject: row.text("b")? };
                names.queries.insert(QueryId::from_uuid(id), title);
            }
            "c" => {
                let name = CustomerName {
                    title: row.opt_text("a")?,
                    given_name: row.opt_text("b")?.unwrap_or_default(),
                    family_name: row.opt_text("c")?.unwrap_or_default(),
                    organisation: row.opt_text("d")?,
                };
                names.customers.insert(CustomerId::from_uuid(id), display_name(&name));
            }
            "u" => {
                names.users.insert(UserId::from_uuid(id), row.text("a")?);
            }
            "t" => {
                names.teams.insert(TeamId::from_uuid(id), row.text("a")?);
            }
            _ => return Err(records::corrupt("kind of name")),
        }
    }
    Ok(names)
}
