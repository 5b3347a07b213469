//! Service-level alerts (issue 15, item 5): a recurring sweep sends each organisation's due
//! alerts (exactly once: see `storage::SlaAlertRepo`) and tells the recipients' open pages, and
//! a daily job at 07:00 UK time gives team leaders the count of their team's overdue work.

use super::JobHandler;
use crate::live::LiveEvents;
use domain::{
    TenantId, Timestamp, UserId,
    job::{Job, JobOutcome, NewJob},
};
use futures_util::future::BoxFuture;
use std::{sync::Arc, time::Duration};
use storage::{Store, TenantScope};

const SWEEP: &str = "sla.alerts";
const DIGEST: &str = "sla.digest";
/// Clocks handled per transaction: small enough that a sweep never holds many rows for long.
const BATCH: u32 = 200;
/// Batches per organisation in one run before the others get their turn; the run is then
/// repeated at once (a backlog after downtime is worked through in a few runs, not one).
const BATCHES_PER_RUN: usize = 25;
/// When leaders get the day's digest, UK time.
const DIGEST_HOUR: u32 = 7;

fn tell(live: &LiveEvents, tenant: TenantId, users: &[UserId]) {
    for user in users {
        live.notify(tenant, *user);
    }
}

/// The sweep: every `every`, each organisation's due alerts.
pub struct AlertSweep {
    pub live: Arc<LiveEvents>,
    pub every: Duration,
}

impl AlertSweep {
    /// Sweeps every organisation; whether some still had alerts waiting at the end.
    async fn sweep(&self, store: &dyn Store, now: Timestamp) -> storage::StorageResult<bool> {
        let mut behind = false;
        for tenant in store.list_tenants().await? {
            let scope = TenantScope::system(tenant.id);
            let mut batches = 0;
            loop {
                let sent = store.send_due_alerts(&scope, now, BATCH).await?;
                tell(&self.live, tenant.id, &sent.recipients);
                batches += 1;
                if !sent.more {
                    break;
                }
                if batches == BATCHES_PER_RUN {
                    behind = true;
                    break;
                }
            }
        }
        Ok(behind)
    }
}

impl JobHandler for AlertSweep {
    fn kind(&self) -> &'static str {
        SWEEP
    }

    fn run<'a>(&'a self, store: &'a dyn Store, _job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        Box::pin(async move {
            let now = Timestamp::now();
            let every = i64::try_from(self.every.as_millis()).unwrap_or(i64::MAX);
            let next = Timestamp::from_micros(now.as_micros().saturating_add(every.saturating_mul(1_000)));
            match self.sweep(store, now).await {
                Ok(true) => JobOutcome::Again(now),
                Ok(false) => JobOutcome::Again(next),
                // Never failed for good: alerts must keep flowing, and the next sweep starts
                // where this one stopped (what it sent is in the ledger).
                Err(error) => {
                    tracing::warn!(%error, "the alert sweep failed; the next one tries again");
                    JobOutcome::Again(next)
                }
            }
        })
    }

    fn recurring(&self, now: Timestamp) -> Option<NewJob> {
        Some(NewJob::new(None, SWEEP, "sweep", now))
    }
}

/// The leaders' daily digest of their teams' overdue work.
pub struct OverdueDigest {
    pub live: Arc<LiveEvents>,
}

impl OverdueDigest {
    async fn send(&self, store: &dyn Store, now: Timestamp) -> storage::StorageResult<()> {
        let day = now.uk_date();
        for tenant in store.list_tenants().await? {
            let told = store.send_overdue_digests(&TenantScope::system(tenant.id), &day, now).await?;
            tell(&self.live, tenant.id, &told);
        }
        Ok(())
    }
}

impl JobHandler for OverdueDigest {
    fn kind(&self) -> &'static str {
        DIGEST
    }

    fn run<'a>(&'a self, store: &'a dyn Store, _job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        Box::pin(async move {
            let now = Timestamp::now();
            match self.send(store, now).await {
                Ok(()) => JobOutcome::Again(now.next_uk_hour(DIGEST_HOUR)),
                // Teams already told today are not told again (`sla_digests`).
                Err(error) => {
                    tracing::warn!(%error, "the overdue digest failed; trying again in ten minutes");
                    JobOutcome::Again(now.plus_seconds(600))
                }
            }
        })
    }

    fn recurring(&self, now: Timestamp) -> Option<NewJob> {
        Some(NewJob::new(None, DIGEST, "daily", now.next_uk_hour(DIGEST_HOUR)))
    }
}
