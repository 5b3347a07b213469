//! The daily tidy-up: idempotency keys older than a week and jobs finished more than 30 days
//! ago are forgotten, so neither table grows without end.

use super::JobHandler;
use domain::{
    Timestamp,
    job::{Job, JobOutcome, NewJob},
};
use futures_util::future::BoxFuture;
use storage::{Store, TenantScope};

const KIND: &str = "housekeeping";
const DAY_SECS: i64 = 24 * 3600;
/// How long a create's `Idempotency-Key` is remembered (docs/api.md).
pub const IDEMPOTENCY_KEPT_SECS: i64 = 7 * DAY_SECS;
/// How long a finished job stays visible to administrators.
pub const FINISHED_JOBS_KEPT_SECS: i64 = 30 * DAY_SECS;

pub struct Housekeeping;

impl Housekeeping {
    async fn tidy(store: &dyn Store, now: Timestamp) -> storage::StorageResult<()> {
        let keys_before = now.plus_seconds(-IDEMPOTENCY_KEPT_SECS);
        for tenant in store.list_tenants().await? {
            store.purge_idempotency_keys(&TenantScope::system(tenant.id), keys_before).await?;
        }
        store.purge_finished_jobs(now.plus_seconds(-FINISHED_JOBS_KEPT_SECS)).await?;
        Ok(())
    }
}

impl JobHandler for Housekeeping {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn run<'a>(&'a self, store: &'a dyn Store, _job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        Box::pin(async move {
            let now = Timestamp::now();
            match Self::tidy(store, now).await {
                Ok(()) => JobOutcome::Again(now.plus_seconds(DAY_SECS)),
                // Never failed for good: it is nobody's to retry (no organisation sees it), and
                // a failed recurring job would not be added again. An hour later it tries again.
                Err(error) => {
                    tracing::warn!(%error, "housekeeping failed; trying again in an hour");
                    JobOutcome::Again(now.plus_seconds(3600))
                }
            }
        })
    }

    fn recurring(&self, now: Timestamp) -> Option<NewJob> {
        Some(NewJob::new(None, KIND, "daily", now))
    }
}
