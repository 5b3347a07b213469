//! Service-level policies: kept per tenant as one JSON definition each, tried in `position`
//! order; and a query's clocks for reading.

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit,
    clocks::{self, Calendars, policy_of},
    customer_rows::live_customer,
    events::insert_event,
    jobs,
    query_rows::live_query,
};
use crate::{SlaRepo, StorageError, StorageResult, TenantScope, records::NewEvent};
use async_trait::async_trait;
use domain::{
    QueryId, SlaPolicyId, Timestamp,
    audit::AuditEvent,
    job::NewJob,
    sla::{Clock, PolicyDefinition, SlaPolicy},
};
use serde_json::json;

fn saved(policy: &SlaPolicy, action: &str) -> AuditEvent {
    let payload = json!({"after": policy.definition, "position": policy.position, "version": policy.version});
    AuditEvent::new(action, "sla_policy", policy.id.as_uuid(), payload)
}

async fn one<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: SlaPolicyId,
    lock: bool,
) -> StorageResult<Option<SlaPolicy>> {
    let sql = format!(
        "SELECT id, definition, position, version FROM sla_policies WHERE tenant_id = $1 AND id = $2{}",
        if lock { C::DIALECT.for_update } else { "" }
    );
    let row = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
    row.as_ref().map(policy_of).transpose()
}

