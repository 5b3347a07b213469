//! Queries, their statuses and status history.

use super::{
    SqlConn, SqlRow, SqlTx, Stmt, audit, clocks,
    customer_rows::live_customer,
    events::{insert_event, insert_events},
    notes,
    notifications::insert_notification,
    parties, query_edits,
    query_rows::{check_references, current_query},
    reads::{Page, SqlReads},
    references, reindex, restrictions, statuses, workflows,
};
use crate::{
    Names, NamesWanted, QueryRepo, StorageError, StorageResult, TenantScope,
    records::{self, STATUS_COLUMNS, query_status},
};
use async_trait::async_trait;
use domain::{
    CustomerId, GroupId, Level, QueryId, StatusId, TeamId, Timestamp, UserId, WorkflowId,
    audit::Actor,
    customer::Customer,
    note::{NewNote, Note},
    party::{Party, PartyRole},
    query::{Assignment, NewQuery, Query, QueryEdit, QueryFilter, QueryStatus, StatusTransition},
    query_list::{QueryCursor, QuerySort},
    search::{CustomerSearchParts, SearchDocument},
    workflow::{StatusChange, WorkflowRef},
};

/// Whether a new query names other records (customer, type, team, officer).
fn names_records(new: &NewQuery) -> bool {
    new.customer_id.is_some() || new.type_id.is_some() || new.assignment != Assignment::default()
}

/// Checks that what a new query names exists (the customer live), in the caller's transaction;
/// returns the customer.
async fn named_records(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    new: &NewQuery,
) -> StorageResult<Option<Customer>> {
    let customer = match new.customer_id {
        Some(id) => Some(
            live_customer(conn, scope, id, false)
                .await?
                .ok_or(StorageError::UnknownReference { field: "customer_id" })?,
        ),
        None => None,
    };
    check_references(conn, scope, new.type_id, new.assignment).await?;
    Ok(customer)
}

/// Adds a move to the query's history: the version it was checked against and the fields it
/// asked for.
pub async fn record_transition(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    query: &Query,
    from: Option<StatusId>,
    workflow: WorkflowRef,
    (resolution_summary, reason): (Option<String>, Option<String>),
) -> StorageResult<()> {
    let stmt = Stmt::new(
        "INSERT INTO query_status_transitions (tenant_id, query_id, seq, from_status_id, to_status_id, at, actor_id,
             workflow_id, workflow_version, resolution_summary, reason)
         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10
         FROM query_status_transitions WHERE tenant_id = $1 AND query_id = $2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query.id.as_uuid())
    .bind(from.map(|s| s.as_uuid()))
    .bind(query.status_id.as_uuid())
    .bind(query.updated_at)
    .bind(scope.actor.id())
    .bind(workflow.id.as_uuid())
    .bind(i64::from(workflow.version))
    .bind(resolution_summary)
    .bind(reason);
    conn.execute(stmt).await.map(drop)
}

async fn insert_query(
    conn: &mut impl SqlConn,
    query: &Query,
    document: &SearchDocument,
    workflow: WorkflowRef,
) -> StorageResult<()> {
    let stmt = Stmt::new(
        "INSERT INTO queries (tenant_id, id, reference, customer_id, channel, priority, status_id, subject,
             description, received_at, type_id, assignee_id, team_id, is_open, version, created_at, updated_at,
             search_document, workflow_id, workflow_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19)",
    )
    .bind(query.tenant_id.as_uuid())
    .bind(query.id.as_uuid())
    .bind(i64::try_from(query.reference.number()).unwrap_or(i64::MAX))
    .bind(query.customer_id.map(|c| c.as_uuid()))
    .bind(query.channel.as_str())
    .bind(query.priority.as_str())
    .bind(query.status_id.as_uuid())
    .bind(&query.subject)
    .bind(&query.description)
    .bind(query.received_at)
    .bind(query.type_id.map(|t| t.as_uuid()))
    .bind(query.assignment.officer.map(|u| u.as_uuid()))
    .bind(query.assignment.team.map(|t| t.as_uuid()))
    .bind(query.is_open)
    .bind(query.version)
    .bind(query.created_at)
    .bind(document.as_str())
    .bind(workflow.id.as_uuid())
    .bind(i64::from(workflow.version));
    conn.execute(stmt).await?;
    reindex(conn, "queries", query.tenant_id, query.id.as_uuid()).await
}

