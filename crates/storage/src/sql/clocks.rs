//! Service-level clocks kept in step with the query they time, inside the transaction of the
//! change that moves them: started when a query is logged (from its `received_at`), paused and
//! resumed as it enters and leaves a waiting status, stopped by the first response and by
//! resolution, restarted by reopening. `queries.due_at` is kept as the soonest due time of the
//! clocks that are counting, for the queues to sort and filter on.

use super::{SqlConn, SqlRow, Stmt};
use crate::{StorageError, StorageResult, TenantScope};
use domain::{
    CalendarId, QueryId, QueryTypeId, SlaPolicyId, Timestamp,
    calendar::{BankHolidays, Calendar, CalendarDefinition, NamedCalendar},
    customer::Customer,
    query::{Query, StatusCategory},
    query_list::QueryDue,
    sla::{Clock, ClockKind, QueryFacts, SlaPolicy, alert, select},
};
use std::collections::HashMap;

fn corrupt(what: &str, error: impl std::fmt::Display) -> StorageError {
    StorageError::Backend(format!("{what}: {error}").into())
}

/// The tenant's policies in the order they are tried.
pub async fn policies<C: SqlConn>(conn: &mut C, scope: &TenantScope) -> StorageResult<Vec<SlaPolicy>> {
    let stmt = Stmt::new(
        "SELECT id, definition, position, version FROM sla_policies WHERE tenant_id = $1 ORDER BY position, id",
    )
    .bind(scope.tenant_id.as_uuid());
    conn.fetch_all(stmt).await?.iter().map(policy_of).collect()
}

pub fn policy_of(row: &impl SqlRow) -> StorageResult<SlaPolicy> {
    Ok(SlaPolicy {
        id: SlaPolicyId::from_uuid(row.uuid("id")?),
        definition: serde_json::from_str(&row.text("definition")?)
            .map_err(|e| corrupt("sla_policies.definition", e))?,
        position: i32::try_from(row.int("position")?).map_err(|e| corrupt("sla_policies.position", e))?,
        version: row.int("version")?,
    })
}

/// Builds the calendars a flow needs, reading each (and the tenant's bank holidays) once.
#[derive(Debug, Default)]
pub struct Calendars {
    holidays: Option<BankHolidays>,
    built: HashMap<CalendarId, Calendar>,
}

impl Calendars {
    pub async fn get<C: SqlConn>(
        &mut self,
        conn: &mut C,
        scope: &TenantScope,
        id: CalendarId,
    ) -> StorageResult<Option<Calendar>> {
        if let Some(found) = self.built.get(&id) {
            return Ok(Some(found.clone()));
        }
        let definition = match NamedCalendar::built_in().into_iter().find(|c| c.id == id) {
            Some(built_in) => built_in.definition,
            None => {
                let stmt = Stmt::new("SELECT definition FROM business_calendars WHERE tenant_id = $1 AND id = $2")
                    .bind(scope.tenant_id.as_uuid())
                    .bind(id.as_uuid());
                let Some(row) = conn.fetch_optional(stmt).await? else { return Ok(None) };
                serde_json::from_str::<CalendarDefinition>(&row.text("definition")?)
                    .map_err(|e| corrupt("business_calendars.definition", e))?
            }
        };
        // A calendar that works through bank holidays (24x7) needs no holidays read.
        let calendar = match (definition.division, self.holidays.take()) {
            (None, known) => {
                self.holidays = known;
                definition.calendar(&BankHolidays::default())
            }
            (Some(_), Some(known)) => {
                let calendar = definition.calendar(&known);
                self.holidays = Some(known);
                calendar
            }
            (Some(_), None) => {
                let stmt = Stmt::new("SELECT content FROM bank_holiday_files WHERE tenant_id = $1")
                    .bind(scope.tenant_id.as_uuid());
                let uploaded = conn.fetch_optional(stmt).await?.map(|row| row.text("content")).transpose()?;
                // A kept upload was checked when it came; should it not parse now, the shipped
                // copy is better than no bank holidays at all.
                let holidays =
                    uploaded.and_then(|text| BankHolidays::parse(&text).ok()).unwrap_or_else(BankHolidays::shipped);
                let calendar = definition.calendar(&holidays);
                self.holidays = Some(holidays);
                calendar
            }
        };
        self.built.insert(id, calendar.clone());
        Ok(Some(calendar))
    }
}

