//! Re-timing a policy's open queries when an administrator asks (issue 15, item 3): a job per
//! request, worked through in short batches. Each query is re-timed in its own transaction and
//! then carries the policy's current version, so a run that stops (a restart, a lapsed lease)
//! is simply run again and goes on with the queries still on an earlier version.

use super::JobHandler;
use domain::{
    SlaPolicyId, Timestamp,
    job::{Job, JobOutcome},
};
use futures_util::future::BoxFuture;
use storage::{RETIME_JOB, StorageError, Store, TenantScope};

/// Queries per call to the store.
const BATCH: u32 = 50;
/// Batches per run before other jobs get a turn; the job then runs again at once.
const BATCHES_PER_RUN: usize = 40;

pub struct Retime;

impl Retime {
    async fn run_batches(&self, store: &dyn Store, job: &Job) -> Result<bool, String> {
        let tenant = job.tenant_id.ok_or("the job names no organisation")?;
        let policy = job
            .payload
            .get("policy_id")
            .and_then(|id| id.as_str())
            .and_then(|id| id.parse::<uuid::Uuid>().ok())
            .map(SlaPolicyId::from_uuid)
            .ok_or("the job names no policy")?;
        let scope = TenantScope::system(tenant);
        for _ in 0..BATCHES_PER_RUN {
            match store.retime_open_queries(&scope, policy, BATCH).await {
                Ok(0) => return Ok(false),
                Ok(_) => {}
                Err(StorageError::NotFound) => return Err("the policy no longer exists".into()),
                Err(error) => {
                    tracing::warn!(%error, "re-timing open queries failed");
                    return Err("the database refused the re-timing; it will be tried again".into());
                }
            }
        }
        Ok(true)
    }
}

impl JobHandler for Retime {
    fn kind(&self) -> &'static str {
        RETIME_JOB
    }

    fn run<'a>(&'a self, store: &'a dyn Store, job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        Box::pin(async move {
            match self.run_batches(store, job).await {
                Ok(true) => JobOutcome::Again(Timestamp::now()),
                Ok(false) => JobOutcome::Done,
                Err(reason) => JobOutcome::Failed(reason),
            }
        })
    }
}
