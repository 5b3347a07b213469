//! Reading a document's text for search (issue 16, item 6), in the background after its upload
//! (the job `documents.read_text`). The document is opened and checked, its text read
//! (`files::text`: a PDF's text layer, OCR for scans and pictures), and its words kept only as
//! keyed terms under the tenant's newest key (`files::terms`). The text itself is held in
//! memory for the read and never stored, logged or sent anywhere but the local tools.

use super::{
    DocumentSettings,
    keys::{KeyRing, KeyRingError},
};
use domain::{DocumentId, document::ScanState};
use files::text::TextError;
use storage::{StorageError, Store, TenantScope};

/// Documents larger than this are not read: a letter, even a long scanned one, is far smaller,
/// and the whole document is held in memory while it is read.
pub const MOST_BYTES: u64 = 64 * 1024 * 1024;

/// What reading a document's text came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRead {
    /// Its words were kept as terms: how many distinct words.
    Words(usize),
    /// It has no text to search (a kind with none, a blank page, too large, or a file the tools
    /// could not read); any terms it had are gone.
    NoText,
    /// Deleted or quarantined before it was read: nothing was kept.
    Gone,
}

#[derive(Debug, thiserror::Error)]
pub enum TextReadError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Keys(#[from] KeyRingError),
    /// The stored blob is missing or damaged (the download check failed).
    #[error("the stored document could not be opened: {0}")]
    Unreadable(#[from] files::VaultError),
    /// A tool is not installed, or took too long: worth trying again later.
    #[error(transparent)]
    Tool(TextError),
}

/// Reads the text of document `id` and keeps its terms.
pub async fn read_text(
    store: &dyn Store,
    settings: &DocumentSettings,
    scope: TenantScope,
    id: DocumentId,
) -> Result<TextRead, TextReadError> {
    let Some(document) = store.get_document(&scope, id).await? else { return Ok(TextRead::Gone) };
    let (ScanState::Clean, Some(sealing)) = (&document.scan, &document.sealing) else { return Ok(TextRead::Gone) };
    let mut keys = KeyRing::new(store, &settings.master_key, scope);
    let words = if document.size_bytes > MOST_BYTES {
        Vec::new()
    } else {
        let key = keys.document(id, sealing).await?;
        let bytes = settings.vault.read(&sealing.blob_name, &key, &id.as_uuid().into_bytes(), sealing.sha256).await?;
        match files::text::extract(&document.content_type, &bytes).await {
            Ok(Some(text)) => files::terms::words(&text),
            Ok(None) => Vec::new(),
            // The file itself is the trouble (a damaged PDF): trying again would not help.
            Err(TextError::ToolFailed { tool, .. }) => {
                tracing::warn!(document = %id, tool, "a document's text could not be read; it is not searchable");
                Vec::new()
            }
            Err(error) => return Err(TextReadError::Tool(error)),
        }
    };
    // Under the newest key, so terms made after a rotation are the new key's.
    let term_key = keys.newest().await?.ok_or(KeyRingError::Missing(sealing.key_version))?.term_key();
    let recorded = store.record_document_terms(&scope, id, term_key.version(), term_key.terms(&words)).await?;
    Ok(match (recorded, words.len()) {
        (false, _) => TextRead::Gone,
        (true, 0) => TextRead::NoText,
        (true, count) => TextRead::Words(count),
    })
}
