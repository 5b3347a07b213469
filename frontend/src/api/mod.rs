//! The typed client of the Casedesk JSON API (`/api/v1`): one module per resource, each
//! function one operation, so the API's paths live here and nowhere else in the SPA.
//!
//! Every failure comes back as an [`api_types::Problem`] (see [`http`]); pages branch on its
//! [`api_types::ProblemCode`], the enum the server answers with.

mod http;

pub mod auth;
pub mod calendars;
pub mod customers;
pub mod documents;
pub mod jobs;
pub mod notifications;
pub mod queries;
pub mod settings;
pub mod sla;
pub mod teams;
pub mod tokens;
pub mod users;
pub mod views;
pub mod workflows;

use api_types::{CustomerPage, NotificationPage, OfficerPage, QueryPage, UserPage};

pub use http::new_idempotency_key;

/// The API's root.
const V1: &str = "/api/v1";

/// `/api/v1/<path>`.
fn at(path: &str) -> String {
    format!("{V1}/{path}")
}

/// One path segment made from an id (percent-encoded: ids from the address bar are typed text).
fn segment(id: impl ToString) -> String {
    crate::dom::url_encode(&id.to_string())
}

/// The query string of a list request, built from named parts (each value percent-encoded
/// when sent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, String)>);

impl Params {
    /// A page of at most `limit` items.
    pub fn limit(limit: u32) -> Self {
        Self(vec![("limit", limit.to_string())])
    }

    /// No parameters yet.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds `name=value`.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.0.push((name, value.to_string()));
        self
    }

    /// Continues after `cursor` (a page's `next_cursor`), if there is one.
    pub fn after(self, cursor: Option<&str>) -> Self {
        match cursor {
            Some(cursor) => self.with("cursor", cursor),
            None => self,
        }
    }

    /// Adds every part of `other`.
    pub fn and(mut self, other: Params) -> Self {
        self.0.extend(other.0);
        self
    }

    /// `?a=1&b=2`, or nothing when there are no parameters.
    pub fn encoded(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let parts: Vec<String> =
            self.0.iter().map(|(name, value)| format!("{name}={}", crate::dom::url_encode(value))).collect();
        format!("?{}", parts.join("&"))
    }
}

/// A page of a keyset-paged list: its items and the cursor of the next page, if any.
pub trait Page {
    type Item;
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
}

macro_rules! paged {
    ($($page:ty => $item:ty),* $(,)?) => {$(
        impl Page for $page {
            type Item = $item;
            fn into_parts(self) -> (Vec<$item>, Option<String>) {
                (self.items, self.next_cursor)
            }
        }
    )*};
}

paged! {
    QueryPage => api_types::Query,
    CustomerPage => api_types::Customer,
    UserPage => api_types::User,
    OfficerPage => api_types::Officer,
    NotificationPage => api_types::Notification,
}
