//! Search terms for a document's text (issue 16, item 6), kept so that the database holds
//! nothing of a letter that can be read without the tenant's key: each distinct word becomes
//! a keyed hash (HMAC-SHA256 under a key derived from the tenant's key, cut to 16 bytes). A
//! search hashes its words the same way and looks for documents holding every one. The text
//! itself is never stored; deleting a document's terms with its key leaves nothing of it.
//!
//! What this gives away to someone holding the database but not the keys: how many distinct
//! words a document has, and which documents share a word (not which word). Rejected: the
//! text encrypted beside a plain full-text index (the index is the text), and the text
//! encrypted alone (no search without decrypting every document).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;
use zeroize::Zeroizing;

/// A term's length: 128 bits, so two words sharing a term is never expected.
pub const TERM_BYTES: usize = 16;
/// The most distinct words kept of one document (a long letter has two or three thousand).
pub const MOST_WORDS: usize = 20_000;
/// Words shorter than this (in characters) are not searched: single letters and digits match
/// nearly everything.
const SHORTEST: usize = 2;
/// Longer "words" are OCR noise or encoded data, never searched for.
const LONGEST: usize = 40;
/// Words in nearly every letter: kept out of the terms and out of searches, so a phrase such
/// as "the state of the road" looks only for "state" and "road".
const COMMON: [&str; 32] = [
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he", "her", "his", "if", "in",
    "is", "it", "its", "of", "on", "or", "our", "she", "that", "the", "this", "to", "was", "we", "with",
];

/// The key a tenant's terms are made with at one version of its key ([`crate::TenantKey::term_key`]).
pub struct TermKey {
    secret: Zeroizing<[u8; 32]>,
    version: u32,
}

type HmacSha256 = Hmac<Sha256>;

impl TermKey {
    pub(crate) fn derive(tenant_secret: &[u8], purpose: &[u8], version: u32) -> Self {
        let mut mac = HmacSha256::new_from_slice(tenant_secret).expect("HMAC takes a key of any length");
        mac.update(purpose);
        let mut secret = Zeroizing::new([0u8; 32]);
        secret.copy_from_slice(&mac.finalize().into_bytes());
        Self { secret, version }
    }

    /// The version of the tenant key this was derived from: terms are stored with it, so a
    /// search after a rotation still finds documents read before it.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The term for one word as [`words`] gives it.
    pub fn term(&self, word: &str) -> Vec<u8> {
        let mut mac = HmacSha256::new_from_slice(self.secret.as_ref()).expect("HMAC takes a key of any length");
        mac.update(word.as_bytes());
        mac.finalize().into_bytes()[..TERM_BYTES].to_vec()
    }

    pub fn terms(&self, words: &[String]) -> Vec<Vec<u8>> {
        words.iter().map(|word| self.term(word)).collect()
    }
}

impl std::fmt::Debug for TermKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TermKey(redacted)")
    }
}

/// The distinct words of `text` that search uses, in the order they first appear, at most
/// [`MOST_WORDS`]: compatibility forms folded (NFKC: the ligature "ﬁ" OCR gives is "fi"),
/// lower-cased, split at Unicode word boundaries, without the shortest, the longest and the
/// most common. Documents and searches go through the same steps.
pub fn words(text: &str) -> Vec<String> {
    let folded: String = text.nfkc().collect::<String>().to_lowercase();
    let mut seen = std::collections::HashSet::new();
    folded
        .unicode_words()
        .filter(|word| (SHORTEST..=LONGEST).contains(&word.chars().count()) && !COMMON.contains(word))
        .filter(|word| seen.insert(*word))
        .take(MOST_WORDS)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MasterKey;

    #[test]
    fn words_are_folded_lower_cased_distinct_and_without_the_commonest() {
        assert_eq!(
            words("The  ﬁrst Letter: a LETTER about the road at 12 High St., SW1A 1AA; 5 potholes!"),
            ["first", "letter", "about", "road", "12", "high", "st", "sw1a", "1aa", "potholes"]
        );
        assert_eq!(words("Café, café"), ["café"]);
        assert!(words("a I 5 — the of").is_empty());
        let noise = "x".repeat(LONGEST + 1);
        assert_eq!(words(&format!("{noise} kept")), ["kept"]);
    }

    #[test]
    fn a_document_keeps_at_most_its_first_distinct_words() {
        let text: String = (0..MOST_WORDS + 5).map(|n| format!("w{n} ")).collect();
        let kept = words(&text);
        assert_eq!(kept.len(), MOST_WORDS);
        assert_eq!(kept.last().map(String::as_str), Some(format!("w{}", MOST_WORDS - 1).as_str()));
    }

    #[test]
    fn terms_are_the_same_for_a_word_and_differ_by_tenant_and_key_version() {
        let master = MasterKey::generate();
        let (tenant, wrapped) = master.new_tenant_key([1; 16], 1);
        let key = tenant.term_key();
        let again = master.tenant_key([1; 16], 1, &wrapped).expect("unwraps").term_key();
        assert_eq!(key.term("pothole"), again.term("pothole"), "the same tenant key, unwrapped again");
        assert_eq!(key.term("pothole").len(), TERM_BYTES);
        assert_ne!(key.term("pothole"), key.term("potholes"));
        assert_ne!(key.term("pothole"), master.new_tenant_key([2; 16], 1).0.term_key().term("pothole"), "tenant");
        let next = master.new_tenant_key([1; 16], 2).0.term_key();
        assert_eq!(next.version(), 2);
        assert_ne!(key.term("pothole"), next.term("pothole"), "version");
        assert!(!key.term("pothole").windows(4).any(|w| w == b"poth"), "hashed, not encoded");
        assert_eq!(format!("{key:?}"), "TermKey(redacted)");
    }
}
