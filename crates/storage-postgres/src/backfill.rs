//! Search documents for rows written before migration 0007 added them: built once, after
//! migrating, tenant by tenant, so that every record is findable.

use crate::{PgStore, customers::any_customer, rows::db_error};
use domain::{
    CustomerId,
    query::QueryReference,
    search::{CustomerSearchParts, SearchDocument},
};
use std::collections::HashMap;
use storage::{StorageResult, TenantRepo, TenantScope};
use uuid::Uuid;

/// Fills every empty search document; returns how many were written.
pub async fn search_documents(store: &PgStore) -> StorageResult<u64> {
    let mut written = 0;
    for tenant in store.list_tenants().await? {
        let scope = TenantScope::new(tenant.id, domain::audit::Actor::System);
        let mut tx = store.begin_scoped(tenant.id).await?;
        let customers: Vec<Uuid> =
            sqlx::query_scalar("SELECT id FROM customers WHERE tenant_id = $1 AND search_document = ''")
                .bind(tenant.id.as_uuid())
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
        let queries: Vec<(Uuid, i64, String, String, Option<Uuid>)> = sqlx::query_as(
            "SELECT id, reference, subject, description, customer_id FROM queries
             WHERE tenant_id = $1 AND search_document = ''",
        )
        .bind(tenant.id.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        let mut parts: HashMap<Uuid, CustomerSearchParts> = HashMap::new();
        let wanted = customers.iter().copied().chain(queries.iter().filter_map(|q| q.4));
        for id in wanted {
            if !parts.contains_key(&id)
                && let Some(customer) = any_customer(&mut tx, &scope, CustomerId::from_uuid(id)).await?
            {
                parts.insert(id, CustomerSearchParts::of(&customer));
            }
        }
        for id in customers {
            let document = parts.get(&id).map(CustomerSearchParts::document).unwrap_or_default();
            sqlx::query("UPDATE customers SET search_document = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.id.as_uuid())
                .bind(id)
                .bind(document.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            written += 1;
        }
        for (id, reference, subject, description, customer) in queries {
            let reference = QueryReference::new(u64::try_from(reference).unwrap_or_default());
            let customer = customer.and_then(|c| parts.get(&c));
            let document = SearchDocument::for_query(reference, &subject, &description, customer);
            sqlx::query("UPDATE queries SET search_document = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.id.as_uuid())
                .bind(id)
                .bind(document.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            written += 1;
        }
        tx.commit().await.map_err(db_error)?;
    }
    Ok(written)
}
