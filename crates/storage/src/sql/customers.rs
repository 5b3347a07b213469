//! Customers: records with duplicate checks, merges and the single customer view.

use super::{
    SqlBackend, SqlConn, SqlTx, Stmt, audit,
    customer_rows::{COLUMNS, customer_of, live_customer},
    events::{TimelineOf, insert_event, timeline_in},
    query_edits,
    query_rows::refresh_customer_documents,
    reads::{CustomerSearch, Page, SqlReads},
    reindex,
};
use crate::{
    CustomerOverview, CustomerRepo, StorageError, StorageResult, TenantScope,
    records::{self, customer_values},
};
use async_trait::async_trait;
use domain::{
    CustomerId, Timestamp,
    customer::{Customer, CustomerDetails},
    query::QueryFilter,
    query_list::QuerySort,
    search::{CustomerSearchParts, SearchTerms},
};

/// Writes the details columns of an existing or new row, and its contact index rows.
async fn write_customer(conn: &mut impl SqlConn, customer: &Customer, insert: bool) -> StorageResult<()> {
    let details = &customer.details;
    let values = customer_values(details);
    let sql = if insert {
        "INSERT INTO customers (tenant_id, id, title, given_name, family_name, organisation, emails, phones,
             address_lines, town, postcode, postcode_compact, country, preferred_channel, contact_needs, notes,
             consent_feedback_surveys, consent_updates_by_email, version, created_at, updated_at, search_document)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)"
    } else {
        "UPDATE customers SET title = $3, given_name = $4, family_name = $5, organisation = $6, emails = $7,
             phones = $8, address_lines = $9, town = $10, postcode = $11, postcode_compact = $12, country = $13,
             preferred_channel = $14, contact_needs = $15, notes = $16, consent_feedback_surveys = $17,
             consent_updates_by_email = $18, version = $19, created_at = $20, updated_at = $21,
             search_document = $22
         WHERE tenant_id = $1 AND id = $2"
    };
    let stmt = Stmt::new(sql)
        .bind(customer.tenant_id.as_uuid())
        .bind(customer.id.as_uuid())
        .bind(&details.title)
        .bind(&details.given_name)
        .bind(&details.family_name)
        .bind(&details.organisation)
        .bind(&values.emails)
        .bind(&values.phones)
        .bind(&values.address_lines)
        .bind(&values.town)
        .bind(&values.postcode)
        .bind(&values.postcode_compact)
        .bind(&values.country)
        .bind(values.preferred_channel)
        .bind(&details.contact_needs)
        .bind(&details.notes)
        .bind(details.consent.feedback_surveys)
        .bind(details.consent.updates_by_email)
        .bind(customer.version)
        .bind(customer.created_at)
        .bind(customer.updated_at)
        .bind(CustomerSearchParts::of(customer).document().as_str());
    conn.execute(stmt).await?;
    reindex(conn, "customers", customer.tenant_id, customer.id.as_uuid()).await?;
    let clear = Stmt::new("DELETE FROM customer_contacts WHERE tenant_id = $1 AND customer_id = $2")
        .bind(customer.tenant_id.as_uuid())
        .bind(customer.id.as_uuid());
    conn.execute(clear).await?;
    if values.contacts.is_empty() {
        return Ok(());
    }
    let mut contacts = Stmt::new("").bind(customer.tenant_id.as_uuid()).bind(customer.id.as_uuid());
    let rows: Vec<String> = values
        .contacts
        .iter()
        .map(|(kind, value)| format!("($1, $2, {}, {})", contacts.push(*kind), contacts.push(value)))
        .collect();
    contacts.sql =
        format!("INSERT INTO customer_contacts (tenant_id, customer_id, kind, value) VALUES {}", rows.join(", "))
            .into();
    conn.execute(contacts).await.map(drop)
}

async fn customers<S: SqlBackend>(store: &S, scope: &TenantScope, stmt: Stmt) -> StorageResult<Vec<Customer>> {
    let mut tx = store.read(scope.tenant_id).await?;
    let rows = tx.fetch_all(stmt).await?;
    tx.commit().await?;
    rows.iter().map(customer_of).collect()
}

