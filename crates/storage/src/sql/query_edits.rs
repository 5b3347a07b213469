//! Correcting and deleting queries, and merging customers.

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit, clocks,
    customer_rows::live_customer,
    events::insert_event,
    query_rows::{check_references, current_query, refresh_customer_documents},
    reindex,
};
use crate::{StorageError, StorageResult, TenantScope, records};
use domain::{
    CustomerId, QueryId, Timestamp,
    customer::Customer,
    query::{Assignment, Query, QueryEdit},
    search::{CustomerSearchParts, SearchDocument},
};

pub async fn update_query<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    id: QueryId,
    expected_version: i64,
    edit: QueryEdit,
) -> StorageResult<Query> {
    let mut tx = store.write(scope.tenant_id).await?;
    let before = current_query(&mut tx, scope, id, expected_version).await?;
    let customer = match edit.customer_id {
        Some(customer) => Some(
            live_customer(&mut tx, scope, customer, false)
                .await?
                .ok_or(StorageError::UnknownReference { field: "customer_id" })?,
        ),
        None => None,
    };
    // A retired type may stay on the query it is already on, but cannot be newly chosen.
    let new_type = edit.type_id.filter(|t| before.type_id != Some(*t));
    check_references(&mut tx, scope, new_type, Assignment::default()).await?;
    let mut after = Query {
        customer_id: edit.customer_id,
        channel: edit.channel,
        priority: edit.priority,
        subject: edit.subject,
        description: edit.description,
        received_at: edit.received_at,
        type_id: edit.type_id,
        version: before.version + 1,
        updated_at: Timestamp::now(),
        ..before.clone()
    };
    let unchanged = Query { version: before.version, updated_at: before.updated_at, ..after.clone() } == before;
    if unchanged {
        return Ok(before);
    }
    let parts = customer.as_ref().map(CustomerSearchParts::of);
    let document = SearchDocument::for_query(after.reference, &after.subject, &after.description, parts.as_ref());
    let update = Stmt::new(
        "UPDATE queries SET customer_id = $3, channel = $4, priority = $5, subject = $6, description = $7,
             received_at = $8, type_id = $9, version = $10, updated_at = $11, search_document = $12
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .bind(after.customer_id.map(|c| c.as_uuid()))
    .bind(after.channel.as_str())
    .bind(after.priority.as_str())
    .bind(&after.subject)
    .bind(&after.description)
    .bind(after.received_at)
    .bind(after.type_id.map(|t| t.as_uuid()))
    .bind(after.version)
    .bind(after.updated_at)
    .bind(document.as_str());
    tx.execute(update).await?;
    reindex(&mut tx, "queries", scope.tenant_id, id.as_uuid()).await?;
    // What a policy is chosen by, or when the clocks start, changed: time it again.
    let timed_by = |q: &Query| (q.received_at, q.priority, q.channel, q.type_id, q.customer_id);
    if timed_by(&after) != timed_by(&before) {
        after.due = clocks::retime(&mut tx, scope, &after, customer.as_ref()).await?;
    }
    if after.customer_id != before.customer_id {
        // The query's history follows it to the customer it now belongs to.
        let follow = Stmt::new("UPDATE events SET customer_id = $3 WHERE tenant_id = $1 AND query_id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .bind(after.customer_id.map(|c| c.as_uuid()));
        tx.execute(follow).await?;
    }
    audit::append(&mut tx, scope, &records::query_updated(&before, &after)).await?;
    insert_event(&mut tx, scope, &records::query_updated_event(&before, &after)).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn delete_query<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    id: QueryId,
    expected_version: i64,
) -> StorageResult<()> {
    let mut tx = store.write(scope.tenant_id).await?;
    let query = current_query(&mut tx, scope, id, expected_version).await?;
    let now = Timestamp::now();
    let delete = Stmt::new(
        "UPDATE queries SET deleted_at = $3, updated_at = $3, version = version + 1 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .bind(now);
    tx.execute(delete).await?;
    audit::append(&mut tx, scope, &records::query_deleted(&query)).await?;
    insert_event(&mut tx, scope, &records::query_deleted_event(&query, now)).await?;
    tx.commit().await
}

pub async fn merge_customer<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    merged_id: CustomerId,
    expected_version: i64,
    survivor_id: CustomerId,
) -> StorageResult<(Customer, u64)> {
    let mut tx = store.write(scope.tenant_id).await?;
    let merged = live_customer(&mut tx, scope, merged_id, true).await?.ok_or(StorageError::NotFound)?;
    if merged.version != expected_version {
        return Err(StorageError::VersionMismatch { current: merged.version });
    }
    if survivor_id == merged_id {
        return Err(StorageError::UnknownReference { field: "survivor_id" });
    }
    let survivor = live_customer(&mut tx, scope, survivor_id, true)
        .await?
        .ok_or(StorageError::UnknownReference { field: "survivor_id" })?;
    let now = Timestamp::now();
    let move_queries = Stmt::new(
        "UPDATE queries SET customer_id = $3, version = version + 1, updated_at = $4
         WHERE tenant_id = $1 AND customer_id = $2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(merged_id.as_uuid())
    .bind(survivor_id.as_uuid())
    .bind(now);
    let moved = tx.execute(move_queries).await?;
    for sql in [
        // A party role the survivor already has on the same query is not doubled.
        "DELETE FROM query_parties AS p WHERE p.tenant_id = $1 AND p.customer_id = $2 AND EXISTS (
             SELECT 1 FROM query_parties s WHERE s.tenant_id = $1 AND s.customer_id = $3
               AND s.query_id = p.query_id AND s.role = p.role)",
        "UPDATE query_parties SET customer_id = $3 WHERE tenant_id = $1 AND customer_id = $2",
        "UPDATE events SET customer_id = $3 WHERE tenant_id = $1 AND customer_id = $2",
        // The merged customer's documents are the survivor's now.
        "UPDATE documents SET customer_id = $3 WHERE tenant_id = $1 AND customer_id = $2",
    ] {
        tx.execute(
            Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(merged_id.as_uuid()).bind(survivor_id.as_uuid()),
        )
        .await?;
    }
    refresh_customer_documents(&mut tx, scope, &survivor).await?;
    let retire =
        Stmt::new("UPDATE customers SET merged_into = $3, version = version + 1, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(merged_id.as_uuid())
            .bind(survivor_id.as_uuid())
            .bind(now);
    tx.execute(retire).await?;
    audit::append(&mut tx, scope, &records::customer_merged(&merged, &survivor, moved)).await?;
    insert_event(&mut tx, scope, &records::customer_merged_event(&merged, &survivor, now)).await?;
    tx.commit().await?;
    Ok((survivor, moved))
}

pub async fn merged_into<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    id: CustomerId,
) -> StorageResult<Option<CustomerId>> {
    let stmt = Stmt::new("SELECT merged_into FROM customers WHERE tenant_id = $1 AND id = $2")
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid());
    let mut tx = store.read(scope.tenant_id).await?;
    let row = tx.fetch_optional(stmt).await?;
    tx.commit().await?;
    Ok(row.map(|row| row.opt_uuid("merged_into")).transpose()?.flatten().map(CustomerId::from_uuid))
}
