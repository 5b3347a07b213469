//! Sealed blobs in a real object store (the local filesystem here; Azurite too once the Azure
//! backend lands): only ciphertext is stored, any size round-trips through bounded pieces, and
//! damage or the wrong key is caught.
#![allow(clippy::unwrap_used)]

use files::{MasterKey, Vault, VaultError};
use futures_util::StreamExt;
use object_store::local::LocalFileSystem;
use std::sync::Arc;

const TENANT: [u8; 16] = [3; 16];
const DOCUMENT: [u8; 16] = [4; 16];

fn letter(len: usize) -> Vec<u8> {
    b"Dear Council, the bins on Acacia Avenue were not collected. ".iter().copied().cycle().take(len).collect()
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(files_under(&path)) } else { out.push(path) }
    }
    out
}

#[tokio::test]
async fn documents_round_trip_as_ciphertext_in_any_size() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::new(Arc::new(LocalFileSystem::new_with_prefix(dir.path()).unwrap()));
    let (tenant_key, _) = MasterKey::generate().new_tenant_key(TENANT, 1);
    for len in [1, 64 * 1024 - 1, 64 * 1024, 3 * 64 * 1024 + 17, 11 * 1024 * 1024] {
        let plain = letter(len);
        let (key, _) = tenant_key.new_data_key(DOCUMENT);
        let mut upload = vault.upload(TENANT, &key, &DOCUMENT).await.unwrap();
        // Pieces of awkward sizes, as a network delivers them.
        for piece in plain.chunks(7_919) {
            upload.push(piece).await.unwrap();
        }
        let (blob, sealed) = upload.finish().await.unwrap();
        assert_eq!(sealed.plain_bytes, len as u64);
        let stored = std::fs::read(dir.path().join(&blob)).unwrap();
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
    assert!(files_under(dir.path()).is_empty(), "removed blobs are gone");
}

#[tokio::test]
async fn damage_another_key_or_a_wrong_digest_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::new(Arc::new(LocalFileSystem::new_with_prefix(dir.path()).unwrap()));
    let (tenant_key, _) = MasterKey::generate().new_tenant_key(TENANT, 1);
    let (key, _) = tenant_key.new_data_key(DOCUMENT);
    let plain = letter(200_000);
    let mut upload = vault.upload(TENANT, &key, &DOCUMENT).await.unwrap();
    upload.push(&plain).await.unwrap();
    let (blob, sealed) = upload.finish().await.unwrap();
    assert_eq!(vault.read(&blob, &key, &DOCUMENT, sealed.sha256).await.unwrap(), plain);

    let refused = |result: Result<Vec<u8>, VaultError>| matches!(result, Err(VaultError::Open(_)));
    let (other_key, _) = tenant_key.new_data_key(DOCUMENT);
    assert!(refused(vault.read(&blob, &other_key, &DOCUMENT, sealed.sha256).await), "another key");
    assert!(refused(vault.read(&blob, &key, &[5; 16], sealed.sha256).await), "another document's id");
    assert!(refused(vault.read(&blob, &key, &DOCUMENT, [0; 32]).await), "a digest that does not match");

    let path = dir.path().join(&blob);
    let original = std::fs::read(&path).unwrap();
    let mut flipped = original.clone();
    *flipped.last_mut().unwrap() ^= 0x80;
    for (case, damaged) in [("flipped", flipped), ("cut", original[..original.len() - 40].to_vec())] {
        std::fs::write(&path, damaged).unwrap();
        assert!(refused(vault.read(&blob, &key, &DOCUMENT, sealed.sha256).await), "{case}");
    }
}

#[tokio::test]
async fn an_aborted_upload_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::new(Arc::new(LocalFileSystem::new_with_prefix(dir.path()).unwrap()));
    let (tenant_key, _) = MasterKey::generate().new_tenant_key(TENANT, 1);
    let (key, _) = tenant_key.new_data_key(DOCUMENT);
    let mut upload = vault.upload(TENANT, &key, &DOCUMENT).await.unwrap();
    upload.push(&letter(12 * 1024 * 1024)).await.unwrap();
    upload.abort().await;
    assert!(files_under(dir.path()).is_empty(), "{:?}", files_under(dir.path()));
}
