//! A document as stored: a header, then its bytes in chunks of [`CHUNK_BYTES`], each encrypted
//! with AES-256-GCM under the document's key and followed by its tag. The chunks are chained by
//! STREAM (Hoang, Reyhanitabar, Rogaway and Vizár): each chunk's nonce carries its position and
//! whether it is the last, so a flipped byte, a chunk moved, dropped or repeated, and a blob cut
//! short (even at a chunk boundary) all fail to open. The header (format, chunk size, nonce
//! prefix) and the document's identity are authenticated with every chunk, so a blob put in
//! another document's place does not open either.
//!
//! Both directions are pushed a piece at a time, as an upload or a download arrives, and hold
//! at most one chunk: memory is bounded whatever the document's size.

use crate::keys::DataKey;
use aes_gcm::{
    Aes256Gcm,
    aead::{
        OsRng, Payload,
        rand_core::RngCore,
        stream::{DecryptorBE32, EncryptorBE32},
    },
};
use sha2::{Digest, Sha256};

/// Plain bytes per chunk.
pub const CHUNK_BYTES: usize = 64 * 1024;
/// An AES-GCM tag's length, added to each chunk.
pub const TAG_BYTES: usize = 16;
const MAGIC: &[u8; 4] = b"CDF1";
/// STREAM's nonce prefix: the 12-byte nonce less its 4-byte counter and 1-byte last flag.
const PREFIX_BYTES: usize = 7;
const HEADER_BYTES: usize = MAGIC.len() + 4 + PREFIX_BYTES;

/// What sealing a document produced besides its blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// SHA-256 of the plain bytes, kept to check every download against.
    pub sha256: [u8; 32],
    pub plain_bytes: u64,
}

/// What opening a document found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub sha256: [u8; 32],
    pub plain_bytes: u64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpenError {
    #[error("not a Casedesk document blob")]
    NotABlob,
    /// A byte changed, chunks reordered, dropped or repeated, the blob cut short, the wrong key
    /// or another document's blob.
    #[error("the document's stored bytes fail their integrity check")]
    Tampered,
}

fn associated(header: &[u8], document: &[u8]) -> Vec<u8> {
    [header, document].concat()
}

/// Encrypts a document pushed a piece at a time.
pub struct Sealer {
    stream: EncryptorBE32<Aes256Gcm>,
    aad: Vec<u8>,
    pending: Vec<u8>,
    hasher: Sha256,
    plain_bytes: u64,
}

impl Sealer {
    /// A sealer for `document` (its identity, authenticated with every chunk) and the header
    /// that starts its blob.
    pub fn new(key: &DataKey, document: &[u8]) -> (Self, Vec<u8>) {
        let mut prefix = [0u8; PREFIX_BYTES];
        OsRng.fill_bytes(&mut prefix);
        let chunk = u32::try_from(CHUNK_BYTES).expect("the chunk size fits in 32 bits");
        let header = [MAGIC.as_slice(), &chunk.to_be_bytes(), &prefix].concat();
        let stream = EncryptorBE32::from_aead(key.cipher(), prefix.as_slice().into());
        let sealer = Self {
            stream,
            aad: associated(&header, document),
            pending: Vec::with_capacity(CHUNK_BYTES + 1),
            hasher: Sha256::new(),
            plain_bytes: 0,
        };
        (sealer, header)
    }

    /// Takes the next plain bytes; returns the blob's bytes for every chunk now complete. A
    /// full chunk is held back until more arrives, because only then is it known not to be
    /// the last.
    pub fn push(&mut self, mut data: &[u8]) -> Vec<u8> {
        self.hasher.update(data);
        self.plain_bytes += data.len() as u64;
        let mut out = Vec::new();
        while !data.is_empty() {
            if self.pending.len() == CHUNK_BYTES {
                let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK_BYTES + 1));
                let sealed = self
                    .stream
                    .encrypt_next(Payload { msg: &chunk, aad: &self.aad })
                    .expect("a chunk within STREAM's 2^32 limit");
                out.extend_from_slice(&sealed);
            }
            let take = data.len().min(CHUNK_BYTES - self.pending.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        out
    }

    /// The last chunk (possibly empty), and the document's digest and size.
    pub fn finish(self) -> (Vec<u8>, Sealed) {
        let last = self
            .stream
            .encrypt_last(Payload { msg: &self.pending, aad: &self.aad })
            .expect("the last chunk within STREAM's limit");
        let sealed = Sealed { sha256: self.hasher.finalize().into(), plain_bytes: self.plain_bytes };
        (last, sealed)
    }
}