/// The query's type and its ancestors, nearest first.
async fn type_lineage<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    type_id: Option<QueryTypeId>,
) -> StorageResult<Vec<QueryTypeId>> {
    let mut lineage = Vec::new();
    let mut next = type_id;
    // Types nest a few levels at most; the bound only guards against a cycle.
    while let Some(id) = next.filter(|_| lineage.len() < 16) {
        lineage.push(id);
        let stmt = Stmt::new("SELECT parent_id FROM query_types WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid());
        next = conn
            .fetch_optional(stmt)
            .await?
            .map(|row| row.opt_uuid("parent_id"))
            .transpose()?
            .flatten()
            .map(QueryTypeId::from_uuid);
    }
    Ok(lineage)
}

/// What policies are matched against, for a query and its customer.
pub async fn facts_of<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: &Query,
    customer: Option<&Customer>,
) -> StorageResult<QueryFacts> {
    Ok(QueryFacts {
        type_lineage: type_lineage(conn, scope, query.type_id).await?,
        channel: query.channel,
        priority: query.priority,
        customer_has_contact_needs: customer.map(|c| c.details.contact_needs.is_some()),
    })
}

/// The clocks of the first policy the query meets, started at its received time (none if no
/// policy matches), with the calendars they count on.
async fn fresh<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: &Query,
    customer: Option<&Customer>,
    calendars: &mut Calendars,
) -> StorageResult<Vec<Clock>> {
    let policies = policies(conn, scope).await?;
    if policies.is_empty() {
        return Ok(Vec::new());
    }
    let facts = facts_of(conn, scope, query, customer).await?;
    let Some(policy) = select(&policies, &facts) else { return Ok(Vec::new()) };
    let mut clocks = Vec::new();
    for kind in ClockKind::ALL {
        let Some(target) = policy.definition.target(kind) else { continue };
        // A calendar deleted or unreachable leaves the query without that clock rather than
        // refusing the query: logging what the customer sent always succeeds.
        let Some(calendar) = calendars.get(conn, scope, target.calendar_id).await? else { continue };
        if let Some(Ok(clock)) = Clock::start(kind, policy, &calendar, query.received_at) {
            clocks.push(clock);
        }
    }
    Ok(clocks)
}

/// Starts the clocks of the first policy the new query meets (none if no policy matches).
pub async fn start<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: &Query,
    customer: Option<&Customer>,
) -> StorageResult<QueryDue> {
    let clocks = fresh(conn, scope, query, customer, &mut Calendars::default()).await?;
    insert(conn, scope, query.id, &clocks).await?;
    set_due(conn, scope, query.id, &clocks).await
}

