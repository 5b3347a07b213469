//! The key hierarchy: the master key wraps each tenant's key, a tenant's key wraps each of its
//! documents' keys. Wrapping is AES-256-GCM with a fresh random nonce and the wrapped key's
//! purpose as associated data, so a wrapped key moved to another tenant, document or role
//! does not unwrap.

use aes_gcm::{
    Aes256Gcm, KeyInit, Nonce,
    aead::{Aead, AeadCore, OsRng, Payload},
};
use zeroize::Zeroizing;

/// An AES-256 key's length.
pub const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;
/// A wrapped key's length: nonce, the key encrypted, and the tag.
pub const WRAPPED_BYTES: usize = NONCE_BYTES + KEY_BYTES + 16;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("a key is {KEY_BYTES} bytes; this is {0}")]
    WrongLength(usize),
    /// Wrapped under another key, for another purpose, or changed since.
    #[error("the wrapped key does not unwrap under this key for this purpose")]
    DoesNotUnwrap,
}

/// 32 secret bytes, wiped from memory when dropped.
#[derive(Clone)]
struct Secret(Zeroizing<[u8; KEY_BYTES]>);

impl Secret {
    fn random() -> Self {
        let key = Aes256Gcm::generate_key(&mut OsRng);
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        bytes.copy_from_slice(&key);
        Self(bytes)
    }

    fn from_slice(raw: &[u8]) -> Result<Self, KeyError> {
        let bytes: [u8; KEY_BYTES] = raw.try_into().map_err(|_| KeyError::WrongLength(raw.len()))?;
        Ok(Self(Zeroizing::new(bytes)))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(self.0.as_ref().into())
    }

    /// A random nonce, then `plain` encrypted and tagged with `purpose` as associated data.
    fn seal(&self, plain: &[u8], purpose: &[u8]) -> Vec<u8> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed =
            self.cipher().encrypt(&nonce, Payload { msg: plain, aad: purpose }).expect("AES-GCM encrypts short values");
        [nonce.as_slice(), &sealed].concat()
    }

    fn open(&self, sealed: &[u8], purpose: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        if sealed.len() < NONCE_BYTES + 16 {
            return Err(KeyError::DoesNotUnwrap);
        }
        let (nonce, sealed) = sealed.split_at(NONCE_BYTES);
        let plain = self
            .cipher()
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: purpose })
            .map_err(|_| KeyError::DoesNotUnwrap)?;
        Ok(Zeroizing::new(plain))
    }

    fn wrap(&self, key: &Secret, purpose: &[u8]) -> WrappedKey {
        WrappedKey(self.seal(key.0.as_ref(), purpose))
    }

    fn unwrap(&self, wrapped: &WrappedKey, purpose: &[u8]) -> Result<Secret, KeyError> {
        if wrapped.0.len() != WRAPPED_BYTES {
            return Err(KeyError::DoesNotUnwrap);
        }
        Secret::from_slice(&self.open(&wrapped.0, purpose)?)
    }
}

/// A key as stored: only ever wrapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey(Vec<u8>);

impl WrappedKey {
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The key at the top, from configuration or a file (later from a key vault): it wraps the
/// tenants' keys and nothing else.
#[derive(Clone)]
pub struct MasterKey(Secret);

/// One tenant's key-encryption key. `version` counts rotations: a rotated key wraps the same
/// document keys again, so no document is encrypted again.
#[derive(Clone)]
pub struct TenantKey {
    secret: Secret,
    tenant: [u8; 16],
    version: u32,
}

/// One document's key.
#[derive(Clone)]
pub struct DataKey(Secret);

fn tenant_purpose(tenant: [u8; 16], version: u32) -> Vec<u8> {
    [b"casedesk tenant key".as_slice(), &tenant, &version.to_be_bytes()].concat()
}

fn secret_purpose(tenant: [u8; 16], version: u32, name: &str) -> Vec<u8> {
    [b"casedesk secret".as_slice(), &tenant, &version.to_be_bytes(), name.as_bytes()].concat()
}

fn document_purpose(tenant: [u8; 16], document: [u8; 16]) -> Vec<u8> {
    [b"casedesk document key".as_slice(), &tenant, &document].concat()
}

impl MasterKey {
    pub fn from_bytes(raw: &[u8]) -> Result<Self, KeyError> {
        Secret::from_slice(raw).map(Self)
    }

    pub fn generate() -> Self {
        Self(Secret::random())
    }

    /// A new key for `tenant` (its id's bytes) at `version`, and that key wrapped for storage.
    pub fn new_tenant_key(&self, tenant: [u8; 16], version: u32) -> (TenantKey, WrappedKey) {
        let key = TenantKey { secret: Secret::random(), tenant, version };
        let wrapped = self.0.wrap(&key.secret, &tenant_purpose(tenant, version));
        (key, wrapped)
    }

    pub fn tenant_key(&self, tenant: [u8; 16], version: u32, wrapped: &WrappedKey) -> Result<TenantKey, KeyError> {
        let secret = self.0.unwrap(wrapped, &tenant_purpose(tenant, version))?;
        Ok(TenantKey { secret, tenant, version })
    }
}

impl TenantKey {
    pub fn version(&self) -> u32 {
        self.version
    }

    /// A new key for `document` (its id's bytes), and that key wrapped for storage.
    pub fn new_data_key(&self, document: [u8; 16]) -> (DataKey, WrappedKey) {
        let key = DataKey(Secret::random());
        let wrapped = self.wrap_data_key(&key, document);
        (key, wrapped)
    }

