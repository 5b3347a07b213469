//! Workflows: each published version's definition is kept as JSON and never changed; the
//! `workflows` row says which version new queries start under. Which workflow applies to a
//! query type is its own, else its nearest parent's, else the tenant's default.

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit, clocks,
    events::insert_event,
    query_rows::{current_query, live_query},
    statuses,
};
use crate::{
    StorageError, StorageResult, TenantScope, WorkflowRepo,
    records::{self, NewEvent},
};
use async_trait::async_trait;
use domain::{
    FieldError, Level, QueryId, QueryTypeId, StatusId, TenantId, Timestamp, ValidationErrors, WorkflowId,
    audit::AuditEvent,
    query::{Query, QueryStatus, StatusCategory},
    workflow::{Definition, QueryWorkflow, Refusal, StatusChange, StatusEdit, Workflow, WorkflowRef},
};
use serde_json::json;
use std::{
    collections::{BTreeSet, HashMap},
    sync::{Arc, LazyLock, RwLock},
};

const SELECT_WORKFLOW: &str = "SELECT w.id, w.type_id, w.current, w.version, w.updated_at, v.definition
     FROM workflows w JOIN workflow_versions v
       ON v.tenant_id = w.tenant_id AND v.workflow_id = w.id AND v.number = w.current
     WHERE w.tenant_id = $1";

/// How deep a chain of query sub-types is followed looking for a workflow.
const TYPE_DEPTH: usize = 16;

fn definition_of(raw: &str) -> StorageResult<Definition> {
    serde_json::from_str(raw).map_err(|_| records::corrupt("workflow definition"))
}

fn workflow_of(row: &impl SqlRow) -> StorageResult<Workflow> {
    Ok(Workflow {
        id: WorkflowId::from_uuid(row.uuid("id")?),
        type_id: row.opt_uuid("type_id")?.map(QueryTypeId::from_uuid),
        current: i32::try_from(row.int("current")?).map_err(|_| records::corrupt("workflow version"))?,
        definition: definition_of(&row.text("definition")?)?,
        version: row.int("version")?,
        updated_at: row.time("updated_at")?,
    })
}

fn saved(workflow: &Workflow, action: &str) -> AuditEvent {
    let payload = json!({"type_id": workflow.type_id, "published": workflow.current,
        "after": workflow.definition, "version": workflow.version});
    AuditEvent::new(action, "workflow", workflow.id.as_uuid(), payload)
}

async fn one<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    which: &str,
    id: uuid::Uuid,
    lock: bool,
) -> StorageResult<Option<Workflow>> {
    // PostgreSQL cannot lock the nullable side of a join, so only the workflow row is locked.
    let lock = if lock && !C::DIALECT.for_update.is_empty() { " FOR UPDATE OF w" } else { "" };
    let stmt = Stmt::new(format!("{SELECT_WORKFLOW} AND {which} = $2{lock}")).bind(scope.tenant_id.as_uuid()).bind(id);
    conn.fetch_optional(stmt).await?.as_ref().map(workflow_of).transpose()
}

async fn default_workflow<C: SqlConn>(conn: &mut C, scope: &TenantScope) -> StorageResult<Option<Workflow>> {
    let stmt = Stmt::new(format!("{SELECT_WORKFLOW} AND w.type_id IS NULL")).bind(scope.tenant_id.as_uuid());
    conn.fetch_optional(stmt).await?.as_ref().map(workflow_of).transpose()
}

