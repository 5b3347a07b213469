//! Reading a customer row, and finding a customer inside a write's transaction.

use super::{SqlConn, SqlRow, Stmt};
use crate::{StorageResult, TenantScope, records::CustomerColumns};
use domain::{CustomerId, customer::Customer};

pub const COLUMNS: &str = "tenant_id, id, title, given_name, family_name, organisation, emails, phones, address_lines, \
    town, postcode, country, preferred_channel, contact_needs, notes, consent_feedback_surveys, \
    consent_updates_by_email, version, created_at, updated_at";

pub fn customer_of(row: &impl SqlRow) -> StorageResult<Customer> {
    Customer::try_from(CustomerColumns {
        tenant_id: row.uuid("tenant_id")?,
        id: row.uuid("id")?,
        title: row.opt_text("title")?,
        given_name: row.text("given_name")?,
        family_name: row.text("family_name")?,
        organisation: row.opt_text("organisation")?,
        emails: row.text("emails")?,
        phones: row.text("phones")?,
        address_lines: row.opt_text("address_lines")?,
        town: row.opt_text("town")?,
        postcode: row.opt_text("postcode")?,
        country: row.opt_text("country")?,
        preferred_channel: row.opt_text("preferred_channel")?,
        contact_needs: row.opt_text("contact_needs")?,
        notes: row.opt_text("notes")?,
        consent_feedback_surveys: row.bool("consent_feedback_surveys")?,
        consent_updates_by_email: row.bool("consent_updates_by_email")?,
        version: row.int("version")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

/// A customer that is neither deleted nor merged, locked when `lock`.
pub async fn live_customer<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: CustomerId,
    lock: bool,
) -> StorageResult<Option<Customer>> {
    let lock = if lock { C::DIALECT.for_update } else { "" };
    let sql = format!(
        "SELECT {COLUMNS} FROM customers WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL AND merged_into IS NULL{lock}"
    );
    let row = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
    row.as_ref().map(customer_of).transpose()
}

/// A customer in any state (merged or deleted too), for maintenance.
pub async fn any_customer(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    id: CustomerId,
) -> StorageResult<Option<Customer>> {
    let sql = format!("SELECT {COLUMNS} FROM customers WHERE tenant_id = $1 AND id = $2");
    let row = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
    row.as_ref().map(customer_of).transpose()
}
