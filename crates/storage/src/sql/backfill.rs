//! Search documents for rows written before migration 0007 added them: built once, after
//! migrating, tenant by tenant, so that every record is findable.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, customer_rows::any_customer, reindex};
use crate::{StorageResult, TenantRepo, TenantScope};
use domain::{
    CustomerId,
    query::QueryReference,
    search::{CustomerSearchParts, SearchDocument},
};
use std::collections::HashMap;
use uuid::Uuid;

/// Fills every empty search document; returns how many were written.
pub async fn search_documents<S: SqlBackend>(store: &S) -> StorageResult<u64> {
    let mut written = 0;
    for tenant in store.list_tenants().await? {
        let scope = TenantScope::new(tenant.id, domain::audit::Actor::System);
        let mut tx = store.write(tenant.id).await?;
        let customers = Stmt::new("SELECT id FROM customers WHERE tenant_id = $1 AND search_document = ''")
            .bind(tenant.id.as_uuid());
        let customers =
            tx.fetch_all(customers).await?.iter().map(|row| row.uuid("id")).collect::<StorageResult<Vec<_>>>()?;
        let queries = Stmt::new(
            "SELECT id, reference, subject, description, customer_id FROM queries
             WHERE tenant_id = $1 AND search_document = ''",
        )
        .bind(tenant.id.as_uuid());
        let queries = tx.fetch_all(queries).await?;
        let mut parts: HashMap<Uuid, CustomerSearchParts> = HashMap::new();
        let mut wanted = customers.clone();
        for row in &queries {
            wanted.extend(row.opt_uuid("customer_id")?);
        }
        for id in wanted {
            if !parts.contains_key(&id)
                && let Some(customer) = any_customer(&mut tx, &scope, CustomerId::from_uuid(id)).await?
            {
                parts.insert(id, CustomerSearchParts::of(&customer));
            }
        }
        for id in customers {
            let document = parts.get(&id).map(CustomerSearchParts::document).unwrap_or_default();
            let update = Stmt::new("UPDATE customers SET search_document = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.id.as_uuid())
                .bind(id)
                .bind(document.as_str());
            tx.execute(update).await?;
            reindex(&mut tx, "customers", tenant.id, id).await?;
            written += 1;
        }
        for row in &queries {
            let id = row.uuid("id")?;
            let reference = QueryReference::new(u64::try_from(row.int("reference")?).unwrap_or_default());
            let customer = row.opt_uuid("customer_id")?.and_then(|c| parts.get(&c));
            let document =
                SearchDocument::for_query(reference, &row.text("subject")?, &row.text("description")?, customer);
            let update = Stmt::new("UPDATE queries SET search_document = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.id.as_uuid())
                .bind(id)
                .bind(document.as_str());
            tx.execute(update).await?;
            reindex(&mut tx, "queries", tenant.id, id).await?;
            written += 1;
        }
        tx.commit().await?;
    }
    Ok(written)
}

/// Gives each tenant that existed before workflows its default workflow, and every query
/// logged before then that workflow's first version (the moves they made were never checked,
/// and their history says so by naming no version). Returns how many tenants were given one.
pub async fn workflows<S: SqlBackend>(store: &S) -> StorageResult<u64> {
    let mut given = 0;
    for tenant in store.list_tenants().await? {
        let scope = TenantScope::new(tenant.id, domain::audit::Actor::System);
        let mut tx = store.write(tenant.id).await?;
        let has =
            Stmt::new("SELECT id FROM workflows WHERE tenant_id = $1 AND type_id IS NULL").bind(tenant.id.as_uuid());
        if tx.fetch_optional(has).await?.is_some() {
            tx.commit().await?;
            continue;
        }
        let workflow = super::workflows::insert_default_workflow(&mut tx, &scope, domain::Timestamp::now()).await?;
        let follow = Stmt::new(
            "UPDATE queries SET workflow_id = $2, workflow_version = 1 WHERE tenant_id = $1 AND workflow_id IS NULL",
        )
        .bind(tenant.id.as_uuid())
        .bind(workflow.id.as_uuid());
        tx.execute(follow).await?;
        tx.commit().await?;
        given += 1;
    }
    Ok(given)
}

/// Queues the reading of every stored, clean document whose text has not been read: those
/// stored before searchable letters (migration 0034), and any whose job was cleared before it
/// read them. A document with a job already queued keeps it. Returns how many were queued.
pub async fn document_text_jobs<S: SqlBackend>(store: &S) -> StorageResult<u64> {
    let mut queued = 0;
    for tenant in store.list_tenants().await? {
        let mut tx = store.write(tenant.id).await?;
        let unread = Stmt::new(
            "SELECT id FROM documents WHERE tenant_id = $1 AND text_read_at IS NULL AND wrapped_key IS NOT NULL
               AND scan_state = 'clean'",
        )
        .bind(tenant.id.as_uuid());
        let now = domain::Timestamp::now();
        for row in tx.fetch_all(unread).await? {
            let id = row.uuid("id")?;
            let job = domain::job::NewJob::new(Some(tenant.id), domain::document::READ_TEXT_JOB, id.to_string(), now);
            if super::jobs::insert_job(&mut tx, job).await? {
                queued += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(queued)
}
