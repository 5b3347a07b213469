//! Sealed blobs in real object stores, the local filesystem and Azure Blob Storage (Azurite, which
//! the test command starts): only ciphertext is stored, any size round-trips through bounded
//! pieces, and damage or the wrong key is caught.
#![allow(clippy::unwrap_used)]

use files::{MasterKey, Vault, VaultError};
use futures_util::{StreamExt, TryStreamExt};
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, path::Path};
use std::sync::Arc;

const DOCUMENT: [u8; 16] = [4; 16];

/// The Azurite container the tests share; each test's blobs are under a tenant of its own.
const CONTAINER: &str = "casedesk-test";

/// A store and a tenant no other test uses.
struct Place {
    store: Arc<dyn ObjectStore>,
    tenant: [u8; 16],
    _dir: Option<tempfile::TempDir>,
}

impl Place {
    fn local() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = files::stores::directory(dir.path()).unwrap();
        Self { store, tenant: *uuid::Uuid::new_v4().as_bytes(), _dir: Some(dir) }
    }

    /// Fails (never skips) when Azurite is not running: `ensure_azurite` in scripts/lib.sh.
    fn azurite() -> Self {
        std::env::var("AZURITE_BLOB_STORAGE_URL").expect("AZURITE_BLOB_STORAGE_URL: run `ensure_azurite` first");
        let store = files::stores::azurite(CONTAINER).unwrap();
        Self { store, tenant: *uuid::Uuid::new_v4().as_bytes(), _dir: None }
    }

    fn vault(&self) -> Vault {
        Vault::new(self.store.clone())
    }

    async fn blobs(&self) -> Vec<Path> {
        let prefix = Path::from(uuid::Uuid::from_bytes(self.tenant).simple().to_string());
        self.store.list(Some(&prefix)).map_ok(|meta| meta.location).try_collect().await.unwrap()
    }

    async fn read(&self, blob: &str) -> Vec<u8> {
        self.store.get(&Path::from(blob)).await.unwrap().bytes().await.unwrap().to_vec()
    }

    async fn write(&self, blob: &str, bytes: Vec<u8>) {
        self.store.put(&Path::from(blob), PutPayload::from(bytes)).await.unwrap();
    }
}

fn letter(len: usize) -> Vec<u8> {
    b"Dear Council, the bins on Acacia Avenue were not collected. ".iter().copied().cycle().take(len).collect()
}

macro_rules! in_both_stores {
    ($($case:ident),+ $(,)?) => {
        mod local {
            $(#[tokio::test]
            async fn $case() {
                super::$case(super::Place::local()).await;
            })+
        }
        mod azurite {
            $(#[tokio::test]
            async fn $case() {
                super::$case(super::Place::azurite()).await;
            })+
        }
    };
}

in_both_stores!(
    documents_round_trip_as_ciphertext_in_any_size,
    damage_another_key_or_a_wrong_digest_is_refused,
    an_aborted_upload_leaves_nothing,
);

async fn documents_round_trip_as_ciphertext_in_any_size(place: Place) {
    let vault = place.vault();
    let (tenant_key, _) = MasterKey::generate().new_tenant_key(place.tenant, 1);
    for len in [1, 64 * 1024 - 1, 64 * 1024, 3 * 64 * 1024 + 17, 11 * 1024 * 1024] {
        let plain = letter(len);
        let (key, _) = tenant_key.new_data_key(DOCUMENT);
        let mut upload = vault.upload(place.tenant, &key, &DOCUMENT).await.unwrap();
        // Pieces of awkward sizes, as a network delivers them.
        for piece in plain.chunks(7_919) {
            upload.push(piece).await.unwrap();
        }
        let (blob, sealed) = upload.finish().await.unwrap();
        assert_eq!(sealed.plain_bytes, len as u64);
        let stored = place.read(&blob).await;
        assert!(!stored.windows(12).any(|w| w == b"Acacia Avenu"), "{len}: plain text in the blob");
        let mut stream = vault.download(&blob, &key, &DOCUMENT, sealed.sha256).await.unwrap();
        let mut back = Vec::new();
        let mut largest = 0;
        while let Some(piece) = stream.next().await {
            let piece = piece.unwrap();
            largest = largest.max(piece.len());
            back.extend_from_slice(&piece);
        }
        assert!(back == plain, "{len}: round trip");
        assert!(largest <= 2 * 1024 * 1024, "{len}: pieces stay small ({largest})");
        vault.remove(&blob).await.unwrap();
        vault.remove(&blob).await.unwrap();
    }
    assert!(place.blobs().await.is_empty(), "removed blobs are gone");
}

async fn damage_another_key_or_a_wrong_digest_is_refused(place: Place) {
    let vault = place.vault();
    let (tenant_key, _) = MasterKey::generate().new_tenant_key(place.tenant, 1);
    let (key, _) = tenant_key.new_data_key(DOCUMENT);
    let plain = letter(200_000);
    let mut upload = vault.upload(place.tenant, &key, &DOCUMENT).await.unwrap();
    upload.push(&plain).await.unwrap();
    let (blob, sealed) = upload.finish().await.unwrap();
    assert_eq!(vault.read(&blob, &key, &DOCUMENT, sealed.sha256).await.unwrap(), plain);

    let refused = |result: Result<Vec<u8>, VaultError>| matches!(result, Err(VaultError::Open(_)));
    let (other_key, _) = tenant_key.new_data_key(DOCUMENT);
    assert!(refused(vault.read(&blob, &other_key, &DOCUMENT, sealed.sha256).await), "another key");
    assert!(refused(vault.read(&blob, &key, &[5; 16], sealed.sha256).await), "another document's id");
    assert!(refused(vault.read(&blob, &key, &DOCUMENT, [0; 32]).await), "a digest that does not match");

    let original = place.read(&blob).await;
    let mut flipped = original.clone();
    *flipped.last_mut().unwrap() ^= 0x80;
    // 200,000 bytes are three whole chunks and a short last one; the first two change places.
    let chunk = files::CHUNK_BYTES + files::TAG_BYTES;
    let first = original.len() - 3 * chunk - (200_000 % files::CHUNK_BYTES + files::TAG_BYTES);
    let mut swapped = original.clone();
    swapped[first..first + chunk].copy_from_slice(&original[first + chunk..first + 2 * chunk]);
    swapped[first + chunk..first + 2 * chunk].copy_from_slice(&original[first..first + chunk]);
    let cut = original[..original.len() - 40].to_vec();
    for (case, damaged) in [("flipped", flipped), ("cut", cut), ("swapped", swapped)] {
        place.write(&blob, damaged).await;
        assert!(refused(vault.read(&blob, &key, &DOCUMENT, sealed.sha256).await), "{case}");
    }
    vault.remove(&blob).await.unwrap();
}

async fn an_aborted_upload_leaves_nothing(place: Place) {
    let vault = place.vault();
    let (tenant_key, _) = MasterKey::generate().new_tenant_key(place.tenant, 1);
    let (key, _) = tenant_key.new_data_key(DOCUMENT);
    let mut upload = vault.upload(place.tenant, &key, &DOCUMENT).await.unwrap();
    upload.push(&letter(12 * 1024 * 1024)).await.unwrap();
    upload.abort().await;
    assert!(place.blobs().await.is_empty(), "{:?}", place.blobs().await);
}
