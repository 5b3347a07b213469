//! SQLite's errors in storage terms.

use storage::StorageError;

/// Maps unique violations to `Conflict` (naming the constraint) and anything else to `Backend`.
pub fn db_error(error: sqlx::Error) -> StorageError {
    if let sqlx::Error::Database(db) = &error
        && db.is_unique_violation()
    {
        return StorageError::Conflict(storage::conflict_on(&constraint_name(db.message())));
    }
    StorageError::backend(error)
}

/// SQLite names the columns of a failed unique constraint, not the constraint; map them to the
/// names PostgreSQL reports, so both backends' conflicts read alike. A unique index on
/// expressions is reported by its name (`index 'teams_name_unique'`), which both share.
fn constraint_name(message: &str) -> String {
    if let Some(index) = message.split("index '").nth(1).and_then(|rest| rest.split('\'').next()) {
        return index.to_owned();
    }
    const KNOWN: [(&str, &str); 6] = [
        (
            "query_parties.tenant_id, query_parties.query_id, query_parties.customer_id, query_parties.role",
            "query_parties_pkey",
        ),
        ("users.tenant_id, users.email", "users_email_unique"),
        ("groups.tenant_id, groups.name", "groups_name_unique"),
        ("tenants.slug", "tenants_slug_key"),
        ("query_statuses.tenant_id, query_statuses.name", "query_statuses_name_unique"),
        ("identities.tenant_id, identities.provider, identities.subject", "identities_pkey"),
    ];
    KNOWN.iter().find(|(columns, _)| message.ends_with(columns)).map_or("unique", |(_, name)| name).to_owned()
}