/// Times a query again from scratch, as if its clocks had run from its received time under the
/// policy that applies now: its status changes and its first outbound contact are replayed in
/// the order they happened. For a correction of how or when the query arrived (and, later, an
/// administrator's re-timing after a policy change).
pub async fn retime<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: &Query,
    customer: Option<&Customer>,
) -> StorageResult<QueryDue> {
    let mut calendars = Calendars::default();
    let mut clocks = fresh(conn, scope, query, customer, &mut calendars).await?;
    let history = Stmt::new(
        "SELECT t.at, f.category AS from_category, s.category AS to_category
         FROM query_status_transitions t
         JOIN query_statuses s ON s.tenant_id = t.tenant_id AND s.id = t.to_status_id
         LEFT JOIN query_statuses f ON f.tenant_id = t.tenant_id AND f.id = t.from_status_id
         WHERE t.tenant_id = $1 AND t.query_id = $2 AND t.from_status_id IS NOT NULL ORDER BY t.seq",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query.id.as_uuid());
    let mut events: Vec<(Timestamp, Option<(StatusCategory, StatusCategory)>)> = Vec::new();
    for row in conn.fetch_all(history).await? {
        let category = |column: &str| -> StorageResult<StatusCategory> {
            let raw = row.text(column)?;
            StatusCategory::parse(&raw).ok_or_else(|| corrupt("query_statuses.category", raw))
        };
        events.push((row.time("at")?, Some((category("from_category")?, category("to_category")?))));
    }
    let responded = Stmt::new(
        "SELECT MIN(occurred_at) AS at FROM query_notes
         WHERE tenant_id = $1 AND query_id = $2 AND kind = 'contact' AND direction = 'outbound'",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query.id.as_uuid());
    if let Some(at) = conn.fetch_one(responded).await?.opt_time("at")? {
        events.push((at, None));
    }
    events.sort_by_key(|(at, _)| *at);
    for clock in &mut clocks {
        let Some(calendar) = calendars.get(conn, scope, clock.target.calendar_id).await? else { continue };
        for (at, change) in &events {
            match change {
                Some((from, to)) => clock.status_changed(&calendar, *from, *to, *at),
                None => clock.responded(*at),
            }
        }
    }
    let clear = Stmt::new("DELETE FROM query_clocks WHERE tenant_id = $1 AND query_id = $2")
        .bind(scope.tenant_id.as_uuid())
        .bind(query.id.as_uuid());
    conn.execute(clear).await?;
    insert(conn, scope, query.id, &clocks).await?;
    set_due(conn, scope, query.id, &clocks).await
}

/// A query's clocks; with `lock`, locked until the transaction ends where the backend locks rows.
pub async fn of_query<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: QueryId,
    lock: bool,
) -> StorageResult<Vec<Clock>> {
    let sql = format!(
        "SELECT kind, policy_id, policy_version, target, due_soon, started_at, due_at, due_soon_at, paused_at,
                stopped_at
         FROM query_clocks WHERE tenant_id = $1 AND query_id = $2 ORDER BY kind{}",
        if lock { C::DIALECT.for_update } else { "" }
    );
    let rows = conn.fetch_all(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(query.as_uuid())).await?;
    rows.iter().map(clock_of).collect()
}

pub(super) fn clock_of(row: &impl SqlRow) -> StorageResult<Clock> {
    let kind = row.text("kind")?;
    Ok(Clock {
        kind: ClockKind::parse(&kind).ok_or_else(|| corrupt("query_clocks.kind", kind))?,
        policy_id: SlaPolicyId::from_uuid(row.uuid("policy_id")?),
        policy_version: row.int("policy_version")?,
        target: serde_json::from_str(&row.text("target")?).map_err(|e| corrupt("query_clocks.target", e))?,
        due_soon: serde_json::from_str(&row.text("due_soon")?).map_err(|e| corrupt("query_clocks.due_soon", e))?,
        started_at: row.time("started_at")?,
        due_at: row.time("due_at")?,
        due_soon_at: row.time("due_soon_at")?,
        paused_at: row.opt_time("paused_at")?,
        stopped_at: row.opt_time("stopped_at")?,
    })
}

/// Adds a new query's clocks in one statement.
async fn insert<C: SqlConn>(conn: &mut C, scope: &TenantScope, query: QueryId, clocks: &[Clock]) -> StorageResult<()> {
    let rows: Vec<(QueryId, &Clock)> = clocks.iter().map(|clock| (query, clock)).collect();
    insert_rows(conn, scope, &rows, Written::Live).await
}

/// How a clock row's breach and next alert are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// As a flow writes a clock it just moved: a breach once it stops counting late, the
    /// alert sweep to look at it from its due-soon time.
    Live,
    /// As the sweep would have left it by then, had it run all along (seeded history: its
    /// first sweep sends no backlog of alerts for the past).
    SettledAt(Timestamp),
}

/// Adds clocks of any number of queries, in statements of a few thousand rows.
pub async fn insert_rows<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    rows: &[(QueryId, &Clock)],
    written: Written,
) -> StorageResult<()> {
    // 14 values a row, under PostgreSQL's 65,535 and SQLite's 32,766 bound parameters.
    for chunk in rows.chunks(2_000) {
        let mut stmt = Stmt::new("");
        let values: Vec<String> = chunk
            .iter()
            .map(|(query, clock)| {
                let (breached, alert_at) = match written {
                    Written::Live => (recorded_breach(clock), alert::first_look(clock)),
                    Written::SettledAt(now) => (clock.breached_at(now), alert::settled_look(clock, now)),
                };
                let values = [
                    stmt.push(scope.tenant_id.as_uuid()),
                    stmt.push(query.as_uuid()),
                    stmt.push(clock.kind.as_str()),
                    stmt.push(clock.policy_id.as_uuid()),
                    stmt.push(clock.policy_version),
                    stmt.push(serde_json::to_string(&clock.target).unwrap_or_default()),
                    stmt.push(serde_json::to_string(&clock.due_soon).unwrap_or_default()),
                    stmt.push(clock.started_at),
                    stmt.push(clock.due_at),
                    stmt.push(clock.due_soon_at),
                    stmt.push(clock.paused_at),
                    stmt.push(clock.stopped_at),
                    stmt.push(breached),
                    stmt.push(alert_at),
                ];
                format!("({})", values.join(", "))
            })
            .collect();
        if values.is_empty() {
            continue;
        }
        stmt.sql = format!(
            "INSERT INTO query_clocks (tenant_id, query_id, kind, policy_id, policy_version, target, due_soon,
                 started_at, due_at, due_soon_at, paused_at, stopped_at, breached_at, alert_at)
             VALUES {}",
            values.join(", ")
        )
        .into();
        conn.execute(stmt).await?;
    }
    Ok(())
}

/// A breach is recorded once the clock is no longer counting (paused or stopped after its due
/// time); a counting clock's breach is read from its due time (and recorded by the alerts).
fn recorded_breach(clock: &Clock) -> Option<Timestamp> {
    let until = clock.stopped_at.or(clock.paused_at)?;
    clock.breached_at(until)
}

