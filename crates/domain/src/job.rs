//! Time-driven work (issue 15, item 9): a job is a row in the scheduler's table that some
//! server process claims under a lease, runs, and finishes. SLA alerts, digests and later
//! document scans, mail polling and reports all run as jobs, so the rules for retrying and
//! for taking over a crashed process's work live here once.

use crate::{JobId, TenantId, Timestamp};
use serde::Serialize;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for its `run_at`.
    Pending,
    /// Claimed by a process whose lease has not lapsed.
    Running,
    /// Finished; a one-off job stays for the record until purged.
    Done,
    /// Out of attempts: an administrator can look at the error and retry it.
    Failed,
}

impl JobState {
    pub const ALL: [JobState; 4] = [Self::Pending, Self::Running, Self::Done, Self::Failed];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A job to add. `kind` names its handler; `key` makes it unique within the kind, so that
/// asking twice for the same work (two processes starting, a retry of a request) adds it once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub tenant_id: Option<TenantId>,
    pub kind: String,
    pub key: String,
    /// Identifiers and settings only, never case content or personal data: the table has no
    /// row-level security because processes claim work before they know whose it is.
    pub payload: serde_json::Value,
    pub run_at: Timestamp,
    pub max_attempts: u32,
}

impl NewJob {
    pub fn new(tenant_id: Option<TenantId>, kind: &str, key: impl Into<String>, run_at: Timestamp) -> Self {
        Self {
            tenant_id,
            kind: kind.to_owned(),
            key: key.into(),
            payload: serde_json::Value::Null,
            run_at,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }
}

/// How many times a job is tried before it is marked failed.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub tenant_id: Option<TenantId>,
    pub kind: String,
    pub key: String,
    pub payload: serde_json::Value,
    pub state: JobState,
    pub run_at: Timestamp,
    /// Attempts made so far, counting the one running.
    pub attempts: u32,
    pub max_attempts: u32,
    pub lease_owner: Option<String>,
    pub lease_until: Option<Timestamp>,
    /// What went wrong last time, in words an administrator can act on (never case content).
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// How a run ended, as the handler reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Finished for good.
    Done,
    /// Finished this time; run again at the given time (recurring work). Attempts start over.
    Again(Timestamp),
    /// Went wrong: retried after [`backoff`] while attempts remain, else failed.
    Failed(String),
}

/// How long to wait before attempt `attempts + 1` after `attempts` failed ones: 30 seconds,
/// doubling, at most an hour, so a fault outside us (a mail server down) is not hammered and
/// a passing one is retried soon.
pub fn backoff(attempts: u32) -> std::time::Duration {
    let doublings = attempts.saturating_sub(1).min(7);
    std::time::Duration::from_secs((30u64 << doublings).min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_to_an_hour() {
        let secs: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(0).as_secs(), 30);
    }

    #[test]
    fn states_parse_what_they_print() {
        for state in JobState::ALL {
            assert_eq!(JobState::parse(state.as_str()), Some(state));
        }
        assert_eq!(JobState::parse("waiting"), None);
    }
}
