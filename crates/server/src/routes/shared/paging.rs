//! Keyset pagination shared by every list: an opaque cursor (the list's tag, then the last id
//! or sort key of the page) and a bounded page size.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use domain::{FieldError, ValidationErrors};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::IntoParams;
use uuid::Uuid;

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// A checked page request: where to start after (by default an id), how many to return, and
/// the list the cursors belong to.
#[derive(Debug)]
pub struct Page<C = Uuid> {
    pub after: Option<C>,
    pub limit: u32,
    list: ListTag,
}

/// The first bytes of a hash of what selects and orders a list (its name, filter and sort),
/// written at the head of each of its cursors: a cursor made for one list and reused with
/// another sort or filter would otherwise give a wrong page without a word.
type ListTag = [u8; 4];

fn list_tag(list: &str) -> ListTag {
    let digest = Sha256::digest(list.as_bytes());
    [digest[0], digest[1], digest[2], digest[3]]
}

/// The cursor of `list` that starts after the item whose key is `bytes`, for pages made outside
/// `Page` (the customer overview's first page of queries).
pub fn cursor_for(list: &str, bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode([list_tag(list).as_slice(), bytes].concat())
}

impl PageQuery {
    /// A page of a list in id order; `list` names the list with its filter, if any.
    pub fn check(&self, errors: &mut ValidationErrors, list: &str) -> Page {
        self.check_with(errors, list, |bytes| Uuid::from_slice(bytes).ok())
    }

    /// A page of a list whose cursor is read from its bytes by `decode`.
    pub fn check_with<C>(
        &self,
        errors: &mut ValidationErrors,
        list: &str,
        decode: impl Fn(&[u8]) -> Option<C>,
    ) -> Page<C> {
        let limit = self.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            errors.push(FieldError::new("limit", "out_of_range", format!("Enter a number from 1 to {MAX_PAGE}")));
        }
        let tag = list_tag(list);
        let after = self.cursor.as_deref().filter(|c| !c.is_empty()).and_then(|cursor| {
            let bytes = URL_SAFE_NO_PAD.decode(cursor).ok();
            let parsed = bytes
                .as_deref()
                .and_then(|b| b.split_at_checked(tag.len()))
                .and_then(|(head, rest)| Some((head == tag, decode(rest)?)));
            match parsed {
                Some((true, after)) => Some(after),
                Some((false, _)) => {
                    errors.push(FieldError::new(
                        "cursor",
                        "cursor_mismatch",
                        "This cursor belongs to another sort or filter; start again from the first page",
                    ));
                    None
                }
                None => {
                    errors.push(FieldError::new("cursor", "invalid_cursor", "Use the next_cursor of a previous page"));
                    None
                }
            }
        });
        Page { after, limit: limit.clamp(1, MAX_PAGE), list: tag }
    }
}

impl<C> Page<C> {
    /// Asks storage for one more than the page, to learn whether another page follows.
    pub fn fetch_limit(&self) -> u32 {
        self.limit + 1
    }

    /// Trims the extra item and returns the cursor for the next page, if there is one.
    pub fn finish<T>(&self, items: &mut Vec<T>, id: impl Fn(&T) -> Uuid) -> Option<String> {
        self.finish_with(items, |item| id(item).as_bytes().to_vec())
    }

    /// As `finish`, with the cursor made of the bytes `encode` gives for the last item.
    pub fn finish_with<T>(&self, items: &mut Vec<T>, encode: impl Fn(&T) -> Vec<u8>) -> Option<String> {
        if items.len() <= self.limit as usize {
            return None;
        }
        items.truncate(self.limit as usize);
        items.last().map(|last| URL_SAFE_NO_PAD.encode([self.list.as_slice(), &encode(last)].concat()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(cursor: Option<String>) -> PageQuery {
        PageQuery { cursor, limit: Some(1) }
    }

    #[test]
    fn a_cursor_is_taken_only_by_the_list_that_made_it() {
        let mut errors = ValidationErrors::default();
        let first = query(None).check(&mut errors, "customers|q=smith");
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let cursor = first.finish(&mut vec![a, b], |id| *id).expect("a next page");
        let again = query(Some(cursor.clone())).check(&mut errors, "customers|q=smith");
        assert_eq!((again.after, errors.0.len()), (Some(a), 0));
        query(Some(cursor)).check(&mut errors, "customers|q=jones");
        assert_eq!(errors.0.iter().map(|e| e.code).collect::<Vec<_>>(), ["cursor_mismatch"]);
        query(Some("AAAA".into())).check(&mut errors, "customers|q=jones");
        assert_eq!(errors.0.last().map(|e| e.code), Some("invalid_cursor"));
    }
}
