//! PostgreSQL rows and their mapping to domain values (via `storage::records`).

use domain::Timestamp;
use sqlx::types::chrono::{DateTime, Utc};
use storage::StorageError;

/// Maps unique violations to `Conflict` (naming the constraint) and anything else to `Backend`.
pub fn db_error(error: sqlx::Error) -> StorageError {
    if let sqlx::Error::Database(db) = &error
        && db.is_unique_violation()
    {
        return StorageError::Conflict { constraint: db.constraint().unwrap_or("unique").to_owned() };
    }
    StorageError::backend(error)
}

pub fn ts(at: DateTime<Utc>) -> Timestamp {
    Timestamp::from_datetime(at)
}
