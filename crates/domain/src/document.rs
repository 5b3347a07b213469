//! Documents held against a customer or a query (FR-012): letters received by post and
//! scanned, evidence, photos. The bytes live encrypted in object storage; what is here is what
//! officers see of them and what the server needs to open them again.

use crate::{CustomerId, DocumentId, QueryId, Timestamp, audit::Actor, validation::FieldError};

/// The most characters a document's name may have.
pub const NAME_MAX_CHARS: usize = 200;
/// The most characters a deletion reason may have.
pub const REASON_MAX_CHARS: usize = 2_000;

/// The background job that reads a new document's text for search; its key is the document's id.
pub const READ_TEXT_JOB: &str = "documents.read_text";

/// The record a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Query(QueryId),
    Customer(CustomerId),
}

/// What virus checking last said of a stored document. Only clean documents are ever stored;
/// a later rescan against newer signatures can quarantine one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanState {
    Clean,
    /// Found by a rescan: kept for investigation, never downloadable.
    Quarantined {
        signature: String,
    },
}

impl ScanState {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::Quarantined { .. } => "quarantined",
        }
    }
}

/// Where a document's sealed bytes are and what opens them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealing {
    /// The blob's name in object storage: random, revealing nothing about the document.
    pub blob_name: String,
    /// The tenant key version that wrapped `wrapped_key`.
    pub key_version: u32,
    /// The document's own key, wrapped by the tenant key.
    pub wrapped_key: Vec<u8>,
    /// SHA-256 of the plain bytes, checked on every download.
    pub sha256: [u8; 32],
}

/// A document as uploaded, sealed and scanned, ready to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub id: DocumentId,
    pub name: String,
    /// Sniffed from the bytes, never taken from the name or the request.
    pub content_type: String,
    pub size_bytes: u64,
    pub sealing: Sealing,
    pub scanned_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: DocumentId,
    pub owner: Owner,
    pub name: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub scan: ScanState,
    pub scanned_at: Timestamp,
    pub version: i64,
    pub created_by: Actor,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// How to open it: `None` once it is deleted (its key destroyed).
    pub sealing: Option<Sealing>,
}

/// A word in more documents than this is common (see [`TextSearch::common_from`]).
pub const COMMON_FROM: u32 = 1_000;

/// A search of documents' text: each word's terms, and which records' documents the searcher
/// may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSearch {
    /// Per word searched for, its term under each version of the tenant key that made terms: a
    /// document must hold every word (under whichever version its terms were made).
    pub words: Vec<Vec<Vec<u8>>>,
    /// Documents of queries (the searcher reads queries; restrictions and team limits apply).
    pub of_queries: bool,
    /// Documents of customers (the searcher reads customers, and documents without a team limit).
    pub of_customers: bool,
    /// Newest first (by id, which is time-ordered), after this one.
    pub after: Option<crate::DocumentId>,
    pub limit: u32,
    /// A word in more documents than this is common. The rarest word's documents are each
    /// checked for the others; when every word is common, the newest documents are checked
    /// instead, which finds a page after a few. [`COMMON_FROM`]; tests lower it.
    pub common_from: u32,
}

/// A document whose text holds every word searched for, with what it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMatch {
    pub document: Document,
    /// The query's reference (`Q-000123`), for a query's document.
    pub reference: Option<String>,
    /// The query's subject, or the customer's name.
    pub owner_title: String,
}

/// The name an uploaded file is kept under: its file name less any folder a browser sent with
/// it, then as [`name`].
pub fn uploaded_name(field: &str, raw: &str) -> Result<String, FieldError> {
    name(field, raw.rsplit(['/', '\\']).next().unwrap_or(raw))
}

/// A document's name as officers see it and as it is downloaded: trimmed, 1 to 200 characters,
/// with no control characters (which would break the `Content-Disposition` header and confuse
/// people).
pub fn name(field: &str, raw: &str) -> Result<String, FieldError> {
    let base = raw.trim();
    if base.is_empty() {
        return Err(FieldError::new(field, "required", "Give the document a name"));
    }
    if base.chars().count() > NAME_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", "Name must be 200 characters or fewer"));
    }
    if base.chars().any(char::is_control) {
        return Err(FieldError::new(field, "invalid", "Name must not contain control characters"));
    }
    Ok(base.to_owned())
}

/// Why a document was deleted: required, 1 to 2,000 characters, kept in the audit trail.
pub fn deletion_reason(field: &str, raw: &str) -> Result<String, FieldError> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err(FieldError::new(field, "required", "Say why the document is being deleted"));
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", "Reason must be 2,000 characters or fewer"));
    }
    Ok(reason.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_folders_and_stay_printable() {
        assert_eq!(uploaded_name("name", "C:\\Scans\\letter 1.pdf"), Ok("letter 1.pdf".into()));
        assert_eq!(uploaded_name("name", "/tmp/x/photo.jpg "), Ok("photo.jpg".into()));
        assert_eq!(uploaded_name("name", "scans/").map_err(|e| e.code), Err("required"));
        assert_eq!(
            name("name", "Reply 2026/12.pdf"),
            Ok("Reply 2026/12.pdf".into()),
            "a rename keeps what it is given"
        );
        assert_eq!(name("name", "Café – reply.pdf"), Ok("Café – reply.pdf".into()));
        assert_eq!(name("name", "a\r\nb.pdf").map_err(|e| e.code), Err("invalid"));
        assert_eq!(name("name", &"x".repeat(201)).map_err(|e| e.code), Err("too_long"));
        assert_eq!(name("name", &"é".repeat(200)).map(|n| n.chars().count()), Ok(200));
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert_eq!(deletion_reason("reason", " sent in error "), Ok("sent in error".into()));
        assert_eq!(deletion_reason("reason", "  ").map_err(|e| e.code), Err("required"));
        assert_eq!(deletion_reason("reason", &"x".repeat(2_001)).map_err(|e| e.code), Err("too_long"));
    }
}