    pub fn wrap_data_key(&self, key: &DataKey, document: [u8; 16]) -> WrappedKey {
        self.secret.wrap(&key.0, &document_purpose(self.tenant, document))
    }

    pub fn data_key(&self, document: [u8; 16], wrapped: &WrappedKey) -> Result<DataKey, KeyError> {
        self.secret.unwrap(wrapped, &document_purpose(self.tenant, document)).map(DataKey)
    }

    /// Encrypts a secret the product keeps for the tenant (the Entra client secret), bound to
    /// what it is (`name`), the tenant and this key's version.
    pub fn seal_secret(&self, name: &str, plain: &[u8]) -> Vec<u8> {
        self.secret.seal(plain, &secret_purpose(self.tenant, self.version, name))
    }

    /// The secret [`TenantKey::seal_secret`] sealed under this key for `name`; wiped when dropped.
    pub fn open_secret(&self, name: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        self.secret.open(sealed, &secret_purpose(self.tenant, self.version, name))
    }
}

impl TenantKey {
    /// The key that makes this tenant's search terms at this key's version (see [`crate::terms`]):
    /// derived, never stored, so it goes wherever the tenant key goes.
    pub fn term_key(&self) -> crate::terms::TermKey {
        let purpose = [b"casedesk search terms".as_slice(), &self.tenant, &self.version.to_be_bytes()].concat();
        crate::terms::TermKey::derive(self.secret.0.as_ref(), &purpose, self.version)
    }
}

impl DataKey {
    pub(crate) fn cipher(&self) -> Aes256Gcm {
        self.0.cipher()
    }
}

/// Keys never show in logs or panics.
macro_rules! redacted {
    ($($name:ident),*) => {$(
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(redacted)"))
            }
        }
    )*};
}
redacted!(Secret, MasterKey, TenantKey, DataKey);

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: [u8; 16] = [1; 16];
    const OTHER_TENANT: [u8; 16] = [2; 16];
    const DOCUMENT: [u8; 16] = [7; 16];

    #[test]
    fn keys_unwrap_only_under_their_key_for_their_purpose() {
        let master = MasterKey::generate();
        let (tenant, wrapped_tenant) = master.new_tenant_key(TENANT, 1);
        assert_eq!(wrapped_tenant.as_bytes().len(), WRAPPED_BYTES);
        let again = master.tenant_key(TENANT, 1, &wrapped_tenant).expect("unwraps");
        let (_, wrapped_data) = tenant.new_data_key(DOCUMENT);
        assert!(again.data_key(DOCUMENT, &wrapped_data).is_ok(), "the same tenant key, unwrapped again");

        assert_eq!(master.tenant_key(OTHER_TENANT, 1, &wrapped_tenant).err(), Some(KeyError::DoesNotUnwrap));
        assert_eq!(master.tenant_key(TENANT, 2, &wrapped_tenant).err(), Some(KeyError::DoesNotUnwrap));
        assert_eq!(MasterKey::generate().tenant_key(TENANT, 1, &wrapped_tenant).err(), Some(KeyError::DoesNotUnwrap));
        assert!(tenant.data_key([8; 16], &wrapped_data).is_err(), "another document's purpose");
        let mut flipped = wrapped_data.as_bytes().to_vec();
        flipped[20] ^= 1;
        assert!(tenant.data_key(DOCUMENT, &WrappedKey::from_bytes(flipped)).is_err());
        assert!(tenant.data_key(DOCUMENT, &WrappedKey::from_bytes(vec![0; 10])).is_err());
    }

    #[test]
    fn rotating_the_tenant_key_rewraps_data_keys_without_changing_them() {
        let master = MasterKey::generate();
        let (old, _) = master.new_tenant_key(TENANT, 1);
        let (data, wrapped) = old.new_data_key(DOCUMENT);
        let (new, _) = master.new_tenant_key(TENANT, 2);
        let rewrapped = new.wrap_data_key(&old.data_key(DOCUMENT, &wrapped).expect("unwraps"), DOCUMENT);
        let after = new.data_key(DOCUMENT, &rewrapped).expect("unwraps under the new key");
        assert_eq!(after.0.0.as_ref(), data.0.0.as_ref());
        assert!(old.data_key(DOCUMENT, &rewrapped).is_err());
    }

    #[test]
    fn secrets_open_only_under_their_tenant_key_version_and_name() {
        let master = MasterKey::generate();
        let (key, wrapped) = master.new_tenant_key(TENANT, 1);
        let sealed = key.seal_secret("entra client secret", b"s3cret~value");
        assert!(!sealed.windows(6).any(|w| w == b"s3cret"), "sealed, not encoded");
        let again = master.tenant_key(TENANT, 1, &wrapped).expect("unwraps");
        assert_eq!(again.open_secret("entra client secret", &sealed).expect("opens").as_slice(), b"s3cret~value");
        assert!(key.open_secret("mailbox password", &sealed).is_err(), "another secret's name");
        let (other_tenant, _) = master.new_tenant_key(OTHER_TENANT, 1);
        assert!(other_tenant.open_secret("entra client secret", &sealed).is_err(), "another tenant");
        let (next, _) = master.new_tenant_key(TENANT, 2);
        assert!(next.open_secret("entra client secret", &sealed).is_err(), "another version");
        assert!(key.open_secret("entra client secret", &sealed[..20]).is_err(), "cut short");
    }

    #[test]
    fn master_keys_are_exactly_32_bytes() {
        assert_eq!(MasterKey::from_bytes(&[0; 31]).err(), Some(KeyError::WrongLength(31)));
        assert!(MasterKey::from_bytes(&[9; 32]).is_ok());
    }
}
