//! Documents at rest (SEC-02, SEC-15): each document is encrypted with a key of its own, in
//! fixed-size chunks so that any size streams through bounded memory; its key is kept only
//! wrapped by its tenant's key, and the tenant's key only wrapped by the master key, which
//! never sits beside the data. Destroying a document's wrapped key destroys the document:
//! no copy of the blob can be read again. Before anything is kept, clamd scans it (SEC-13).

mod keys;
#[cfg(feature = "samples")]
pub mod samples;
mod scan;
mod seal;
pub mod sniff;
pub mod stores;
pub mod terms;
pub mod text;
mod vault;

pub use keys::{DataKey, KEY_BYTES, KeyError, MasterKey, TenantKey, WRAPPED_BYTES, WrappedKey};
pub use scan::{Scan, ScanError, Scanner, Verdict};
pub use seal::{CHUNK_BYTES, OpenError, Opened, Opener, Sealed, Sealer, TAG_BYTES};
pub use vault::{Upload, Vault, VaultError};