/// Decrypts a blob pushed a piece at a time. Plain bytes are handed out chunk by chunk, each
/// already authenticated; the whole is known good only when [`Opener::finish`] succeeds, so a
/// download must be abandoned (not completed) if it fails.
pub struct Opener {
    key: DataKey,
    document: Vec<u8>,
    stream: Option<(DecryptorBE32<Aes256Gcm>, Vec<u8>)>,
    pending: Vec<u8>,
    hasher: Sha256,
    plain_bytes: u64,
}

const SEALED_CHUNK: usize = CHUNK_BYTES + TAG_BYTES;

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer").field("plain_bytes", &self.plain_bytes).finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Opener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opener").field("plain_bytes", &self.plain_bytes).finish_non_exhaustive()
    }
}

impl Opener {
    pub fn new(key: &DataKey, document: &[u8]) -> Self {
        Self {
            key: key.clone(),
            document: document.to_vec(),
            stream: None,
            pending: Vec::with_capacity(SEALED_CHUNK + 1),
            hasher: Sha256::new(),
            plain_bytes: 0,
        }
    }

    fn start(&mut self) -> Result<(), OpenError> {
        if self.stream.is_some() || self.pending.len() < HEADER_BYTES {
            return Ok(());
        }
        let header: Vec<u8> = self.pending.drain(..HEADER_BYTES).collect();
        let chunk = u32::from_be_bytes(header[4..8].try_into().map_err(|_| OpenError::NotABlob)?);
        if &header[..4] != MAGIC || usize::try_from(chunk).ok() != Some(CHUNK_BYTES) {
            return Err(OpenError::NotABlob);
        }
        let stream = DecryptorBE32::from_aead(self.key.cipher(), header[8..].into());
        self.stream = Some((stream, associated(&header, &self.document)));
        Ok(())
    }