async fn insert_version<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: WorkflowId,
    number: i32,
    definition: &Definition,
    at: Timestamp,
) -> StorageResult<()> {
    let raw = serde_json::to_string(definition).map_err(StorageError::backend)?;
    let stmt = Stmt::new(
        "INSERT INTO workflow_versions (tenant_id, workflow_id, number, definition, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .bind(i64::from(number))
    .bind(raw)
    .bind(at);
    conn.execute(stmt).await.map(drop)
}

async fn insert_workflow<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    type_id: Option<QueryTypeId>,
    definition: Definition,
    at: Timestamp,
) -> StorageResult<Workflow> {
    let workflow = Workflow { id: WorkflowId::new(), type_id, current: 1, definition, version: 1, updated_at: at };
    let stmt = Stmt::new(
        "INSERT INTO workflows (tenant_id, id, type_id, current, version, created_at, updated_at)
         VALUES ($1, $2, $3, 1, 1, $4, $4)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(workflow.id.as_uuid())
    .bind(type_id.map(|t| t.as_uuid()))
    .bind(at);
    conn.execute(stmt).await?;
    insert_version(conn, scope, workflow.id, 1, &workflow.definition, at).await?;
    audit::append(conn, scope, &saved(&workflow, "workflow.published")).await?;
    Ok(workflow)
}

/// Gives a tenant the default workflow drawn from its statuses (new tenants, and tenants
/// that existed before workflows).
pub async fn insert_default_workflow<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    at: Timestamp,
) -> StorageResult<Workflow> {
    let live: Vec<QueryStatus> = statuses::all(conn, scope).await?.into_iter().filter(|s| !s.retired).collect();
    let definition = Definition::default_for(&live)
        .ok_or_else(|| StorageError::Backend("a status category has no status in use".into()))?;
    insert_workflow(conn, scope, None, definition, at).await
}

/// Published versions read so far, by tenant and version. A version never changes once
/// published, so what was read once is right for as long as the process runs, and every move
/// is checked without reading and parsing it again. Keyed by tenant as well: a version is only
/// looked up after the tenant's own query (read under its row-level security) named it.
static PUBLISHED: LazyLock<RwLock<Published>> = LazyLock::new(Default::default);

type Published = HashMap<(TenantId, WorkflowRef), Arc<Definition>>;

/// The published definition of a version.
async fn definition_at<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    at: WorkflowRef,
) -> StorageResult<Option<Arc<Definition>>> {
    let key = (scope.tenant_id, at);
    if let Some(known) = PUBLISHED.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(Some(known.clone()));
    }
    let stmt =
        Stmt::new("SELECT definition FROM workflow_versions WHERE tenant_id = $1 AND workflow_id = $2 AND number = $3")
            .bind(scope.tenant_id.as_uuid())
            .bind(at.id.as_uuid())
            .bind(i64::from(at.version));
    let Some(row) = conn.fetch_optional(stmt).await? else { return Ok(None) };
    let definition = Arc::new(definition_of(&row.text("definition")?)?);
    PUBLISHED.write().unwrap_or_else(|e| e.into_inner()).insert(key, definition.clone());
    Ok(Some(definition))
}

/// The workflow that applies to queries of `type_id`: the type's own, its nearest parent's,
/// or the default.
pub async fn applying<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    type_id: Option<QueryTypeId>,
) -> StorageResult<Workflow> {
    let mut at = type_id;
    for _ in 0..TYPE_DEPTH {
        let Some(type_id) = at else { break };
        if let Some(own) = one(conn, scope, "w.type_id", type_id.as_uuid(), false).await? {
            return Ok(own);
        }
        let parent = Stmt::new("SELECT parent_id FROM query_types WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(type_id.as_uuid());
        at = conn
            .fetch_optional(parent)
            .await?
            .map(|row| row.opt_uuid("parent_id"))
            .transpose()?
            .flatten()
            .map(QueryTypeId::from_uuid);
    }
    default_workflow(conn, scope)
        .await?
        .ok_or_else(|| StorageError::Backend("the tenant has no default workflow".into()))
}

/// The version a query follows and its definition.
pub async fn followed<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: QueryId,
) -> StorageResult<(WorkflowRef, Arc<Definition>)> {
    let stmt = Stmt::new("SELECT workflow_id, workflow_version FROM queries WHERE tenant_id = $1 AND id = $2")
        .bind(scope.tenant_id.as_uuid())
        .bind(query.as_uuid());
    let row = conn.fetch_one(stmt).await?;
    let at = match (row.opt_uuid("workflow_id")?, row.opt_int("workflow_version")?) {
        (Some(id), Some(version)) => WorkflowRef {
            id: WorkflowId::from_uuid(id),
            version: i32::try_from(version).map_err(|_| records::corrupt("workflow version"))?,
        },
        _ => return Err(records::corrupt("query without a workflow")),
    };
    let definition = definition_at(conn, scope, at).await?.ok_or_else(|| records::corrupt("workflow version"))?;
    Ok((at, definition))
}

