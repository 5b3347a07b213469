//! The scheduler's jobs as administrators see them: what is waiting, running or has failed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for its time (or for a retry after a failure).
    Pending,
    /// A server process is working on it.
    Running,
    /// Finished.
    Done,
    /// Out of attempts; an administrator may retry it.
    Failed,
}

/// One job of the organisation's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    pub id: Uuid,
    /// What the job does, e.g. `sla.alerts`.
    pub kind: String,
    pub state: JobState,
    /// When it runs next (pending), or last became due.
    pub run_at: DateTime<Utc>,
    /// Attempts made, counting one running now.
    pub attempts: u32,
    pub max_attempts: u32,
    /// Until when the process working on it holds it (running only).
    pub lease_until: Option<DateTime<Utc>>,
    /// What went wrong last time.
    pub last_error: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobList {
    /// Most recently changed first, at most 200.
    pub items: Vec<Job>,
}
