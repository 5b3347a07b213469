//! Sealed blobs in object storage. An upload is sealed as it streams in and written in parts,
//! and a download is opened as it streams out, so neither holds more than a few parts in
//! memory whatever the document's size. A blob's name is random and says nothing of the
//! document; the store sees ciphertext only.

use crate::{DataKey, OpenError, Opener, Sealed, Sealer};
use bytes::Bytes;
use futures_util::{StreamExt, stream::BoxStream};
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart, path::Path};
use std::sync::Arc;

/// Parts of an upload written at once: bounds what an upload holds in memory to this many
/// parts (5 MiB each) besides the one being filled.
const PARTS_IN_FLIGHT: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("object storage failed")]
    Storage(#[from] object_store::Error),
    #[error(transparent)]
    Open(#[from] OpenError),
}

/// Where blobs are kept.
#[derive(Debug, Clone)]
pub struct Vault {
    store: Arc<dyn ObjectStore>,
}

impl Vault {
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self { store }
    }

    /// Starts sealing a document into a new blob under the tenant's prefix.
    pub async fn upload(&self, tenant: [u8; 16], key: &DataKey, document: &[u8]) -> Result<Upload, VaultError> {
        let name = format!("{}/{}", uuid::Uuid::from_bytes(tenant).simple(), uuid::Uuid::new_v4().simple());
        let path = Path::from(name.as_str());
        let writer = WriteMultipart::new(self.store.put_multipart(&path).await?);
        let (sealer, header) = Sealer::new(key, document);
        let mut upload = Upload { name, sealer, writer };
        upload.writer.write(&header);
        Ok(upload)
    }

    /// The document's plain bytes as they are opened. A piece that fails its check, a blob cut
    /// short, or plain bytes whose SHA-256 is not `sha256`, ends the stream with an error
    /// instead of the rest.
    pub async fn download(
        &self,
        blob: &str,
        key: &DataKey,
        document: &[u8],
        sha256: [u8; 32],
    ) -> Result<BoxStream<'static, Result<Bytes, VaultError>>, VaultError> {
        let stored = self.store.get(&Path::from(blob)).await?.into_stream();
        let state = Download { stored, opener: Some(Opener::new(key, document)), sha256 };
        Ok(futures_util::stream::try_unfold(state, Download::next).boxed())
    }

    /// The whole document, checked: for documents small enough to hold, so that a damaged one
    /// is refused before any of it is sent.
    pub async fn read(
        &self,
        blob: &str,
        key: &DataKey,
        document: &[u8],
        sha256: [u8; 32],
    ) -> Result<Vec<u8>, VaultError> {
        let mut stream = self.download(blob, key, document, sha256).await?;
        let mut plain = Vec::new();
        while let Some(piece) = stream.next().await {
            plain.extend_from_slice(&piece?);
        }
        Ok(plain)
    }

    /// Removes a blob; one already gone is not an error.
    pub async fn remove(&self, blob: &str) -> Result<(), VaultError> {
        match self.store.delete(&Path::from(blob)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(other) => Err(other.into()),
        }
    }
}

/// A document being sealed into its blob.
pub struct Upload {
    name: String,
    sealer: Sealer,
    writer: WriteMultipart,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload").field("blob", &self.name).finish_non_exhaustive()
    }
}

impl Upload {
    /// Seals the next plain bytes and writes them.
    pub async fn push(&mut self, plain: &[u8]) -> Result<(), VaultError> {
        let sealed = self.sealer.push(plain);
        self.writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        self.writer.write(&sealed);
        Ok(())
    }

    /// Seals the last bytes and completes the blob: its name, and what sealing found.
    pub async fn finish(mut self) -> Result<(String, Sealed), VaultError> {
        let (tail, sealed) = self.sealer.finish();
        self.writer.write(&tail);
        self.writer.finish().await?;
        Ok((self.name, sealed))
    }

    /// Gives the upload up: nothing of it is kept. A store that fails to drop the parts leaves
    /// only ciphertext whose key was never stored, which no one can open, so a failure here is
    /// not worth failing the request over.
    pub async fn abort(self) {
        let _ = self.writer.abort().await;
    }
}

struct Download {
    stored: BoxStream<'static, object_store::Result<Bytes>>,
    opener: Option<Opener>,
    sha256: [u8; 32],
}

impl Download {
    async fn next(mut self) -> Result<Option<(Bytes, Self)>, VaultError> {
        loop {
            let Some(opener) = self.opener.as_mut() else { return Ok(None) };
            match self.stored.next().await {
                Some(piece) => {
                    let plain = opener.push(&piece?)?;
                    if !plain.is_empty() {
                        return Ok(Some((Bytes::from(plain), self)));
                    }
                }
                None => {
                    let opener = self.opener.take().ok_or(OpenError::Tampered)?;
                    let (tail, opened) = opener.finish()?;
                    if opened.sha256 != self.sha256 {
                        return Err(OpenError::Tampered.into());
                    }
                    return Ok(Some((Bytes::from(tail), self)));
                }
            }
        }
    }
}
