//! Keys kept in files: the master key of documents and the embedded database's key. A file is
//! what a Kubernetes secret, systemd credentials or the Azure Key Vault CSI driver provide; made
//! here only on a first start without one, readable by this user alone.

use anyhow::Context;
use base64::Engine;
use std::path::Path;

/// Bytes in every key.
pub const KEY_BYTES: usize = 32;

/// Reads a key: 32 raw bytes, or base64 of them on one line.
pub fn read(path: &Path, what: &str) -> anyhow::Result<[u8; KEY_BYTES]> {
    let raw = std::fs::read(path).with_context(|| format!("reading the {what} file {}", path.display()))?;
    let text = String::from_utf8_lossy(&raw);
    let bytes = match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
        Ok(decoded) if decoded.len() == KEY_BYTES => decoded,
        _ => raw,
    };
    bytes.try_into().map_err(|_| anyhow::anyhow!("the {what} in {} is not 32 bytes", path.display()))
}

/// Makes a new random key in a new file (mode 0600), base64 on one line, and says to back it up.
pub fn make(path: &Path, what: &str) -> anyhow::Result<[u8; KEY_BYTES]> {
    let key: [u8; KEY_BYTES] = rand::random();
    write_private(path, &base64::engine::general_purpose::STANDARD.encode(key))
        .with_context(|| format!("creating the {what} file {}", path.display()))?;
    tracing::warn!(path = %path.display(), "generated a new {what}: back it up apart from the data; without it the data cannot be read");
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    writeln!(file, "{contents}")?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    Ok(std::fs::write(path, format!("{contents}\n"))?)
}
