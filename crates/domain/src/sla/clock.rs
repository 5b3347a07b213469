//! A service-level clock on one query: when it started (the query's `received_at`, not when it
//! was logged), when it falls due and becomes "due soon", and its pauses and stop. Business
//! time is counted on the target's calendar, so a pause over a weekend gives back only the
//! working time that was left.

use super::policy::{DueSoon, SlaPolicy, TargetSpec, TargetUnit};
use crate::{SlaPolicyId, Timestamp, calendar::Calendar, query::StatusCategory};
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// Which promise a clock keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// Stops at the first response to the customer (an outbound contact note; replies later).
    FirstResponse,
    /// Stops when the query is resolved or closed.
    Resolution,
}

impl ClockKind {
    pub const ALL: [ClockKind; 2] = [Self::FirstResponse, Self::Resolution];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::FirstResponse => "first_response",
            Self::Resolution => "resolution",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// Where a clock stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    Running,
    DueSoon,
    Overdue,
    /// Waiting on the customer: not counting.
    Paused,
    /// Stopped in time.
    Met,
    /// Stopped after its due time.
    Missed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub kind: ClockKind,
    pub policy_id: SlaPolicyId,
    pub policy_version: i64,
    pub target: TargetSpec,
    pub due_soon: DueSoon,
    pub started_at: Timestamp,
    pub due_at: Timestamp,
    pub due_soon_at: Timestamp,
    pub paused_at: Option<Timestamp>,
    pub stopped_at: Option<Timestamp>,
}

/// Why a clock could not be started: its calendar has no working time within reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the calendar has too little working time to reach the due time")]
pub struct Unreachable;

fn is_calendar_time(target: &TargetSpec) -> bool {
    matches!(target.unit, TargetUnit::CalendarMinutes | TargetUnit::CalendarHours)
}

/// Working time (or, for a calendar-time target, plain time) in `[from, to)`.
fn span(calendar: &Calendar, target: &TargetSpec, from: Timestamp, to: Timestamp) -> Duration {
    if to <= from {
        return Duration::zero();
    }
    if is_calendar_time(target) {
        to.as_datetime() - from.as_datetime()
    } else {
        calendar.between(from.as_datetime(), to.as_datetime())
    }
}

/// The instant `duration` of working (or plain) time after `from`.
fn after(calendar: &Calendar, target: &TargetSpec, from: Timestamp, duration: Duration) -> Option<Timestamp> {
    let at = if is_calendar_time(target) {
        Some(from.as_datetime() + duration)
    } else {
        calendar.add(from.as_datetime(), duration)
    };
    at.map(Timestamp::from_datetime)
}

impl Clock {
    /// Starts a clock of `policy`'s `kind` target at `started_at` (the query's `received_at`).
    /// None when the policy sets no target of that kind.
    pub fn start(
        kind: ClockKind,
        policy: &SlaPolicy,
        calendar: &Calendar,
        started_at: Timestamp,
    ) -> Option<Result<Clock, Unreachable>> {
        let target = policy.definition.target(kind)?;
        let due_soon = policy.definition.due_soon;
        Some((|| {
            let due_at =
                Timestamp::from_datetime(calendar.due(started_at.as_datetime(), target.target()).ok_or(Unreachable)?);
            let due_soon_at = due_soon_time(calendar, &target, due_soon, started_at, due_at).ok_or(Unreachable)?;
            Ok(Clock {
                kind,
                policy_id: policy.id,
                policy_version: policy.version,
                target,
                due_soon,
                started_at,
                due_at,
                due_soon_at,
                paused_at: None,
                stopped_at: None,
            })
        })())
    }

    /// Counting: neither paused nor stopped.
    pub fn is_running(&self) -> bool {
        self.paused_at.is_none() && self.stopped_at.is_none()
    }

    /// Stops counting at `at` (a waiting status). No effect unless running.
    pub fn pause(&mut self, at: Timestamp) {
        if self.is_running() {
            self.paused_at = Some(at);
        }
    }

