//! Service-level alerts and the leaders' daily digest (issue 15, item 5), delivered through
//! in-app notifications exactly once: each alert is first written to a ledger (`sla_alerts`,
//! one row per clock and kind) in the transaction that notifies, so a repeat — a second
//! process, a retry after a crash — finds the row and notifies nobody. Digests are kept once
//! per team and day the same way (`sla_digests`).

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit,
    clocks::{self, clock_of},
    events::insert_event,
    notifications,
};
use crate::{AlertsSent, SlaAlertRepo, StorageResult, TenantScope, records::NewEvent};
use async_trait::async_trait;
use domain::{
    QueryId, TeamId, Timestamp, UserId,
    audit::AuditEvent,
    notification::{NewNotification, NotificationKind, Subject},
    query::QueryReference,
    sla::{
        Clock, SlaPolicy,
        alert::{self, AlertKind},
    },
};
use serde_json::json;

/// Who hears about a query: its officer while they are active, else its team's active members.
async fn recipients<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    officer: Option<UserId>,
    team: Option<TeamId>,
) -> StorageResult<Vec<UserId>> {
    if let Some(officer) = officer {
        let active = Stmt::new("SELECT id FROM users WHERE tenant_id = $1 AND id = $2 AND status = 'active'")
            .bind(scope.tenant_id.as_uuid())
            .bind(officer.as_uuid());
        if conn.fetch_optional(active).await?.is_some() {
            return Ok(vec![officer]);
        }
    }
    let Some(team) = team else { return Ok(Vec::new()) };
    team_members(conn, scope, team, false).await
}

/// A team's active members, or only its leaders.
async fn team_members<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    team: TeamId,
    leaders_only: bool,
) -> StorageResult<Vec<UserId>> {
    let sql = format!(
        "SELECT m.user_id FROM team_members m
         JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
         WHERE m.tenant_id = $1 AND m.team_id = $2 AND u.status = 'active'{}
         ORDER BY m.user_id",
        if leaders_only { " AND m.leader" } else { "" }
    );
    let rows = conn.fetch_all(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(team.as_uuid())).await?;
    rows.iter().map(|row| row.uuid("user_id").map(UserId::from_uuid)).collect()
}

/// Writes the alert to the ledger; false when it was already there (sent before).
async fn record_alert<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: QueryId,
    clock: &Clock,
    kind: AlertKind,
    now: Timestamp,
) -> StorageResult<bool> {
    let stmt = Stmt::new(
        "INSERT INTO sla_alerts (tenant_id, query_id, clock, kind, due_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, query_id, clock, kind) DO NOTHING",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query.as_uuid())
    .bind(clock.kind.as_str())
    .bind(kind.as_str())
    .bind(clock.due_at)
    .bind(now);
    Ok(conn.execute(stmt).await? == 1)
}