#[async_trait]
impl<S: SqlReads> CustomerRepo for S {
    async fn create_customer(&self, scope: &TenantScope, details: CustomerDetails) -> StorageResult<Customer> {
        let now = Timestamp::now();
        let customer = Customer {
            tenant_id: scope.tenant_id,
            id: CustomerId::new(),
            details,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.write(scope.tenant_id).await?;
        write_customer(&mut tx, &customer, true).await?;
        audit::append(&mut tx, scope, &records::customer_created(&customer)).await?;
        insert_event(&mut tx, scope, &records::customer_created_event(&customer)).await?;
        tx.commit().await?;
        Ok(customer)
    }

    async fn get_customer(&self, scope: &TenantScope, id: CustomerId) -> StorageResult<Option<Customer>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let customer = live_customer(&mut tx, scope, id, false).await?;
        tx.commit().await?;
        Ok(customer)
    }

    async fn customer_overview(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        queries: Option<u32>,
        events: u32,
    ) -> StorageResult<Option<CustomerOverview>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let Some(customer) = live_customer(&mut tx, scope, id, false).await? else {
            tx.commit().await?;
            return Ok(None);
        };
        let queries = match queries {
            Some(limit) => {
                let filter = QueryFilter { customer_id: Some(id), ..QueryFilter::default() };
                let page = Page { filter: &filter, sort: QuerySort::default(), after: None, limit };
                Some(S::page_in(&mut tx, scope, page).await?)
            }
            None => None,
        };
        let events = timeline_in(&mut tx, scope, TimelineOf::Customer(id), events).await?;
        tx.commit().await?;
        Ok(Some(CustomerOverview { customer, queries, events }))
    }

    async fn update_customer(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        expected_version: i64,
        details: CustomerDetails,
    ) -> StorageResult<Customer> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = live_customer(&mut tx, scope, id, true).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let after = Customer { details, version: before.version + 1, updated_at: Timestamp::now(), ..before.clone() };
        write_customer(&mut tx, &after, false).await?;
        audit::append(&mut tx, scope, &records::customer_updated(&before, &after)).await?;
        insert_event(&mut tx, scope, &records::customer_updated_event(&before, &after)).await?;
        refresh_customer_documents(&mut tx, scope, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn list_customers(
        &self,
        scope: &TenantScope,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StorageResult<Vec<Customer>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM customers
             WHERE tenant_id = $1 AND deleted_at IS NULL AND merged_into IS NULL AND ($2 IS NULL OR id > $2)
             ORDER BY id LIMIT $3"
        );
        let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(after.map(|id| id.as_uuid())).bind(limit);
        customers(self, scope, stmt).await
    }

    async fn merge_customer(
        &self,
        scope: &TenantScope,
        merged: CustomerId,
        expected_version: i64,
        survivor: CustomerId,
    ) -> StorageResult<(Customer, u64)> {
        query_edits::merge_customer(self, scope, merged, expected_version, survivor).await
    }

    async fn merged_into(&self, scope: &TenantScope, id: CustomerId) -> StorageResult<Option<CustomerId>> {
        query_edits::merged_into(self, scope, id).await
    }

    async fn search_customers(
        &self,
        scope: &TenantScope,
        terms: &SearchTerms,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StorageResult<Vec<Customer>> {
        SqlReads::search_customers(self, scope, CustomerSearch { terms, after, limit }).await
    }

    async fn duplicate_candidates(
        &self,
        scope: &TenantScope,
        details: &CustomerDetails,
    ) -> StorageResult<Vec<Customer>> {
        let values = customer_values(details);
        let mut stmt = Stmt::new("").bind(scope.tenant_id.as_uuid()).bind(&values.postcode_compact);
        let contacts = stmt.push_list(values.contacts.iter().map(|(kind, value)| format!("{kind}:{value}")));
        stmt.sql = format!(
            "SELECT {COLUMNS} FROM customers c
             WHERE c.tenant_id = $1 AND c.deleted_at IS NULL AND c.merged_into IS NULL
               AND (c.id IN (SELECT k.customer_id FROM customer_contacts k
                             WHERE k.tenant_id = $1 AND k.kind || ':' || k.value IN ({contacts}))
                    OR ($2 IS NOT NULL AND c.postcode_compact = $2))
             ORDER BY c.id LIMIT 50"
        )
        .into();
        customers(self, scope, stmt).await
    }
}
