//! Documents held against a customer or a query: what is listed, renamed and deleted. The bytes
//! go up as `multipart/form-data` and come down from `/documents/{id}/content`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What virus checking last said of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScanStatus {
    /// Checked when uploaded (and by every rescan since) and found clean.
    Clean,
    /// A rescan found it infected: kept for investigation, never downloadable.
    Quarantined,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    pub id: Uuid,
    /// The query it is attached to (exactly one of `query_id` and `customer_id` is set).
    pub query_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// The file name it is downloaded with.
    pub name: String,
    /// Told from the document's bytes when it was uploaded, never from its name.
    pub content_type: String,
    pub size_bytes: u64,
    /// Whether a browser can show it (a PDF or a picture).
    pub previewable: bool,
    pub scan_status: ScanStatus,
    /// The signature a rescan found, when quarantined.
    pub signature: Option<String>,
    /// When it was last checked for viruses.
    pub scanned_at: DateTime<Utc>,
    /// Goes up with every change; send it back in `If-Match`.
    pub version: i64,
    /// Who uploaded it (none when the application did).
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentList {
    pub items: Vec<Document>,
}

/// A document whose text holds every word searched for, with the record it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentMatch {
    pub document: Document,
    /// The query's reference (`Q-000123`), for a query's document.
    pub query_reference: Option<String>,
    /// The query's subject, or the customer's name.
    pub owner_title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentMatchPage {
    /// Newest first.
    pub items: Vec<DocumentMatch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The form an upload sends: one or more files, all kept or none; no other parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentUpload {
    /// Each file as a part named `files`, with its file name in the part's
    /// `Content-Disposition`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, format = Binary, min_items = 1))]
    pub files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenameDocumentRequest {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeleteDocumentRequest {
    /// Why it is deleted; kept in the audit trail.
    pub reason: String,
}
