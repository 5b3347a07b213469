//! Alerts about counting clocks (issue 15, item 5): "due soon" once a clock reaches its
//! due-soon point, "overdue" at its due time. Each is sent once per due time; the sweep that
//! sends them looks at a clock only when the next alert could be due (`first_look`,
//! `next_look`), so its work follows the alerts, not the number of open queries.

use super::{Clock, ClockKind};
use crate::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    DueSoon,
    Overdue,
}

impl AlertKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::DueSoon, Self::Overdue].into_iter().find(|k| k.as_str() == raw)
    }
}

/// The alert a clock calls for at `now`, if any. Once the due time has passed only "overdue"
/// is: after downtime, a "due soon" for a query already late would be noise sent too late.
pub fn alert_due(clock: &Clock, now: Timestamp) -> Option<AlertKind> {
    if !clock.is_running() {
        None
    } else if now >= clock.due_at {
        Some(AlertKind::Overdue)
    } else if now >= clock.due_soon_at {
        Some(AlertKind::DueSoon)
    } else {
        None
    }
}

/// When the sweep should first look at a clock just written: at its due-soon time while it
/// counts, never while it is paused or stopped. (Writing a clock again whose alert was already
/// sent is harmless: the ledger of sent alerts holds it once.)
pub fn first_look(clock: &Clock) -> Option<Timestamp> {
    clock.is_running().then_some(clock.due_soon_at)
}

/// Where the sweep would have left a clock by `now` had it run all along: what a loader of
/// past history (the seed) writes, so that the first sweep does not send a backlog of alerts
/// for history.
pub fn settled_look(clock: &Clock, now: Timestamp) -> Option<Timestamp> {
    match alert_due(clock, now) {
        None => first_look(clock),
        Some(sent) => next_look(clock, sent).filter(|at| *at > now),
    }
}

/// When to look again after `sent`: at the due time after "due soon", never after "overdue".
pub fn next_look(clock: &Clock, sent: AlertKind) -> Option<Timestamp> {
    match sent {
        AlertKind::DueSoon => Some(clock.due_at),
        AlertKind::Overdue => None,
    }
}

/// What an alert says, in UK time: "First response is due by 2:30pm on 4 December 2026."
pub fn message(kind: AlertKind, clock: &Clock) -> String {
    let what = match clock.kind {
        ClockKind::FirstResponse => "First response",
        ClockKind::Resolution => "Resolution",
    };
    let due = clock.due_at.as_datetime().with_timezone(&chrono_tz::Europe::London).format("%-I:%M%P on %-d %B %Y");
    match kind {
        AlertKind::DueSoon => format!("{what} is due by {due}."),
        AlertKind::Overdue => format!("{what} was due by {due}."),
    }
}
