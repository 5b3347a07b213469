//! Where sealed blobs live, from configuration: a directory by default, or Azure Blob Storage
//! (production) or an S3-compatible store named by URL. Credentials come from the platform's
//! own environment variables (`AZURE_STORAGE_*`, `AWS_*`), so managed identities, access keys
//! and SAS tokens work as their documentation says; Casedesk adds no names of its own.

use object_store::{ObjectStore, aws::AmazonS3Builder, azure::MicrosoftAzureBuilder, local::LocalFileSystem};
use std::{path::Path, sync::Arc};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a documents store must be az://<container> or s3://<bucket>, not {0}")]
    Unsupported(String),
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

/// The blob store at `location` (`az://container` or `s3://bucket`).
pub fn remote(location: &str) -> Result<Arc<dyn ObjectStore>, StoreError> {
    use_ring_for_tls();
    let scheme = location.split_once("://").map(|(scheme, _)| scheme);
    let store: Arc<dyn ObjectStore> = match scheme {
        Some("az" | "azure") => Arc::new(MicrosoftAzureBuilder::from_env().with_url(location).build()?),
        Some("s3") => Arc::new(AmazonS3Builder::from_env().with_url(location).build()?),
        _ => return Err(StoreError::Unsupported(location.to_owned())),
    };
    Ok(store)
}

/// A container in the Azurite emulator whose endpoint is in `AZURITE_BLOB_STORAGE_URL` (for the
/// test command and local trials).
pub fn azurite(container: &str) -> Result<Arc<dyn ObjectStore>, StoreError> {
    use_ring_for_tls();
    Ok(Arc::new(MicrosoftAzureBuilder::new().with_use_emulator(true).with_container_name(container).build()?))
}

/// The directory `dir` (made if missing).
pub fn directory(dir: &Path) -> Result<Arc<dyn ObjectStore>, StoreError> {
    std::fs::create_dir_all(dir)
        .map_err(|source| object_store::Error::Generic { store: "local", source: source.into() })?;
    Ok(Arc::new(LocalFileSystem::new_with_prefix(dir)?))
}

/// object_store's HTTP client finds its TLS crypto in the process default: ring, which the rest
/// of the tree already uses. Installing twice is harmless (the first stays).
fn use_ring_for_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
