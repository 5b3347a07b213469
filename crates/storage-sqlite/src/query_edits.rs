//! Correcting and deleting queries, and merging customers, on SQLite.

use crate::{
    SqliteStore, audit,
    customers::live_customer,
    events::insert_event,
    queries::{check_references, live_query, refresh_customer_documents},
    rows::db_error,
    search::{Indexed, sync_fts},
};
use domain::{
    CustomerId, QueryId, Timestamp,
    customer::Customer,
    query::{Assignment, Query, QueryEdit},
    search::{CustomerSearchParts, SearchDocument},
};
use storage::{StorageError, StorageResult, TenantScope, records};

pub async fn update_query(
    store: &SqliteStore,
    scope: &TenantScope,
    id: QueryId,
    expected_version: i64,
    edit: QueryEdit,
) -> StorageResult<Query> {
    let mut tx = store.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
    let before = live_query(&mut tx, scope, id).await?.ok_or(StorageError::NotFound)?;
    if before.version != expected_version {
        return Err(StorageError::VersionMismatch { current: before.version });
    }
    let customer = match edit.customer_id {
        Some(customer) => Some(
            live_customer(&mut tx, scope, customer)
                .await?
                .ok_or(StorageError::UnknownReference { field: "customer_id" })?,
        ),
        None => None,
    };
    // A retired type may stay on the query it is already on, but cannot be newly chosen.
    let new_type = edit.type_id.filter(|t| before.type_id != Some(*t));
    check_references(&mut tx, scope, new_type, Assignment::default()).await?;
    let after = Query {
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
    sqlx::query(
        "UPDATE queries SET customer_id = ?3, channel = ?4, priority = ?5, subject = ?6, description = ?7,
             received_at = ?8, type_id = ?9, version = ?10, updated_at = ?11, search_document = ?12
         WHERE tenant_id = ?1 AND id = ?2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .bind(after.customer_id.map(|c| c.as_uuid()))
    .bind(after.channel.as_str())
    .bind(after.priority.as_str())
    .bind(&after.subject)
    .bind(&after.description)
    .bind(after.received_at.as_micros())
    .bind(after.type_id.map(|t| t.as_uuid()))
    .bind(after.version)
    .bind(after.updated_at.as_micros())
    .bind(document.as_str())
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    sync_fts(&mut tx, Indexed::Queries, scope.tenant_id.as_uuid(), id.as_uuid()).await?;
    if after.customer_id != before.customer_id {
        // The query's history follows it to the customer it now belongs to.
        sqlx::query("UPDATE events SET customer_id = ?3 WHERE tenant_id = ?1 AND query_id = ?2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .bind(after.customer_id.map(|c| c.as_uuid()))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    audit::append(&mut tx, scope, &records::query_updated(&before, &after)).await?;
    insert_event(&mut tx, scope, &records::query_updated_event(&before, &after)).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(after)
}

pub async fn delete_query(
    store: &SqliteStore,
    scope: &TenantScope,
    id: QueryId,
    expected_version: i64,
) -> StorageResult<()> {
    let mut tx = store.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
    let query = live_query(&mut tx, scope, id).await?.ok_or(StorageError::NotFound)?;
    if query.version != expected_version {
        return Err(StorageError::VersionMismatch { current: query.version });
    }
    let now = Timestamp::now();
    sqlx::query(
        "UPDATE queries SET deleted_at = ?3, updated_at = ?3, version = version + 1 WHERE tenant_id = ?1 AND id = ?2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .bind(now.as_micros())
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    audit::append(&mut tx, scope, &records::query_deleted(&query)).await?;
    insert_event(&mut tx, scope, &records::query_deleted_event(&query, now)).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(())
}

pub async fn merge_customer(
    store: &SqliteStore,
    scope: &TenantScope,
    merged_id: CustomerId,
    expected_version: i64,
    survivor_id: CustomerId,
) -> StorageResult<(Customer, u64)> {
    let mut tx = store.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
    let merged = live_customer(&mut tx, scope, merged_id).await?.ok_or(StorageError::NotFound)?;
    if merged.version != expected_version {
        return Err(StorageError::VersionMismatch { current: merged.version });
    }
    if survivor_id == merged_id {
        return Err(StorageError::UnknownReference { field: "survivor_id" });
    }
    let survivor = live_customer(&mut tx, scope, survivor_id)
        .await?
        .ok_or(StorageError::UnknownReference { field: "survivor_id" })?;
    let now = Timestamp::now();
    let moved = sqlx::query(
        "UPDATE queries SET customer_id = ?3, version = version + 1, updated_at = ?4
         WHERE tenant_id = ?1 AND customer_id = ?2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(merged_id.as_uuid())
    .bind(survivor_id.as_uuid())
    .bind(now.as_micros())
    .execute(&mut *tx)
    .await
    .map_err(db_error)?
    .rows_affected();
    for sql in [
        // A party role the survivor already has on the same query is not doubled.
        "DELETE FROM query_parties AS p WHERE p.tenant_id = ?1 AND p.customer_id = ?2 AND EXISTS (
             SELECT 1 FROM query_parties s WHERE s.tenant_id = ?1 AND s.customer_id = ?3
               AND s.query_id = p.query_id AND s.role = p.role)",
        "UPDATE query_parties SET customer_id = ?3 WHERE tenant_id = ?1 AND customer_id = ?2",
        "UPDATE events SET customer_id = ?3 WHERE tenant_id = ?1 AND customer_id = ?2",
    ] {
        sqlx::query(sql)
            .bind(scope.tenant_id.as_uuid())
            .bind(merged_id.as_uuid())
            .bind(survivor_id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    refresh_customer_documents(&mut tx, scope, &survivor).await?;
    sqlx::query(
        "UPDATE customers SET merged_into = ?3, version = version + 1, updated_at = ?4 WHERE tenant_id = ?1 AND id = ?2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(merged_id.as_uuid())
    .bind(survivor_id.as_uuid())
    .bind(now.as_micros())
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    audit::append(&mut tx, scope, &records::customer_merged(&merged, &survivor, moved)).await?;
    insert_event(&mut tx, scope, &records::customer_merged_event(&merged, &survivor, now)).await?;
    tx.commit().await.map_err(db_error)?;
    Ok((survivor, moved))
}

pub async fn merged_into(
    store: &SqliteStore,
    scope: &TenantScope,
    id: CustomerId,
) -> StorageResult<Option<CustomerId>> {
    let mut tx = store.pool().begin().await.map_err(db_error)?;
    let target: Option<Option<uuid::Uuid>> =
        sqlx::query_scalar("SELECT merged_into FROM customers WHERE tenant_id = ?1 AND id = ?2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(target.flatten().map(CustomerId::from_uuid))
}
