//! Restricted queries (SEC-09): the SQL condition, the same text on both backends, that a
//! query is visible to a user. A query is visible when it is not restricted, or when the user
//! belongs to one of the groups it is restricted to.

/// The condition on query `alias`, cut where the viewer's id goes: the backend puts its own
/// placeholder (or a bound parameter) between the two parts.
pub fn query_visible_parts(alias: &str) -> (String, &'static str) {
    (
        format!(
            "(NOT {alias}.restricted OR EXISTS (SELECT 1 FROM query_restrictions r \
             JOIN group_members m ON m.tenant_id = r.tenant_id AND m.group_id = r.group_id \
             WHERE r.tenant_id = {alias}.tenant_id AND r.query_id = {alias}.id AND m.user_id = "
        ),
        "))",
    )
}

/// The condition with the viewer as placeholder `viewer` (`$3`, `?3`).
pub fn query_visible(alias: &str, viewer: &str) -> String {
    let (before, after) = query_visible_parts(alias);
    format!("{before}{viewer}{after}")
}

/// The team limit on query `alias` (SEC-08: a grant limited to the holder's teams): the query
/// is assigned to the viewer or to one of their teams. Cut twice where the viewer's id goes.
pub fn query_in_teams_parts(alias: &str) -> (String, String, &'static str) {
    (
        format!("({alias}.assignee_id = "),
        format!(
            " OR {alias}.team_id IN (SELECT tm.team_id FROM team_members tm \
             WHERE tm.tenant_id = {alias}.tenant_id AND tm.user_id = "
        ),
        "))",
    )
}

/// Everything the viewer may see of query `alias`, with the viewer as placeholder `viewer`:
/// the restriction, and the team limit when `own_teams_only`.
pub fn query_visible_to(alias: &str, viewer: &str, own_teams_only: bool) -> String {
    let visible = query_visible(alias, viewer);
    if !own_teams_only {
        return visible;
    }
    let (first, second, end) = query_in_teams_parts(alias);
    format!("({visible} AND {first}{viewer}{second}{viewer}{end})")
}
