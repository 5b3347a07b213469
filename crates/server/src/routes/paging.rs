//! Keyset pagination shared by every list: an opaque cursor (the last id of the page) and a
//! bounded page size.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use domain::{FieldError, ValidationErrors};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    limit: Option<u32>,
}

/// A checked page request: where to start after (by default an id), and how many to return.
#[derive(Debug)]
pub struct Page<C = Uuid> {
    pub after: Option<C>,
    pub limit: u32,
}

impl PageQuery {
    /// A page of a list in id order.
    pub fn check(&self, errors: &mut ValidationErrors) -> Page {
        self.check_with(errors, |bytes| Uuid::from_slice(bytes).ok())
    }

    /// A page of a list whose cursor is read from its bytes by `decode`.
    pub fn check_with<C>(&self, errors: &mut ValidationErrors, decode: impl Fn(&[u8]) -> Option<C>) -> Page<C> {
        let limit = self.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            errors.push(FieldError::new("limit", "out_of_range", format!("Enter a number from 1 to {MAX_PAGE}")));
        }
        let after =
            self.cursor.as_deref().filter(|c| !c.is_empty()).and_then(|cursor| {
                let decoded = URL_SAFE_NO_PAD.decode(cursor).ok().and_then(|bytes| decode(&bytes));
                errors.check(decoded.ok_or_else(|| {
                    FieldError::new("cursor", "invalid_cursor", "Use the next_cursor of a previous page")
                }))
            });
        Page { after, limit: limit.clamp(1, MAX_PAGE) }
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
        items.last().map(|last| URL_SAFE_NO_PAD.encode(encode(last)))
    }
}