/// One claimed clock: the alert it calls for, delivered once, and when to look at it next.
async fn handle_clock<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    row: &C::Row,
    policies: &[SlaPolicy],
    now: Timestamp,
    sent: &mut AlertsSent,
) -> StorageResult<()> {
    let clock = clock_of(row)?;
    let query = QueryId::from_uuid(row.uuid("query_id")?);
    // A deleted query is not chased: the clock is simply no longer looked at.
    let alert = if row.opt_time("deleted_at")?.is_some() { None } else { alert::alert_due(&clock, now) };
    let next = match alert {
        Some(kind) => alert::next_look(&clock, kind),
        None => alert::first_look(&clock).filter(|at| *at > now),
    };
    let breached = alert == Some(AlertKind::Overdue);
    let update = Stmt::new(
        "UPDATE query_clocks SET alert_at = $4, breached_at = CASE WHEN $5 THEN COALESCE(breached_at, due_at)
             ELSE breached_at END
         WHERE tenant_id = $1 AND query_id = $2 AND kind = $3",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query.as_uuid())
    .bind(clock.kind.as_str())
    .bind(next)
    .bind(breached);
    conn.execute(update).await?;
    if breached {
        // The query's first breach, for lists filtered by it once the clock stops counting.
        let first = Stmt::new(
            "UPDATE queries SET breached_at = $3 WHERE tenant_id = $1 AND id = $2
                 AND (breached_at IS NULL OR breached_at > $3)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(query.as_uuid())
        .bind(clock.due_at);
        conn.execute(first).await?;
    }
    let Some(kind) = alert else { return Ok(()) };
    if !record_alert(conn, scope, query, &clock, kind, now).await? {
        return Ok(());
    }
    sent.alerts += 1;
    if breached {
        let event = NewEvent {
            at: clock.due_at,
            kind: "query.sla_breached",
            customer_id: row.opt_uuid("customer_id")?,
            query_id: Some(query.as_uuid()),
            details: json!({
                "reference": QueryReference::new(u64::try_from(row.int("reference")?).unwrap_or_default()).to_string(),
                "clock": clock.kind.as_str(),
                "due_at": clock.due_at.as_datetime(),
            }),
        };
        insert_event(conn, scope, &event).await?;
    }
    let officer = row.opt_uuid("assignee_id")?.map(UserId::from_uuid);
    let team = row.opt_uuid("team_id")?.map(TeamId::from_uuid);
    let notification_kind = match kind {
        AlertKind::DueSoon => NotificationKind::DueSoon,
        AlertKind::Overdue => NotificationKind::Overdue,
    };
    for recipient in recipients(conn, scope, officer, team).await? {
        let new = NewNotification {
            recipient,
            kind: notification_kind,
            subject: Subject::Query(query),
            message: Some(alert::message(kind, &clock)),
        };
        notifications::insert_notification(conn, scope, new).await?;
        sent.recipients.push(recipient);
    }
    if breached && let Some(policy) = policies.iter().find(|p| p.id == clock.policy_id) {
        escalate(conn, scope, row, &clock, policy, now, sent).await?;
    }
    Ok(())
}

/// A breach under a policy that escalates: the query handed to its team (the officer released)
/// and audited, the team told and the teams' active members notified, all on the timeline.
async fn escalate<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    row: &C::Row,
    clock: &Clock,
    policy: &SlaPolicy,
    now: Timestamp,
    sent: &mut AlertsSent,
) -> StorageResult<()> {
    let on_breach = policy.definition.on_breach;
    if on_breach.is_none() {
        return Ok(());
    }
    let query = QueryId::from_uuid(row.uuid("query_id")?);
    let (officer, team) = (row.opt_uuid("assignee_id")?, row.opt_uuid("team_id")?);
    let mut details = json!({
        "reference": QueryReference::new(u64::try_from(row.int("reference")?).unwrap_or_default()).to_string(),
        "clock": clock.kind.as_str(),
        "policy": policy.definition.name,
    });
    if let Some(to) = on_breach.reassign_team_id.filter(|to| team != Some(to.as_uuid()) || officer.is_some()) {
        let stmt = Stmt::new(
            "UPDATE queries SET team_id = $3, assignee_id = NULL, version = version + 1, updated_at = $4
             WHERE tenant_id = $1 AND id = $2 RETURNING version",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(query.as_uuid())
        .bind(to.as_uuid())
        .bind(now);
        let version = conn.fetch_one(stmt).await?.int("version")?;
        let payload = json!({
            "before": {"assignee_id": officer, "team_id": team},
            "after": {"assignee_id": null, "team_id": to},
            "version": version,
        });
        audit::append(conn, scope, &AuditEvent::new("query.escalated", "query", query.as_uuid(), payload)).await?;
        details["from_team_id"] = json!(team);
        details["from_assignee_id"] = json!(officer);
        details["team_id"] = json!(to);
    }
    if let Some(told) = on_breach.notify_team_id {
        details["notified_team_id"] = json!(told);
    }
    let event = NewEvent {
        at: now,
        kind: "query.escalated",
        customer_id: row.opt_uuid("customer_id")?,
        query_id: Some(query.as_uuid()),
        details,
    };
    insert_event(conn, scope, &event).await?;
    let mut members = Vec::new();
    for team in [on_breach.reassign_team_id, on_breach.notify_team_id].into_iter().flatten() {
        for member in team_members(conn, scope, team, false).await? {
            if !members.contains(&member) {
                members.push(member);
            }
        }
    }
    let message =
        format!("{} Escalated under “{}”.", alert::message(AlertKind::Overdue, clock), policy.definition.name);
    for member in members {
        let new = NewNotification {
            recipient: member,
            kind: NotificationKind::Escalated,
            subject: Subject::Query(query),
            message: Some(message.clone()),
        };
        notifications::insert_notification(conn, scope, new).await?;
        sent.recipients.push(member);
    }
    Ok(())
}

#[async_trait]
impl<S: SqlBackend> SlaAlertRepo for S {
    async fn send_due_alerts(&self, scope: &TenantScope, now: Timestamp, limit: u32) -> StorageResult<AlertsSent> {
        let mut tx = self.write(scope.tenant_id).await?;
        // Clocks a request is changing right now (and their queries) are locked by it: they are
        // passed over, not waited for, and the next sweep sees them as that request left them.
        let claim = Stmt::new(format!(
            "SELECT c.query_id, c.kind, c.policy_id, c.policy_version, c.target, c.due_soon, c.started_at, c.due_at,
                    c.due_soon_at, c.paused_at, c.stopped_at, q.reference, q.customer_id, q.assignee_id, q.team_id,
                    q.deleted_at
             FROM query_clocks c JOIN queries q ON q.tenant_id = c.tenant_id AND q.id = c.query_id
             WHERE c.tenant_id = $1 AND c.alert_at IS NOT NULL AND c.alert_at <= $2
             ORDER BY c.alert_at LIMIT $3{}",
            S::Tx::DIALECT.skip_locked
        ))
        .bind(scope.tenant_id.as_uuid())
        .bind(now)
        .bind(limit);
        let rows = tx.fetch_all(claim).await?;
        let mut sent = AlertsSent { more: rows.len() >= limit as usize, ..AlertsSent::default() };
        // What a breach escalates to is the policy's as it stands now.
        let policies = if rows.is_empty() { Vec::new() } else { clocks::policies(&mut tx, scope).await? };
        for row in &rows {
            handle_clock(&mut tx, scope, row, &policies, now, &mut sent).await?;
        }
        tx.commit().await?;
        sent.recipients.sort_unstable_by_key(|u| u.as_uuid());
        sent.recipients.dedup();
        Ok(sent)
    }

    async fn send_overdue_digests(&self, scope: &TenantScope, day: &str, now: Timestamp) -> StorageResult<Vec<UserId>> {
        let mut tx = self.write(scope.tenant_id).await?;
        let overdue = Stmt::new(
            "SELECT team_id, count(*) AS overdue FROM queries
             WHERE tenant_id = $1 AND team_id IS NOT NULL AND is_open AND deleted_at IS NULL AND due_at <= $2
             GROUP BY team_id ORDER BY team_id",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(now);
        let mut told = Vec::new();
        for row in tx.fetch_all(overdue).await? {
            let team = TeamId::from_uuid(row.uuid("team_id")?);
            let count = row.int("overdue")?;
            let once = Stmt::new(
                "INSERT INTO sla_digests (tenant_id, team_id, day, sent_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (tenant_id, team_id, day) DO NOTHING",
            )
            .bind(scope.tenant_id.as_uuid())
            .bind(team.as_uuid())
            .bind(day)
            .bind(now);
            if tx.execute(once).await? == 0 {
                continue;
            }
            let message = if count == 1 { "1 overdue query".to_owned() } else { format!("{count} overdue queries") };
            for leader in team_members(&mut tx, scope, team, true).await? {
                let new = NewNotification {
                    recipient: leader,
                    kind: NotificationKind::Digest,
                    subject: Subject::Team(team),
                    message: Some(message.clone()),
                };
                notifications::insert_notification(&mut tx, scope, new).await?;
                told.push(leader);
            }
        }
        tx.commit().await?;
        told.sort_unstable_by_key(|u| u.as_uuid());
        told.dedup();
        Ok(told)
    }
}