/// Writes a changed clock back. The alert sweep looks at it again from its due-soon time if it
/// counts (an alert it already had is in the ledger and is not sent again).
async fn update<C: SqlConn>(conn: &mut C, scope: &TenantScope, query: QueryId, clock: &Clock) -> StorageResult<()> {
    let stmt = Stmt::new(
        "UPDATE query_clocks SET due_at = $4, due_soon_at = $5, paused_at = $6, stopped_at = $7,
                breached_at = COALESCE(breached_at, $8), alert_at = $9
         WHERE tenant_id = $1 AND query_id = $2 AND kind = $3",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query.as_uuid())
    .bind(clock.kind.as_str())
    .bind(clock.due_at)
    .bind(clock.due_soon_at)
    .bind(clock.paused_at)
    .bind(clock.stopped_at)
    .bind(recorded_breach(clock))
    .bind(alert::first_look(clock));
    conn.execute(stmt).await.map(drop)
}

/// Keeps the query's due times (`due_at`, `due_soon_at`: the soonest of the counting clocks)
/// and its first breach in step with its clocks; returns them for the query the flow returns.
async fn set_due<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: QueryId,
    clocks: &[Clock],
) -> StorageResult<QueryDue> {
    let due = QueryDue::of_clocks(clocks, Timestamp::now());
    let stmt = Stmt::new(
        "UPDATE queries SET due_at = $3, due_soon_at = $4, breached_at = $5 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query.as_uuid())
    .bind(due.due_at)
    .bind(due.due_soon_at)
    .bind(due.breached_at);
    conn.execute(stmt).await?;
    Ok(due)
}

/// Applies `change` to each of the query's clocks and writes back those it changed.
async fn apply<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: QueryId,
    mut change: impl FnMut(&mut Clock, &Calendar),
) -> StorageResult<QueryDue> {
    let mut clocks = of_query(conn, scope, query, true).await?;
    if clocks.is_empty() {
        return Ok(QueryDue::default());
    }
    let mut calendars = Calendars::default();
    for clock in &mut clocks {
        let Some(calendar) = calendars.get(conn, scope, clock.target.calendar_id).await? else { continue };
        let before = clock.clone();
        change(clock, &calendar);
        if *clock != before {
            update(conn, scope, query, clock).await?;
        }
    }
    set_due(conn, scope, query, &clocks).await
}

/// A status change: waiting pauses every clock and leaving it resumes them; resolving or
/// closing stops them; reopening counts the resolution clock on from what was left.
pub async fn on_status_change<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: QueryId,
    from: StatusCategory,
    to: StatusCategory,
    at: Timestamp,
) -> StorageResult<Option<QueryDue>> {
    // Only waiting and being done move a clock (New to In progress, say, changes nothing).
    let moves = |category: StatusCategory| category == StatusCategory::Waiting || category.is_done();
    if from == to || !(moves(from) || moves(to)) {
        return Ok(None);
    }
    apply(conn, scope, query, |clock, calendar| clock.status_changed(calendar, from, to, at)).await.map(Some)
}

/// The first response to the customer stops the first-response clock (at the time the contact
/// happened, never before the clock started).
pub async fn on_first_response<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: QueryId,
    at: Timestamp,
) -> StorageResult<()> {
    // Stopping needs no calendar: only the first-response clock is read and, if it still
    // counts, written.
    let mut clocks = of_query(conn, scope, query, true).await?;
    let Some(clock) = clocks.iter_mut().find(|c| c.kind == ClockKind::FirstResponse && c.stopped_at.is_none()) else {
        return Ok(());
    };
    clock.responded(at);
    let stopped = clock.clone();
    update(conn, scope, query, &stopped).await?;
    set_due(conn, scope, query, &clocks).await.map(drop)
}

#[cfg(test)]
mod tests {
    /// The migration that gave existing organisations the example policies wrote the same
    /// definitions a new organisation gets.
    #[test]
    fn the_migrations_add_the_shipped_example_policies() {
        for migration in [
            include_str!("../../../../migrations/postgres/0028_sla.sql"),
            include_str!("../../../../migrations/sqlite/0028_sla.sql"),
        ] {
            let written: Vec<domain::sla::PolicyDefinition> = migration
                .split('\'')
                .filter(|part| part.starts_with("{\"name\""))
                .map(|json| serde_json::from_str(json).expect("a policy definition"))
                .collect();
            let shipped: Vec<_> = domain::sla::examples().into_iter().map(|(_, d)| d).collect();
            assert_eq!(written, shipped);
        }
    }
}
