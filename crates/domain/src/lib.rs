//! The Casedesk domain: the vocabulary every other crate speaks.
//!
//! Values are parsed at the edge into the newtypes defined here, so that code further in can
//! trust them. Nothing in this crate does I/O.

pub mod access;
pub mod api_token;
pub mod audit;
pub mod authority;
pub mod calendar;
pub mod conflict;
pub mod customer;
pub mod document;
pub mod entra;
pub mod event;
pub mod group;
pub mod ids;
pub mod job;
pub mod note;
pub mod notification;
pub mod party;
pub mod permission;
pub mod query;
pub mod query_list;
pub mod saved_view;
pub mod search;
pub mod sign_in;
pub mod sla;
pub mod team;
pub mod tenant;
pub mod time;
pub mod user;
pub mod validation;
pub mod workflow;

pub use conflict::Conflict;
pub use ids::{
    ApiTokenId, CalendarId, CustomerId, DocumentId, EntraMappingId, GroupId, JobId, NoteId, NotificationId, QueryId,
    QueryTypeId, SessionId, SlaPolicyId, StatusId, TeamId, TenantId, UserId, ViewId, WorkflowId,
};
pub use permission::{Area, EffectivePermissions, Grant, Level};
pub use time::Timestamp;
pub use validation::{FieldError, ValidationErrors};