    /// Takes the next bytes of the blob; returns the plain bytes of every chunk now complete.
    pub fn push(&mut self, mut data: &[u8]) -> Result<Vec<u8>, OpenError> {
        let mut out = Vec::new();
        while !data.is_empty() {
            if self.stream.is_none() {
                let take = data.len().min(HEADER_BYTES - self.pending.len());
                self.pending.extend_from_slice(&data[..take]);
                data = &data[take..];
                self.start()?;
                continue;
            }
            if self.pending.len() == SEALED_CHUNK {
                let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(SEALED_CHUNK + 1));
                let (stream, aad) = self.stream.as_mut().ok_or(OpenError::NotABlob)?;
                let plain = stream
                    .decrypt_next(Payload { msg: &chunk, aad: aad.as_slice() })
                    .map_err(|_| OpenError::Tampered)?;
                self.hasher.update(&plain);
                self.plain_bytes += plain.len() as u64;
                out.extend_from_slice(&plain);
            }
            let take = data.len().min(SEALED_CHUNK - self.pending.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(out)
    }

    /// The last chunk's plain bytes, and the document's digest and size.
    pub fn finish(mut self) -> Result<(Vec<u8>, Opened), OpenError> {
        let (stream, aad) = self.stream.take().ok_or(OpenError::NotABlob)?;
        let plain = stream.decrypt_last(Payload { msg: &self.pending, aad: &aad }).map_err(|_| OpenError::Tampered)?;
        self.hasher.update(&plain);
        let opened =
            Opened { sha256: self.hasher.finalize().into(), plain_bytes: self.plain_bytes + plain.len() as u64 };
        Ok((plain, opened))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::MasterKey;
    use proptest::prelude::*;

    const DOCUMENT: [u8; 16] = [7; 16];

    fn key() -> DataKey {
        let (tenant, _) = MasterKey::generate().new_tenant_key([1; 16], 1);
        tenant.new_data_key(DOCUMENT).0
    }

    /// Seals `plain` pushed in pieces of `piece` bytes: the blob and what sealing reported.
    fn seal(key: &DataKey, plain: &[u8], piece: usize) -> (Vec<u8>, Sealed) {
        let (mut sealer, mut blob) = Sealer::new(key, &DOCUMENT);
        for part in plain.chunks(piece.max(1)) {
            blob.extend(sealer.push(part));
        }
        let (last, sealed) = sealer.finish();
        blob.extend(last);
        (blob, sealed)
    }

    fn open(key: &DataKey, document: &[u8], blob: &[u8], piece: usize) -> Result<(Vec<u8>, Opened), OpenError> {
        let mut opener = Opener::new(key, document);
        let mut plain = Vec::new();
        for part in blob.chunks(piece.max(1)) {
            plain.extend(opener.push(part)?);
        }
        let (last, opened) = opener.finish()?;
        plain.extend(last);
        Ok((plain, opened))
    }

    fn text(len: usize) -> Vec<u8> {
        (0..len).map(|i| b"Dear Sir or Madam, I write about my council tax. "[i % 49]).collect()
    }

    #[test]
    fn a_document_round_trips_and_its_blob_holds_no_plain_text() {
        let key = key();
        let plain = text(3 * CHUNK_BYTES + 123);
        let (blob, sealed) = seal(&key, &plain, 10_000);
        assert_eq!(blob.len(), HEADER_BYTES + plain.len() + 4 * TAG_BYTES);
        assert!(!blob.windows(16).any(|w| w == &plain[..16]), "no 16 plain bytes in a row survive");
        assert_eq!(sealed.sha256, <[u8; 32]>::from(Sha256::digest(&plain)));
        let (back, opened) = open(&key, &DOCUMENT, &blob, 7_777).expect("opens");
        assert_eq!(back, plain);
        assert_eq!((opened.sha256, opened.plain_bytes), (sealed.sha256, plain.len() as u64));
    }

    #[test]
    fn empty_and_exactly_one_chunk_documents_round_trip() {
        let key = key();
        for len in [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES] {
            let plain = text(len);
            let (blob, _) = seal(&key, &plain, CHUNK_BYTES);
            assert_eq!(open(&key, &DOCUMENT, &blob, 4096).expect("opens").0, plain, "{len} bytes");
        }
    }

    #[test]
    fn a_flipped_byte_swapped_chunks_and_a_cut_are_each_detected() {
        let key = key();
        let plain = text(3 * CHUNK_BYTES + 500);
        let (blob, _) = seal(&key, &plain, 65_000);
        let sealed_chunk = |i: usize| HEADER_BYTES + i * SEALED_CHUNK..HEADER_BYTES + (i + 1) * SEALED_CHUNK;

        let mut flipped = blob.clone();
        flipped[HEADER_BYTES + CHUNK_BYTES + 10] ^= 0x01;
        assert_eq!(open(&key, &DOCUMENT, &flipped, 9_000).err(), Some(OpenError::Tampered));

        let mut swapped = blob.clone();
        let (first, second) = (blob[sealed_chunk(0)].to_vec(), blob[sealed_chunk(1)].to_vec());
        swapped[sealed_chunk(0)].copy_from_slice(&second);
        swapped[sealed_chunk(1)].copy_from_slice(&first);
        assert_eq!(open(&key, &DOCUMENT, &swapped, 9_000).err(), Some(OpenError::Tampered));

        // Cut at a chunk boundary: every chunk left is whole, but none is marked last.
        let cut = &blob[..HEADER_BYTES + 2 * SEALED_CHUNK];
        assert_eq!(open(&key, &DOCUMENT, cut, 9_000).err(), Some(OpenError::Tampered));
        assert_eq!(open(&key, &DOCUMENT, &blob[..blob.len() - 1], 9_000).err(), Some(OpenError::Tampered));
        assert_eq!(open(&key, &DOCUMENT, &blob[..HEADER_BYTES], 9_000).err(), Some(OpenError::Tampered));

        let mut header = blob.clone();
        header[HEADER_BYTES - 1] ^= 0x80;
        assert_eq!(open(&key, &DOCUMENT, &header, 9_000).err(), Some(OpenError::Tampered));
        assert_eq!(open(&key, &[8; 16], &blob, 9_000).err(), Some(OpenError::Tampered), "another document's place");
        assert_eq!(open(&self::key(), &DOCUMENT, &blob, 9_000).err(), Some(OpenError::Tampered), "another key");
        assert_eq!(open(&key, &DOCUMENT, b"%PDF-1.7 not a blob at all", 9_000).err(), Some(OpenError::NotABlob));
        assert_eq!(open(&key, &DOCUMENT, &blob[..3], 9_000).err(), Some(OpenError::NotABlob));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// However the bytes arrive, in whatever pieces, the document comes back whole.
        #[test]
        fn any_pieces_round_trip(len in 0usize..200_000, seal_piece in 1usize..100_000, open_piece in 1usize..100_000) {
            let key = key();
            let plain = text(len);
            let (blob, sealed) = seal(&key, &plain, seal_piece);
            let (back, opened) = open(&key, &DOCUMENT, &blob, open_piece).expect("opens");
            prop_assert_eq!(back, plain);
            prop_assert_eq!(opened.sha256, sealed.sha256);
        }
    }
}