/// Whether the current version of any workflow lists the status.
pub async fn current_use<C: SqlConn>(conn: &mut C, scope: &TenantScope, status: StatusId) -> StorageResult<bool> {
    let rows = conn.fetch_all(Stmt::new(SELECT_WORKFLOW).bind(scope.tenant_id.as_uuid())).await?;
    for row in &rows {
        if workflow_of(row)?.definition.statuses.contains(&status) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Checks a move against the version the query follows (`names`: the tenant's statuses): the
/// version, and the fields to keep.
pub async fn check_move<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    query: &Query,
    change: &StatusChange,
    level: Level,
    names: &[QueryStatus],
) -> StorageResult<(WorkflowRef, (Option<String>, Option<String>))> {
    let (at, definition) = followed(conn, scope, query.id).await?;
    let name_of = |id: StatusId| names.iter().find(|s| s.id == id).map(|s| s.name.clone()).unwrap_or_default();
    let transition = definition.check(query.status_id, change, level, name_of).map_err(StorageError::Transition)?;
    Ok((at, change.kept(transition)))
}

async fn validate<C: SqlConn>(conn: &mut C, scope: &TenantScope, definition: &Definition) -> StorageResult<()> {
    let all = statuses::all(conn, scope).await?;
    let retired: BTreeSet<StatusId> = all.iter().filter(|s| s.retired).map(|s| s.id).collect();
    definition.validate(&all, &retired).map_err(|errors| StorageError::Transition(Refusal::Fields(errors)))
}

fn moved_event(before: &Query, after: &Query, to: WorkflowRef) -> NewEvent {
    NewEvent {
        at: after.updated_at,
        kind: "query.workflow_moved",
        customer_id: after.customer_id.map(|c| c.as_uuid()),
        query_id: Some(after.id.as_uuid()),
        details: json!({"reference": after.reference.to_string(), "workflow_id": to.id, "workflow_version": to.version,
            "from_status_id": before.status_id, "to_status_id": after.status_id}),
    }
}

#[async_trait]
impl<S: SqlBackend> WorkflowRepo for S {
    async fn create_query_status(
        &self,
        scope: &TenantScope,
        name: &str,
        category: StatusCategory,
    ) -> StorageResult<QueryStatus> {
        statuses::create(self.write(scope.tenant_id).await?, scope, name, category).await
    }

    async fn update_query_status(
        &self,
        scope: &TenantScope,
        id: StatusId,
        expected_version: i64,
        edit: StatusEdit,
    ) -> StorageResult<QueryStatus> {
        statuses::update(self.write(scope.tenant_id).await?, scope, id, expected_version, edit).await
    }

    async fn list_workflows(&self, scope: &TenantScope) -> StorageResult<Vec<Workflow>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let stmt = Stmt::new(format!("{SELECT_WORKFLOW} ORDER BY w.type_id IS NOT NULL, w.created_at, w.id"))
            .bind(scope.tenant_id.as_uuid());
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(workflow_of).collect()
    }

    async fn get_workflow(&self, scope: &TenantScope, id: WorkflowId) -> StorageResult<Option<Workflow>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let found = one(&mut tx, scope, "w.id", id.as_uuid(), false).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn workflow_version(&self, scope: &TenantScope, at: WorkflowRef) -> StorageResult<Option<Definition>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let found = definition_at(&mut tx, scope, at).await?;
        tx.commit().await?;
        Ok(found.map(|definition| (*definition).clone()))
    }

    async fn create_workflow(
        &self,
        scope: &TenantScope,
        type_id: QueryTypeId,
        definition: Definition,
    ) -> StorageResult<Workflow> {
        let mut tx = self.write(scope.tenant_id).await?;
        let known = Stmt::new("SELECT id FROM query_types WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(type_id.as_uuid());
        if tx.fetch_optional(known).await?.is_none() {
            return Err(StorageError::UnknownReference { field: "query_type_id" });
        }
        validate(&mut tx, scope, &definition).await?;
        let workflow = insert_workflow(&mut tx, scope, Some(type_id), definition, Timestamp::now()).await?;
        tx.commit().await?;
        Ok(workflow)
    }

    async fn publish_workflow(
        &self,
        scope: &TenantScope,
        id: WorkflowId,
        expected_version: i64,
        definition: Definition,
    ) -> StorageResult<Workflow> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = one(&mut tx, scope, "w.id", id.as_uuid(), true).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        validate(&mut tx, scope, &definition).await?;
        let now = Timestamp::now();
        let after = Workflow {
            current: before.current + 1,
            definition,
            version: before.version + 1,
            updated_at: now,
            ..before
        };
        insert_version(&mut tx, scope, id, after.current, &after.definition, now).await?;
        let stmt = Stmt::new(
            "UPDATE workflows SET current = $3, version = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(i64::from(after.current))
        .bind(after.version)
        .bind(now);
        tx.execute(stmt).await?;
        if after.type_id.is_none() {
            // The statuses' own "default" flag follows the default workflow's start.
            let stmt = Stmt::new("UPDATE query_statuses SET is_default = (id = $2) WHERE tenant_id = $1")
                .bind(scope.tenant_id.as_uuid())
                .bind(after.definition.initial.as_uuid());
            tx.execute(stmt).await?;
        }
        audit::append(&mut tx, scope, &saved(&after, "workflow.published")).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn query_workflow(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Option<QueryWorkflow>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let Some(query) = live_query(&mut tx, scope, id, false).await? else { return Ok(None) };
        let (follows, definition) = followed(&mut tx, scope, id).await?;
        let applies = applying(&mut tx, scope, query.type_id).await?;
        tx.commit().await?;
        Ok(Some(QueryWorkflow {
            status: query.status_id,
            follows,
            definition: (*definition).clone(),
            applies: WorkflowRef { id: applies.id, version: applies.current },
        }))
    }

    async fn move_query_workflow(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        status: Option<StatusId>,
    ) -> StorageResult<Query> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = current_query(&mut tx, scope, id, expected_version).await?;
        let target = applying(&mut tx, scope, before.type_id).await?;
        let to = WorkflowRef { id: target.id, version: target.current };
        let status = status.unwrap_or(before.status_id);
        if !target.definition.statuses.contains(&status) {
            let mut errors = ValidationErrors::default();
            errors.push(FieldError::new(
                "status_id",
                "not_in_workflow",
                "The query's status is not in the new workflow: choose the status it takes there",
            ));
            return Err(StorageError::Transition(Refusal::Fields(errors)));
        }
        let all = statuses::all(&mut tx, scope).await?;
        let category_of = |id: StatusId| all.iter().find(|s| s.id == id).map(|s| s.category);
        let category = category_of(status).ok_or(StorageError::UnknownReference { field: "status_id" })?;
        let mut after = Query {
            status_id: status,
            is_open: !category.is_done(),
            version: before.version + 1,
            updated_at: Timestamp::now(),
            ..before.clone()
        };
        let stmt = Stmt::new(
            "UPDATE queries SET workflow_id = $3, workflow_version = $4, status_id = $5, is_open = $6, version = $7,
                 updated_at = $8
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(to.id.as_uuid())
        .bind(i64::from(to.version))
        .bind(status.as_uuid())
        .bind(after.is_open)
        .bind(after.version)
        .bind(after.updated_at);
        tx.execute(stmt).await?;
        if status != before.status_id {
            if let Some(was) = category_of(before.status_id)
                && let Some(due) = clocks::on_status_change(&mut tx, scope, id, was, category, after.updated_at).await?
            {
                after.due = due;
            }
            super::queries::record_transition(&mut tx, scope, &after, Some(before.status_id), to, (None, None)).await?;
        }
        let payload = json!({"workflow_id": to.id, "workflow_version": to.version,
            "before": {"status_id": before.status_id}, "after": {"status_id": after.status_id}, "version": after.version});
        audit::append(&mut tx, scope, &AuditEvent::new("query.workflow_moved", "query", id.as_uuid(), payload)).await?;
        insert_event(&mut tx, scope, &moved_event(&before, &after, to)).await?;
        tx.commit().await?;
        Ok(after)
    }
}
