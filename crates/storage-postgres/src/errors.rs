//! PostgreSQL's errors in storage terms.

use storage::StorageError;

/// Maps unique violations to `Conflict` (naming the constraint) and anything else to `Backend`.
pub fn db_error(error: sqlx::Error) -> StorageError {
    if let sqlx::Error::Database(db) = &error
        && db.is_unique_violation()
    {
        return StorageError::Conflict(storage::conflict_on(db.constraint().unwrap_or("unique")));
    }
    StorageError::backend(error)
}
