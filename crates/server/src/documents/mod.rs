//! Documents (FR-012, SEC-02, SEC-13): what the handlers in `routes::documents` share. An
//! upload is sniffed, streamed to clamd and sealed into object storage at once, and recorded
//! only when clamd has called it clean; a download is opened and checked as it streams out.

pub mod intake;
pub mod keys;
pub mod outlet;
pub mod rescan;
pub mod rotation;
pub mod text;

use std::{sync::Arc, time::Duration};

/// Where documents go and what checks them: filled by the `app` crate from configuration.
#[derive(Debug, Clone)]
pub struct DocumentSettings {
    pub vault: files::Vault,
    /// The root of the key hierarchy; never stored beside the data.
    pub master_key: Arc<files::MasterKey>,
    pub scanner: files::Scanner,
    /// The largest file accepted.
    pub max_file_bytes: u64,
    /// The most files in one upload.
    pub max_files: usize,
    /// Documents up to this size are opened and checked whole before any byte is sent, so a
    /// damaged one is refused with a clear error; larger ones are checked as they stream, and a
    /// failure ends the transfer (the client sees it cut short, never wrong bytes).
    pub check_whole_up_to: u64,
    /// How long a document's last virus check stands before the scheduled rescan checks it
    /// again against the scanner's current signatures.
    pub rescan_after: Duration,
}

impl Default for DocumentSettings {
    /// In memory, with a key of its own and clamd on its usual port: for tests and tools. The
    /// application always configures real storage and its master key.
    fn default() -> Self {
        Self {
            vault: files::Vault::new(Arc::new(object_store::memory::InMemory::new())),
            master_key: Arc::new(files::MasterKey::generate()),
            scanner: files::Scanner::new("127.0.0.1:3310", Duration::from_secs(30)),
            max_file_bytes: 100 * 1024 * 1024,
            max_files: 50,
            check_whole_up_to: 16 * 1024 * 1024,
            rescan_after: Duration::from_secs(24 * 3600),
        }
    }
}
