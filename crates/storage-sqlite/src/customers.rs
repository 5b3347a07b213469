//! Customers on SQLite.

use crate::{
    SqliteStore, audit,
    events::insert_event,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{
    CustomerId, Timestamp,
    customer::{Customer, CustomerDetails},
    query::QueryFilter,
    query_list::QuerySort,
    search::{CustomerSearchParts, SearchTerms},
};
use sqlx::{AssertSqlSafe, SqliteConnection};
use storage::{
    CustomerOverview, CustomerRepo, QueryRepo, StorageError, StorageResult, TenantScope, TimelineRepo,
    records::{self, CustomerColumns, customer_values},
};
use uuid::Uuid;

const COLUMNS: &str = "tenant_id, id, title, given_name, family_name, organisation, emails, phones, address_lines, \
    town, postcode, country, preferred_channel, contact_needs, notes, consent_feedback_surveys, \
    consent_updates_by_email, version, created_at, updated_at";

#[derive(Debug, sqlx::FromRow)]
struct CustomerRow {
    tenant_id: Uuid,
    id: Uuid,
    title: Option<String>,
    given_name: String,
    family_name: String,
    organisation: Option<String>,
    emails: String,
    phones: String,
    address_lines: Option<String>,
    town: Option<String>,
    postcode: Option<String>,
    country: Option<String>,
    preferred_channel: Option<String>,
    contact_needs: Option<String>,
    notes: Option<String>,
    consent_feedback_surveys: bool,
    consent_updates_by_email: bool,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<CustomerRow> for Customer {
    type Error = StorageError;
    fn try_from(row: CustomerRow) -> StorageResult<Self> {
        Customer::try_from(CustomerColumns {
            tenant_id: row.tenant_id,
            id: row.id,
            title: row.title,
            given_name: row.given_name,
            family_name: row.family_name,
            organisation: row.organisation,
            emails: row.emails,
            phones: row.phones,
            address_lines: row.address_lines,
            town: row.town,
            postcode: row.postcode,
            country: row.country,
            preferred_channel: row.preferred_channel,
            contact_needs: row.contact_needs,
            notes: row.notes,
            consent_feedback_surveys: row.consent_feedback_surveys,
            consent_updates_by_email: row.consent_updates_by_email,
            version: row.version,
            created_at: ts(row.created_at),
            updated_at: ts(row.updated_at),
        })
    }
}

/// Writes the details columns of an existing or new row, and its contact index rows.
async fn write_customer(conn: &mut SqliteConnection, customer: &Customer, insert: bool) -> StorageResult<()> {
    let details = &customer.details;
    let values = customer_values(details);
    let sql = if insert {
        "INSERT INTO customers (tenant_id, id, title, given_name, family_name, organisation, emails, phones,
             address_lines, town, postcode, postcode_compact, country, preferred_channel, contact_needs, notes,
             consent_feedback_surveys, consent_updates_by_email, version, created_at, updated_at, search_document)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
    } else {
        "UPDATE customers SET title = ?3, given_name = ?4, family_name = ?5, organisation = ?6, emails = ?7,
             phones = ?8, address_lines = ?9, town = ?10, postcode = ?11, postcode_compact = ?12, country = ?13,
             preferred_channel = ?14, contact_needs = ?15, notes = ?16, consent_feedback_surveys = ?17,
             consent_updates_by_email = ?18, version = ?19, created_at = ?20, updated_at = ?21,
             search_document = ?22
         WHERE tenant_id = ?1 AND id = ?2"
    };
    sqlx::query(sql)
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
        .bind(customer.created_at.as_micros())
        .bind(customer.updated_at.as_micros())
        .bind(CustomerSearchParts::of(customer).document().as_str())
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    sqlx::query("DELETE FROM customer_contacts WHERE tenant_id = ?1 AND customer_id = ?2")
        .bind(customer.tenant_id.as_uuid())
        .bind(customer.id.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    for (kind, value) in &values.contacts {
        sqlx::query("INSERT INTO customer_contacts (tenant_id, customer_id, kind, value) VALUES (?1, ?2, ?3, ?4)")
            .bind(customer.tenant_id.as_uuid())
            .bind(customer.id.as_uuid())
            .bind(kind)
            .bind(value)
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
    }
    crate::search::sync_fts(
        conn,
        crate::search::Indexed::Customers,
        customer.tenant_id.as_uuid(),
        customer.id.as_uuid(),
    )
    .await?;
    Ok(())
}

/// SQLite has no row locks; update_customer begins IMMEDIATE instead, locking the database.
pub(crate) async fn live_customer(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    id: CustomerId,
) -> StorageResult<Option<Customer>> {
    let row: Option<CustomerRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM customers WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL AND merged_into IS NULL"
    )))
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .fetch_optional(conn)
    .await
    .map_err(db_error)?;
    row.map(Customer::try_from).transpose()
}

