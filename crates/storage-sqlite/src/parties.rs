//! Further parties to queries, on SQLite.

use crate::{
    SqliteStore, audit,
    customers::live_customer,
    events::insert_event,
    queries::live_query,
    rows::{db_error, ts},
};
use domain::{
    CustomerId, QueryId, Timestamp,
    party::{Party, PartyRole},
};
use storage::{StorageError, StorageResult, TenantScope, records};
use uuid::Uuid;

pub async fn add_party(
    store: &SqliteStore,
    scope: &TenantScope,
    query_id: QueryId,
    customer: CustomerId,
    role: PartyRole,
) -> StorageResult<Party> {
    let mut tx = store.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
    let query = live_query(&mut tx, scope, query_id).await?.ok_or(StorageError::NotFound)?;
    live_customer(&mut tx, scope, customer).await?.ok_or(StorageError::UnknownReference { field: "customer_id" })?;
    let party = Party { query_id, customer_id: customer, role, added_at: Timestamp::now() };
    sqlx::query(
        "INSERT INTO query_parties (tenant_id, query_id, customer_id, role, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query_id.as_uuid())
    .bind(customer.as_uuid())
    .bind(role.as_str())
    .bind(party.added_at.as_micros())
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    audit::append(&mut tx, scope, &records::party_added(&query, &party)).await?;
    insert_event(&mut tx, scope, &records::party_event(&query, &party, "query.party_added", party.added_at)).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(party)
}

pub async fn remove_party(
    store: &SqliteStore,
    scope: &TenantScope,
    query_id: QueryId,
    customer: CustomerId,
    role: PartyRole,
) -> StorageResult<()> {
    let mut tx = store.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
    let query = live_query(&mut tx, scope, query_id).await?.ok_or(StorageError::NotFound)?;
    let added: Option<i64> = sqlx::query_scalar(
        "DELETE FROM query_parties WHERE tenant_id = ?1 AND query_id = ?2 AND customer_id = ?3 AND role = ?4
         RETURNING added_at",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query_id.as_uuid())
    .bind(customer.as_uuid())
    .bind(role.as_str())
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_error)?;
    let added = added.ok_or(StorageError::NotFound)?;
    let party = Party { query_id, customer_id: customer, role, added_at: ts(added) };
    audit::append(&mut tx, scope, &records::party_removed(&query, &party)).await?;
    insert_event(&mut tx, scope, &records::party_event(&query, &party, "query.party_removed", Timestamp::now()))
        .await?;
    tx.commit().await.map_err(db_error)?;
    Ok(())
}

pub async fn list_parties(store: &SqliteStore, scope: &TenantScope, query_id: QueryId) -> StorageResult<Vec<Party>> {
    let mut tx = store.pool().begin().await.map_err(db_error)?;
    let rows: Vec<(Uuid, String, i64)> = sqlx::query_as(
        "SELECT customer_id, role, added_at FROM query_parties WHERE tenant_id = ?1 AND query_id = ?2
         ORDER BY added_at, customer_id, role",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query_id.as_uuid())
    .fetch_all(&mut *tx)
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    rows.into_iter()
        .map(|(customer, role, added)| {
            Ok(Party {
                query_id,
                customer_id: CustomerId::from_uuid(customer),
                role: PartyRole::parse(&role).ok_or_else(|| records::corrupt("party role"))?,
                added_at: ts(added),
            })
        })
        .collect()
}
