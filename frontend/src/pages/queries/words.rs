//! The words and small pieces every query page shares: channel, priority and status names,
//! the status badge, and the tenant's statuses.

use crate::tasks::spawn;
use api_types::{QueryChannel, QueryPriority, QueryStatus, StatusCategory};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::session::Session;

/// Every channel, in the order the form and the filter offer them.
pub const CHANNELS: [QueryChannel; 6] = [
    QueryChannel::Phone,
    QueryChannel::Email,
    QueryChannel::Post,
    QueryChannel::DespatchBox,
    QueryChannel::InPerson,
    QueryChannel::WebForm,
];

pub const PRIORITIES: [QueryPriority; 4] =
    [QueryPriority::Low, QueryPriority::Normal, QueryPriority::High, QueryPriority::Urgent];

pub fn channel_name(channel: QueryChannel) -> &'static str {
    match channel {
        QueryChannel::Email => "Email",
        QueryChannel::Phone => "Phone",
        QueryChannel::Post => "Post",
        QueryChannel::DespatchBox => "Despatch box",
        QueryChannel::InPerson => "In person",
        QueryChannel::WebForm => "Web form",
    }
}

/// The channel's wire name (`despatch_box`), as the list filter and the address bar take it.
pub fn channel_key(channel: QueryChannel) -> &'static str {
    match channel {
        QueryChannel::Email => "email",
        QueryChannel::Phone => "phone",
        QueryChannel::Post => "post",
        QueryChannel::DespatchBox => "despatch_box",
        QueryChannel::InPerson => "in_person",
        QueryChannel::WebForm => "web_form",
    }
}

pub fn channel_from_key(key: &str) -> Option<QueryChannel> {
    CHANNELS.into_iter().find(|c| channel_key(*c) == key)
}

pub fn priority_name(priority: QueryPriority) -> &'static str {
    match priority {
        QueryPriority::Low => "Low",
        QueryPriority::Normal => "Normal",
        QueryPriority::High => "High",
        QueryPriority::Urgent => "Urgent",
    }
}

/// A badge colour per category, so a status reads the same whatever a tenant calls it. The
/// name is always printed too: colour is never the only cue (WCAG 1.4.1).
fn badge_class(category: StatusCategory) -> &'static str {
    match category {
        StatusCategory::New => "moj-badge moj-badge--blue",
        StatusCategory::Open => "moj-badge moj-badge--purple",
        StatusCategory::Waiting => "moj-badge moj-badge--red",
        StatusCategory::Resolved => "moj-badge moj-badge--green",
        StatusCategory::Closed => "moj-badge moj-badge--grey",
    }
}

/// A query's status as an MoJ badge.
#[component]
pub fn StatusBadge(status: QueryStatus) -> impl IntoView {
    view! { <strong class=badge_class(status.category)>{status.name}</strong> }
}

/// The tenant's statuses, loaded once per page; empty until they arrive (or if they cannot
/// be loaded, in which case pages show ids' names as "Unknown status").
#[derive(Clone, Copy, Debug)]
pub struct Statuses(pub RwSignal<Option<Vec<QueryStatus>>>);

impl Statuses {
    pub fn load(session: Session) -> Self {
        let statuses = Self(RwSignal::new(None));
        spawn(async move {
            match api::queries::statuses().await {
                Ok(list) => statuses.0.set(Some(list.items)),
                Err(problem) => {
                    session.notice(&problem);
                    statuses.0.set(Some(Vec::new()));
                }
            }
        });
        statuses
    }

    /// Reads them again (after an administrator changed them).
    pub fn reload(self, session: Session) {
        spawn(async move {
            match api::queries::statuses().await {
                Ok(list) => self.0.set(Some(list.items)),
                Err(problem) => session.notice(&problem),
            }
        });
    }

    /// No statuses (for a user who may not see queries: their timeline names no statuses).
    pub fn empty() -> Self {
        Self(RwSignal::new(Some(Vec::new())))
    }

    /// The status with this id (reactive).
    pub fn find(self, id: Uuid) -> Option<QueryStatus> {
        self.0.with(|list| list.as_ref().and_then(|l| l.iter().find(|s| s.id == id).cloned()))
    }

    pub fn name(self, id: Uuid) -> String {
        self.find(id).map_or_else(|| "Unknown status".to_owned(), |s| s.name)
    }
}
