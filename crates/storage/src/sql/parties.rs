//! Further parties to queries.

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit, customer_rows::live_customer, events::insert_event,
    query_rows::live_query,
};
use crate::{StorageError, StorageResult, TenantScope, records};
use domain::{
    CustomerId, QueryId, Timestamp,
    party::{Party, PartyRole},
};

pub async fn add_party<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    query_id: QueryId,
    customer: CustomerId,
    role: PartyRole,
) -> StorageResult<Party> {
    let mut tx = store.write(scope.tenant_id).await?;
    let query = live_query(&mut tx, scope, query_id, true).await?.ok_or(StorageError::NotFound)?;
    live_customer(&mut tx, scope, customer, false)
        .await?
        .ok_or(StorageError::UnknownReference { field: "customer_id" })?;
    let party = Party { query_id, customer_id: customer, role, added_at: Timestamp::now() };
    let insert = Stmt::new(
        "INSERT INTO query_parties (tenant_id, query_id, customer_id, role, added_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query_id.as_uuid())
    .bind(customer.as_uuid())
    .bind(role.as_str())
    .bind(party.added_at);
    tx.execute(insert).await?;
    audit::append(&mut tx, scope, &records::party_added(&query, &party)).await?;
    insert_event(&mut tx, scope, &records::party_event(&query, &party, "query.party_added", party.added_at)).await?;
    tx.commit().await?;
    Ok(party)
}

pub async fn remove_party<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    query_id: QueryId,
    customer: CustomerId,
    role: PartyRole,
) -> StorageResult<()> {
    let mut tx = store.write(scope.tenant_id).await?;
    let query = live_query(&mut tx, scope, query_id, true).await?.ok_or(StorageError::NotFound)?;
    let delete = Stmt::new(
        "DELETE FROM query_parties WHERE tenant_id = $1 AND query_id = $2 AND customer_id = $3 AND role = $4
         RETURNING added_at",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query_id.as_uuid())
    .bind(customer.as_uuid())
    .bind(role.as_str());
    let added = tx.fetch_optional(delete).await?.ok_or(StorageError::NotFound)?.time("added_at")?;
    let party = Party { query_id, customer_id: customer, role, added_at: added };
    audit::append(&mut tx, scope, &records::party_removed(&query, &party)).await?;
    insert_event(&mut tx, scope, &records::party_event(&query, &party, "query.party_removed", Timestamp::now()))
        .await?;
    tx.commit().await
}

pub async fn list_parties<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    query_id: QueryId,
) -> StorageResult<Vec<Party>> {
    let stmt = Stmt::new(
        "SELECT customer_id, role, added_at FROM query_parties WHERE tenant_id = $1 AND query_id = $2
         ORDER BY added_at, customer_id, role",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query_id.as_uuid());
    let mut tx = store.read(scope.tenant_id).await?;
    let rows = tx.fetch_all(stmt).await?;
    tx.commit().await?;
    rows.iter()
        .map(|row| {
            Ok(Party {
                query_id,
                customer_id: CustomerId::from_uuid(row.uuid("customer_id")?),
                role: PartyRole::parse(&row.text("role")?).ok_or_else(|| records::corrupt("party role"))?,
                added_at: row.time("added_at")?,
            })
        })
        .collect()
}
