use domain::Conflict;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StorageError {
    /// The write conflicts with what is stored: a uniqueness rule (an email already taken) or
    /// a rule over several records (the last administrator).
    #[error("conflict: {0}")]
    Conflict(Conflict),
    /// An update named a version that is no longer current (optimistic concurrency).
    #[error("version mismatch; current version is {current}")]
    VersionMismatch { current: i64 },
    /// The record does not exist in this tenant.
    #[error("not found")]
    NotFound,
    /// A write named another record (by the input field `field`) that does not exist, or
    /// cannot be used, in this tenant: a retired query type, an unknown officer.
    #[error("unknown reference in {field}")]
    UnknownReference { field: &'static str },
    /// A status change the query's workflow does not allow, or not to this user, or not
    /// without the fields it needs.
    #[error("status change refused")]
    Transition(domain::workflow::Refusal),
    /// Anything else: the database is unreachable, a query failed. Details stay in the log.
    #[error("storage backend error")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StorageError {
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Backend(Box::new(error))
    }
}

impl From<Conflict> for StorageError {
    fn from(conflict: Conflict) -> Self {
        Self::Conflict(conflict)
    }
}

/// What breaking the unique constraint or index `name` means. Both backends report the names
/// PostgreSQL gives (SQLite's are mapped to them first), so this is the one place that knows
/// them.
pub fn conflict_on(name: &str) -> Conflict {
    match name {
        "users_email_unique" => Conflict::EmailTaken,
        "tenants_slug_key" => Conflict::OrganisationSlugTaken,
        "teams_name_unique" => Conflict::TeamNameTaken,
        "groups_name_unique" => Conflict::GroupNameTaken,
        "query_types_name_unique" => Conflict::QueryTypeNameTaken,
        "saved_views_name_unique" => Conflict::ViewNameTaken,
        "business_calendars_name_unique" => Conflict::CalendarNameTaken,
        "sla_policies_name_unique" => Conflict::SlaPolicyNameTaken,
        "query_statuses_name_unique" => Conflict::StatusNameTaken,
        "workflows_type_unique" => Conflict::WorkflowTypeTaken,
        "query_parties_pkey" => Conflict::PartyRoleTaken,
        "entra_mappings_unique" => Conflict::EntraMappingTaken,
        other => Conflict::Duplicate { constraint: other.to_owned() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_constraints_have_a_meaning_and_others_keep_their_name() {
        assert_eq!(conflict_on("users_email_unique"), Conflict::EmailTaken);
        assert_eq!(conflict_on("query_parties_pkey"), Conflict::PartyRoleTaken);
        assert_eq!(conflict_on("identities_pkey"), Conflict::Duplicate { constraint: "identities_pkey".into() });
    }
}
