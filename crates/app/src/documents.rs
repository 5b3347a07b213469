//! Documents' configuration made real: the master key read (or made on first start) and the
//! store opened. The master key comes from a file so that a deployment can mount it from a
//! secret store; a key vault that unwraps it would slot in here, returning the same
//! `MasterKey`.

use crate::config::{DatabaseArgs, DocumentArgs};
use anyhow::Context;
use app::key_files;
use files::MasterKey;
use std::{path::Path, sync::Arc, time::Duration};

pub fn settings(args: &DocumentArgs, database: &DatabaseArgs) -> anyhow::Result<server::documents::DocumentSettings> {
    let master_key = master_key_of(args, database)?;
    let store = match &args.documents_store {
        Some(location) => {
            files::stores::remote(location).with_context(|| format!("opening the documents store {location}"))?
        }
        None => {
            let dir = args.documents_dir.clone().unwrap_or_else(|| database.data_dir.join("documents"));
            files::stores::directory(&dir)
                .with_context(|| format!("opening the documents directory {}", dir.display()))?
        }
    };
    Ok(server::documents::DocumentSettings {
        vault: files::Vault::new(store),
        master_key: Arc::new(master_key),
        scanner: files::Scanner::new(
            args.clamd_address.clone(),
            Duration::from_secs(args.clamd_timeout_seconds.max(1)),
        ),
        max_file_bytes: args.document_max_mib.max(1) * 1024 * 1024,
        max_files: args.document_max_files.max(1),
        rescan_after: Duration::from_secs(args.document_rescan_hours.max(1) * 3600),
        ..Default::default()
    })
}

/// The configured master key, or the one made on first start in the data dir (made now if none).
fn master_key_of(args: &DocumentArgs, database: &DatabaseArgs) -> anyhow::Result<MasterKey> {
    let key_file = args.master_key_file.clone().unwrap_or_else(|| database.data_dir.join("master.key"));
    master_key(&key_file, args.master_key_file.is_none())
}

/// The configured master key, or the one in the data dir; never made (for commands other than
/// `serve`, which must use the key the server uses).
pub fn existing_master_key(args: &DocumentArgs, database: &DatabaseArgs) -> anyhow::Result<MasterKey> {
    let key_file = args.master_key_file.clone().unwrap_or_else(|| database.data_dir.join("master.key"));
    master_key(&key_file, false)
}

/// Reads the master key; when `may_create` and there is none yet, makes one (readable by this
/// user only) and says to back it up.
fn master_key(path: &Path, may_create: bool) -> anyhow::Result<MasterKey> {
    let bytes = if !path.exists() && may_create {
        key_files::make(path, "master key")?
    } else {
        key_files::read(path, "master key")?
    };
    Ok(MasterKey::from_bytes(&bytes)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn a_master_key_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("master.key");
        let made = master_key(&path, true).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let read = master_key(&path, true).unwrap();
        let (_, wrapped) = made.new_tenant_key([1; 16], 1);
        assert!(read.tenant_key([1; 16], 1, &wrapped).is_ok(), "the second start reads the first key");
    }

    #[test]
    fn a_configured_key_file_must_exist_and_hold_32_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.key");
        assert!(master_key(&path, false).is_err(), "a configured file is never made up");
        std::fs::write(&path, [7u8; 32]).unwrap();
        let raw = master_key(&path, false).unwrap();
        std::fs::write(&path, format!("{}\n", base64::engine::general_purpose::STANDARD.encode([7u8; 32]))).unwrap();
        let encoded = master_key(&path, false).unwrap();
        let (_, wrapped) = raw.new_tenant_key([1; 16], 1);
        assert!(encoded.tenant_key([1; 16], 1, &wrapped).is_ok(), "raw bytes and base64 are the same key");
        std::fs::write(&path, "c2hvcnQ=\n").unwrap();
        assert!(master_key(&path, false).is_err(), "too short");
    }
}
