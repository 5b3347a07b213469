use thiserror::Error;

#[derive(Debug, Error)]
pub enum StorageError {
    /// A uniqueness rule was broken, e.g. an email already taken. `constraint` names the rule
    /// so the API can say which field is at fault.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
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
    /// Anything else: the database is unreachable, a query failed. Details stay in the log.
    #[error("storage backend error")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StorageError {
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Backend(Box::new(error))
    }
}