#[async_trait]
impl<S: SqlReads> QueryRepo for S {
    async fn query_statuses(&self, scope: &TenantScope) -> StorageResult<Vec<QueryStatus>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let all = statuses::all(&mut tx, scope).await?;
        tx.commit().await?;
        Ok(all)
    }

    async fn create_query(&self, scope: &TenantScope, new: NewQuery) -> StorageResult<Query> {
        // Where the reference is taken before the create's transaction, a create that names a
        // customer, type, team or officer that is not there must not use one up: what it names
        // is checked in a read first (and again below, in the transaction that relies on it).
        if references::taken_apart::<Self>() && names_records(&new) {
            let mut tx = self.read(scope.tenant_id).await?;
            named_records(&mut tx, scope, &new).await?;
            tx.commit().await?;
        }
        let taken_apart = references::take_apart(self, scope.tenant_id).await?;
        let mut tx = self.write(scope.tenant_id).await?;
        let customer = named_records(&mut tx, scope, &new).await?;
        let workflow = workflows::applying(&mut tx, scope, new.type_id).await?;
        let start = Stmt::new(format!("SELECT {STATUS_COLUMNS} FROM query_statuses WHERE tenant_id = $1 AND id = $2"))
            .bind(scope.tenant_id.as_uuid())
            .bind(workflow.definition.initial.as_uuid());
        let status = query_status(&tx.fetch_one(start).await?)?;
        let follows = WorkflowRef { id: workflow.id, version: workflow.current };
        let reference = references::reference_for(&mut tx, scope.tenant_id, taken_apart).await?;
        let mut query = records::new_query_record(scope, new, reference, &status, Timestamp::now());
        let parts = customer.as_ref().map(CustomerSearchParts::of);
        let document = SearchDocument::for_query(query.reference, &query.subject, &query.description, parts.as_ref());
        insert_query(&mut tx, &query, &document, follows).await?;
        query.due = clocks::start(&mut tx, scope, &query, customer.as_ref()).await?;
        record_transition(&mut tx, scope, &query, None, follows, (None, None)).await?;
        audit::append(&mut tx, scope, &records::query_created(&query)).await?;
        insert_events(&mut tx, scope, &records::query_created_events(&query)).await?;
        if let Some(notification) = records::assignment_notification(None, &query, scope.actor) {
            insert_notification(&mut tx, scope, notification).await?;
        }
        tx.commit().await?;
        Ok(query)
    }

    async fn get_query(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Option<Query>> {
        SqlReads::get_query(self, scope, id).await
    }

    async fn query_restriction(
        &self,
        scope: &TenantScope,
        id: QueryId,
    ) -> StorageResult<Option<(Query, Vec<GroupId>)>> {
        restrictions::restriction_of(self, scope, id).await
    }

    async fn restrict_query(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        groups: Vec<GroupId>,
    ) -> StorageResult<(Query, Vec<GroupId>)> {
        restrictions::set_restriction(self, scope, id, expected_version, groups).await
    }

    async fn list_queries(
        &self,
        scope: &TenantScope,
        filter: &QueryFilter,
        sort: QuerySort,
        after: Option<QueryCursor>,
        limit: u32,
    ) -> StorageResult<Vec<Query>> {
        SqlReads::list_queries(self, scope, Page { filter, sort, after, limit }).await
    }

    async fn count_queries(&self, scope: &TenantScope, filter: &QueryFilter) -> StorageResult<u64> {
        SqlReads::count_queries(self, scope, filter).await
    }

    async fn team_workload(&self, scope: &TenantScope, team: TeamId) -> StorageResult<Vec<(Option<UserId>, u64)>> {
        SqlReads::team_workload(self, scope, team).await
    }

    async fn names(&self, scope: &TenantScope, wanted: &NamesWanted) -> StorageResult<Names> {
        SqlReads::names(self, scope, wanted).await
    }

    async fn assign_query(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        assignment: Assignment,
    ) -> StorageResult<Query> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = current_query(&mut tx, scope, id, expected_version).await?;
        check_references(&mut tx, scope, None, assignment).await?;
        if before.assignment == assignment {
            return Ok(before);
        }
        let after = Query { assignment, version: before.version + 1, updated_at: Timestamp::now(), ..before.clone() };
        let update = Stmt::new(
            "UPDATE queries SET assignee_id = $3, team_id = $4, version = $5, updated_at = $6
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(assignment.officer.map(|u| u.as_uuid()))
        .bind(assignment.team.map(|t| t.as_uuid()))
        .bind(after.version)
        .bind(after.updated_at);
        tx.execute(update).await?;
        audit::append(&mut tx, scope, &records::query_assigned(&before, &after)).await?;
        insert_event(&mut tx, scope, &records::query_assigned_event(&after)).await?;
        if let Some(notification) = records::assignment_notification(Some(&before), &after, scope.actor) {
            insert_notification(&mut tx, scope, notification).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    async fn update_query(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        edit: QueryEdit,
    ) -> StorageResult<Query> {
        query_edits::update_query(self, scope, id, expected_version, edit).await
    }

    async fn delete_query(&self, scope: &TenantScope, id: QueryId, expected_version: i64) -> StorageResult<()> {
        query_edits::delete_query(self, scope, id, expected_version).await
    }

    async fn add_note(&self, scope: &TenantScope, query: QueryId, note: NewNote) -> StorageResult<Note> {
        notes::add_note(self, scope, query, note).await
    }

    async fn list_notes(&self, scope: &TenantScope, query: QueryId) -> StorageResult<Vec<Note>> {
        notes::list_notes(self, scope, query).await
    }

    async fn add_party(
        &self,
        scope: &TenantScope,
        query: QueryId,
        customer: CustomerId,
        role: PartyRole,
    ) -> StorageResult<Party> {
        parties::add_party(self, scope, query, customer, role).await
    }

    async fn remove_party(
        &self,
        scope: &TenantScope,
        query: QueryId,
        customer: CustomerId,
        role: PartyRole,
    ) -> StorageResult<()> {
        parties::remove_party(self, scope, query, customer, role).await
    }

    async fn list_parties(&self, scope: &TenantScope, query: QueryId) -> StorageResult<Vec<Party>> {
        parties::list_parties(self, scope, query).await
    }

    async fn change_query_status(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        change: &StatusChange,
        level: Level,
    ) -> StorageResult<Query> {
        let status = change.to;
        let mut tx = self.write(scope.tenant_id).await?;
        let before = current_query(&mut tx, scope, id, expected_version).await?;
        // One read of the statuses serves the categories, the check and its refusal's names.
        let all = statuses::all(&mut tx, scope).await?;
        let category_of = |id: StatusId| all.iter().find(|s| s.id == id).map(|s| s.category);
        let category = category_of(status).ok_or(StorageError::UnknownReference { field: "status_id" })?;
        if before.status_id == status {
            return Ok(before);
        }
        let (follows, kept) = workflows::check_move(&mut tx, scope, &before, change, level, &all).await?;
        let is_open = !category.is_done();
        let mut after = Query {
            status_id: status,
            is_open,
            version: before.version + 1,
            updated_at: Timestamp::now(),
            ..before.clone()
        };
        let update = Stmt::new(
            "UPDATE queries SET status_id = $3, version = $4, updated_at = $5, is_open = $6
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(status.as_uuid())
        .bind(after.version)
        .bind(after.updated_at)
        .bind(after.is_open);
        tx.execute(update).await?;
        if let Some(was) = category_of(before.status_id)
            && let Some(due) = clocks::on_status_change(&mut tx, scope, id, was, category, after.updated_at).await?
        {
            after.due = due;
        }
        record_transition(&mut tx, scope, &after, Some(before.status_id), follows, kept.clone()).await?;
        audit::append(&mut tx, scope, &records::query_status_changed(&before, &after, follows)).await?;
        insert_event(&mut tx, scope, &records::query_status_event(&before, &after, &kept)).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn status_history(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Vec<StatusTransition>> {
        let stmt = Stmt::new(
            "SELECT seq, from_status_id, to_status_id, at, actor_id, workflow_id, workflow_version,
                 resolution_summary, reason
             FROM query_status_transitions WHERE tenant_id = $1 AND query_id = $2 ORDER BY seq",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid());
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                Ok(StatusTransition {
                    seq: i32::try_from(row.int("seq")?).map_err(|_| records::corrupt("transition seq"))?,
                    from: row.opt_uuid("from_status_id")?.map(StatusId::from_uuid),
                    to: StatusId::from_uuid(row.uuid("to_status_id")?),
                    at: row.time("at")?,
                    actor: row.opt_uuid("actor_id")?.map_or(Actor::System, Actor::User),
                    workflow: match (row.opt_uuid("workflow_id")?, row.opt_int("workflow_version")?) {
                        (Some(id), Some(version)) => Some(WorkflowRef {
                            id: WorkflowId::from_uuid(id),
                            version: i32::try_from(version).map_err(|_| records::corrupt("workflow version"))?,
                        }),
                        _ => None,
                    },
                    resolution_summary: row.opt_text("resolution_summary")?,
                    reason: row.opt_text("reason")?,
                })
            })
            .collect()
    }
}