/// The calendars and query types a definition names must be the tenant's.
async fn check_references<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    definition: &PolicyDefinition,
) -> StorageResult<()> {
    let mut calendars = Calendars::default();
    for (field, target) in
        [("first_response.calendar_id", definition.first_response), ("resolution.calendar_id", definition.resolution)]
    {
        if let Some(target) = target
            && calendars.get(conn, scope, target.calendar_id).await?.is_none()
        {
            return Err(StorageError::UnknownReference { field });
        }
    }
    for type_id in &definition.conditions.query_type_ids {
        let stmt = Stmt::new("SELECT id FROM query_types WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(type_id.as_uuid());
        if conn.fetch_optional(stmt).await?.is_none() {
            return Err(StorageError::UnknownReference { field: "conditions.query_type_ids" });
        }
    }
    let escalation = &definition.on_breach;
    for (field, team) in [
        ("on_breach.reassign_team_id", escalation.reassign_team_id),
        ("on_breach.notify_team_id", escalation.notify_team_id),
    ] {
        let Some(team) = team else { continue };
        let stmt = Stmt::new("SELECT id FROM teams WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(team.as_uuid());
        if conn.fetch_optional(stmt).await?.is_none() {
            return Err(StorageError::UnknownReference { field });
        }
    }
    Ok(())
}

fn definition_json(definition: &PolicyDefinition) -> String {
    serde_json::to_string(definition).unwrap_or_default()
}

#[async_trait]
impl<S: SqlBackend> SlaRepo for S {
    async fn list_sla_policies(&self, scope: &TenantScope) -> StorageResult<Vec<SlaPolicy>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let policies = clocks::policies(&mut tx, scope).await?;
        tx.commit().await?;
        Ok(policies)
    }

    async fn get_sla_policy(&self, scope: &TenantScope, id: SlaPolicyId) -> StorageResult<Option<SlaPolicy>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let found = one(&mut tx, scope, id, false).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn create_sla_policy(&self, scope: &TenantScope, definition: PolicyDefinition) -> StorageResult<SlaPolicy> {
        let mut tx = self.write(scope.tenant_id).await?;
        check_references(&mut tx, scope, &definition).await?;
        let last = Stmt::new("SELECT COALESCE(MAX(position), -1) AS last FROM sla_policies WHERE tenant_id = $1")
            .bind(scope.tenant_id.as_uuid());
        let position = i32::try_from(tx.fetch_one(last).await?.int("last")? + 1).unwrap_or(i32::MAX);
        let policy = SlaPolicy { id: SlaPolicyId::new(), definition, position, version: 1 };
        let insert = Stmt::new(
            "INSERT INTO sla_policies (tenant_id, id, name, definition, position, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(policy.id.as_uuid())
        .bind(policy.definition.name.trim())
        .bind(definition_json(&policy.definition))
        .bind(policy.position)
        .bind(Timestamp::now());
        tx.execute(insert).await?;
        audit::append(&mut tx, scope, &saved(&policy, "sla_policy.created")).await?;
        tx.commit().await?;
        Ok(policy)
    }

    async fn update_sla_policy(
        &self,
        scope: &TenantScope,
        id: SlaPolicyId,
        expected_version: i64,
        definition: PolicyDefinition,
    ) -> StorageResult<SlaPolicy> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = one(&mut tx, scope, id, true).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        check_references(&mut tx, scope, &definition).await?;
        let after = SlaPolicy { definition, version: before.version + 1, ..before };
        let update = Stmt::new(
            "UPDATE sla_policies SET name = $3, definition = $4, version = $5, updated_at = $6
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(after.definition.name.trim())
        .bind(definition_json(&after.definition))
        .bind(after.version)
        .bind(Timestamp::now());
        tx.execute(update).await?;
        audit::append(&mut tx, scope, &saved(&after, "sla_policy.updated")).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn order_sla_policies(&self, scope: &TenantScope, ids: &[SlaPolicyId]) -> StorageResult<Vec<SlaPolicy>> {
        let mut tx = self.write(scope.tenant_id).await?;
        let current = clocks::policies(&mut tx, scope).await?;
        let mut named: Vec<SlaPolicyId> = ids.to_vec();
        named.sort();
        named.dedup();
        if named.len() != ids.len() || !named.iter().all(|id| current.iter().any(|p| p.id == *id)) {
            return Err(StorageError::UnknownReference { field: "ids" });
        }
        // The named ones first, in the order given; the rest after them as they were.
        let rest = current.iter().map(|p| p.id).filter(|id| !ids.contains(id));
        let ids: Vec<SlaPolicyId> = ids.iter().copied().chain(rest).collect();
        let now = Timestamp::now();
        for (position, id) in (0_i64..).zip(&ids) {
            let stmt =
                Stmt::new("UPDATE sla_policies SET position = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
                    .bind(scope.tenant_id.as_uuid())
                    .bind(id.as_uuid())
                    .bind(position)
                    .bind(now);
            tx.execute(stmt).await?;
        }
        let order: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let event = AuditEvent::new("sla_policy.ordered", "tenant", scope.tenant_id.as_uuid(), json!({"order": order}));
        audit::append(&mut tx, scope, &event).await?;
        let ordered = clocks::policies(&mut tx, scope).await?;
        tx.commit().await?;
        Ok(ordered)
    }

    async fn query_clocks(&self, scope: &TenantScope, query: QueryId) -> StorageResult<Vec<Clock>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let found = clocks::of_query(&mut tx, scope, query, false).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn request_retime(&self, scope: &TenantScope, policy: SlaPolicyId) -> StorageResult<(SlaPolicy, bool)> {
        let mut tx = self.write(scope.tenant_id).await?;
        let current = one(&mut tx, scope, policy, false).await?.ok_or(StorageError::NotFound)?;
        let mut job = NewJob::new(
            Some(scope.tenant_id),
            crate::RETIME_JOB,
            format!("{}:{}:{}", scope.tenant_id, policy, current.version),
            Timestamp::now(),
        );
        job.payload = json!({"policy_id": policy});
        let added = jobs::insert_job(&mut tx, job).await?;
        let payload = json!({"version": current.version, "queued": added});
        audit::append(
            &mut tx,
            scope,
            &AuditEvent::new("sla_policy.retime_requested", "sla_policy", policy.as_uuid(), payload),
        )
        .await?;
        tx.commit().await?;
        Ok((current, added))
    }

    async fn retime_open_queries(&self, scope: &TenantScope, policy: SlaPolicyId, limit: u32) -> StorageResult<u32> {
        let mut tx = self.read(scope.tenant_id).await?;
        let Some(current) = one(&mut tx, scope, policy, false).await? else { return Err(StorageError::NotFound) };
        let stale = Stmt::new(
            "SELECT DISTINCT c.query_id FROM query_clocks c
             JOIN queries q ON q.tenant_id = c.tenant_id AND q.id = c.query_id
             WHERE c.tenant_id = $1 AND c.policy_id = $2 AND c.policy_version < $3
               AND q.is_open AND q.deleted_at IS NULL
             ORDER BY c.query_id LIMIT $4",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(policy.as_uuid())
        .bind(current.version)
        .bind(limit);
        let ids: Vec<QueryId> = tx
            .fetch_all(stale)
            .await?
            .iter()
            .map(|row| row.uuid("query_id").map(QueryId::from_uuid))
            .collect::<StorageResult<_>>()?;
        tx.commit().await?;
        let mut retimed = 0;
        for id in ids {
            // One transaction each: a query being changed meanwhile waits for one re-timing,
            // not a batch, and what is done stays done if the run stops.
            let mut tx = self.write(scope.tenant_id).await?;
            let Some(query) = live_query(&mut tx, scope, id, true).await? else { continue };
            let customer = match query.customer_id {
                Some(customer) => live_customer(&mut tx, scope, customer, false).await?,
                None => None,
            };
            let due = clocks::retime(&mut tx, scope, &query, customer.as_ref()).await?;
            let details = json!({
                "reference": query.reference.to_string(),
                "policy": current.definition.name,
                "due_at": due.due_at.map(|t| t.as_datetime()),
            });
            let event = NewEvent {
                at: Timestamp::now(),
                kind: "query.retimed",
                customer_id: query.customer_id.map(|c| c.as_uuid()),
                query_id: Some(id.as_uuid()),
                details,
            };
            insert_event(&mut tx, scope, &event).await?;
            tx.commit().await?;
            retimed += 1;
        }
        Ok(retimed)
    }
}