/// A customer in any state (merged or deleted too), for maintenance.
pub(crate) async fn any_customer(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    id: CustomerId,
) -> StorageResult<Option<Customer>> {
    let row: Option<CustomerRow> =
        sqlx::query_as(AssertSqlSafe(format!("SELECT {COLUMNS} FROM customers WHERE tenant_id = ?1 AND id = ?2")))
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(conn)
            .await
            .map_err(db_error)?;
    row.map(Customer::try_from).transpose()
}

#[async_trait]
impl CustomerRepo for SqliteStore {
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
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        write_customer(&mut tx, &customer, true).await?;
        audit::append(&mut tx, scope, &records::customer_created(&customer)).await?;
        insert_event(&mut tx, scope, &records::customer_created_event(&customer)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(customer)
    }

    async fn get_customer(&self, scope: &TenantScope, id: CustomerId) -> StorageResult<Option<Customer>> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let customer = live_customer(&mut tx, scope, id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(customer)
    }

    /// In-process, so the parts are asked in turn (a merge between them is the only way they
    /// could disagree, and it would show as a customer with no queries, not as an error).
    async fn customer_overview(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        queries: Option<u32>,
        events: u32,
    ) -> StorageResult<Option<CustomerOverview>> {
        let Some(customer) = self.get_customer(scope, id).await? else { return Ok(None) };
        let queries = match queries {
            Some(limit) => {
                let filter = QueryFilter { customer_id: Some(id), ..QueryFilter::default() };
                Some(self.list_queries(scope, &filter, QuerySort::default(), None, limit).await?)
            }
            None => None,
        };
        let events = self.customer_timeline(scope, id, events).await?;
        Ok(Some(CustomerOverview { customer, queries, events }))
    }

    async fn update_customer(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        expected_version: i64,
        details: CustomerDetails,
    ) -> StorageResult<Customer> {
        // IMMEDIATE: take the write lock before reading, so the read-check-write cannot race.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let before = live_customer(&mut tx, scope, id).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let after = Customer { details, version: before.version + 1, updated_at: Timestamp::now(), ..before.clone() };
        write_customer(&mut tx, &after, false).await?;
        audit::append(&mut tx, scope, &records::customer_updated(&before, &after)).await?;
        insert_event(&mut tx, scope, &records::customer_updated_event(&before, &after)).await?;
        crate::queries::refresh_customer_documents(&mut tx, scope, &after).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }

    async fn list_customers(
        &self,
        scope: &TenantScope,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StorageResult<Vec<Customer>> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let rows: Vec<CustomerRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM customers
             WHERE tenant_id = ?1 AND deleted_at IS NULL AND merged_into IS NULL AND (?2 IS NULL OR id > ?2)
             ORDER BY id LIMIT ?3"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(after.map(|id| id.as_uuid()))
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter().map(Customer::try_from).collect()
    }

    async fn merge_customer(
        &self,
        scope: &TenantScope,
        merged: CustomerId,
        expected_version: i64,
        survivor: CustomerId,
    ) -> StorageResult<(Customer, u64)> {
        crate::query_edits::merge_customer(self, scope, merged, expected_version, survivor).await
    }

    async fn merged_into(&self, scope: &TenantScope, id: CustomerId) -> StorageResult<Option<CustomerId>> {
        crate::query_edits::merged_into(self, scope, id).await
    }

    async fn search_customers(
        &self,
        scope: &TenantScope,
        terms: &SearchTerms,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StorageResult<Vec<Customer>> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let rows: Vec<CustomerRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM customers
             WHERE tenant_id = ?1 AND deleted_at IS NULL AND merged_into IS NULL AND (?2 IS NULL OR id > ?2)
               AND rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?3)
             ORDER BY id LIMIT ?4"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(after.map(|id| id.as_uuid()))
        .bind(terms.to_fts5())
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter().map(Customer::try_from).collect()
    }

    async fn duplicate_candidates(
        &self,
        scope: &TenantScope,
        details: &CustomerDetails,
    ) -> StorageResult<Vec<Customer>> {
        let values = customer_values(details);
        let contacts: Vec<String> = values.contacts.iter().map(|(kind, value)| format!("{kind}:{value}")).collect();
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let rows: Vec<CustomerRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM customers c
             WHERE c.tenant_id = ?1 AND c.deleted_at IS NULL AND c.merged_into IS NULL
               AND (c.id IN (SELECT k.customer_id FROM customer_contacts k
                             WHERE k.tenant_id = ?1 AND k.kind || ':' || k.value IN (SELECT value FROM json_each(?2)))
                    OR (?3 IS NOT NULL AND c.postcode_compact = ?3))
             ORDER BY c.id LIMIT 50"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(serde_json::to_string(&contacts).unwrap_or_default())
        .bind(&values.postcode_compact)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter().map(Customer::try_from).collect()
    }
}