    /// Counts again from `at`: the due times move on by the working time the pause took out
    /// of what was left (a clock paused after its due time stays overdue from that time).
    pub fn resume(&mut self, at: Timestamp, calendar: &Calendar) -> Result<(), Unreachable> {
        let (Some(paused_at), None) = (self.paused_at, self.stopped_at) else {
            return Ok(());
        };
        let shift = |time: Timestamp| -> Result<Timestamp, Unreachable> {
            if time <= paused_at {
                return Ok(time);
            }
            let left = span(calendar, &self.target, paused_at, time);
            after(calendar, &self.target, at.max(paused_at), left).ok_or(Unreachable)
        };
        self.due_at = shift(self.due_at)?;
        self.due_soon_at = shift(self.due_soon_at)?;
        self.paused_at = None;
        Ok(())
    }

    /// Stops for good at `at` (responded, resolved). A paused clock stops where it paused.
    pub fn stop(&mut self, at: Timestamp) {
        if self.stopped_at.is_none() {
            self.stopped_at = Some(self.paused_at.map_or(at, |paused| paused.min(at)));
        }
    }

    /// Counts again after a stop (a resolved query reopened): like a pause that ends at `at`.
    pub fn restart(&mut self, at: Timestamp, calendar: &Calendar) -> Result<(), Unreachable> {
        if let Some(stopped) = self.stopped_at.take() {
            self.paused_at = Some(stopped);
            self.resume(at, calendar)?;
        }
        Ok(())
    }

    /// What a status change does: leaving a waiting status resumes the clock and entering one
    /// pauses it; resolving or closing stops it; reopening counts the resolution clock on from
    /// what was left. An unreachable due time keeps the old one: the clock still shows, and
    /// overdue.
    pub fn status_changed(&mut self, calendar: &Calendar, from: StatusCategory, to: StatusCategory, at: Timestamp) {
        if from == to {
            return;
        }
        if from == StatusCategory::Waiting {
            let _ = self.resume(at, calendar);
        }
        if from.is_done() && !to.is_done() && self.kind == ClockKind::Resolution {
            let _ = self.restart(at, calendar);
        }
        match to {
            StatusCategory::Waiting => self.pause(at),
            done if done.is_done() => self.stop(at),
            _ => {}
        }
    }

    /// What the first response to the customer does: stops the first-response clock (never
    /// before it started).
    pub fn responded(&mut self, at: Timestamp) {
        if self.kind == ClockKind::FirstResponse {
            self.stop(at.max(self.started_at));
        }
    }

    /// When it was breached: its due time, if that passed while it was counting.
    pub fn breached_at(&self, now: Timestamp) -> Option<Timestamp> {
        let counted_until = self.stopped_at.or(self.paused_at).unwrap_or(now);
        (self.due_at < counted_until || (self.is_running() && self.due_at <= now)).then_some(self.due_at)
    }

    pub fn state(&self, now: Timestamp) -> ClockState {
        if let Some(stopped) = self.stopped_at {
            return if stopped > self.due_at { ClockState::Missed } else { ClockState::Met };
        }
        if self.breached_at(now).is_some() {
            return ClockState::Overdue;
        }
        if self.paused_at.is_some() {
            ClockState::Paused
        } else if now >= self.due_soon_at {
            ClockState::DueSoon
        } else {
            ClockState::Running
        }
    }

    /// Working time left until due at `now` (zero once overdue), on the target's calendar.
    pub fn remaining(&self, now: Timestamp, calendar: &Calendar) -> Duration {
        let from = self.stopped_at.or(self.paused_at).unwrap_or(now);
        span(calendar, &self.target, from, self.due_at)
    }
}

/// When a clock started at `start` and due at `due` becomes due soon.
fn due_soon_time(
    calendar: &Calendar,
    target: &TargetSpec,
    due_soon: DueSoon,
    start: Timestamp,
    due: Timestamp,
) -> Option<Timestamp> {
    let allowed = span(calendar, target, start, due);
    match due_soon {
        DueSoon::Percent(percent) => {
            let part = allowed * i32::from(percent) / 100;
            after(calendar, target, start, part)
        }
        DueSoon::MinutesBefore(minutes) => {
            let before = Duration::minutes(i64::from(minutes));
            if before >= allowed {
                return Some(start);
            }
            if is_calendar_time(target) {
                Some(Timestamp::from_datetime(due.as_datetime() - before))
            } else {
                calendar.subtract(due.as_datetime(), before).map(Timestamp::from_datetime)
            }
        }
    }
}
