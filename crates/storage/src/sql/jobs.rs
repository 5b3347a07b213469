//! The scheduler's table: adding, claiming under a lease, finishing, and an administrator's
//! view of their tenant's jobs. See `domain::job` for the rules and migration 0027 for why the
//! table has no row-level security.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit};
use crate::{JobRepo, StorageError, StorageResult, TenantScope};
use async_trait::async_trait;
use domain::{
    Conflict, JobId, TenantId, Timestamp,
    audit::AuditEvent,
    job::{Job, JobOutcome, JobState, NewJob, backoff},
};
use serde_json::json;

const COLUMNS: &str = "id, tenant_id, kind, key, payload, state, run_at, attempts, max_attempts, lease_owner, \
                       lease_until, last_error, created_at, updated_at";

/// Written when a process stopped mid-job on its last attempt: nobody reported an error.
const LAPSED_ON_LAST_ATTEMPT: &str = "the process running the job stopped before finishing it, on its last attempt";

fn job_of(row: &impl SqlRow) -> StorageResult<Job> {
    let state = row.text("state")?;
    let count = |column: &str| -> StorageResult<u32> { Ok(u32::try_from(row.int(column)?).unwrap_or(0)) };
    Ok(Job {
        id: JobId::from_uuid(row.uuid("id")?),
        tenant_id: row.opt_uuid("tenant_id")?.map(TenantId::from_uuid),
        kind: row.text("kind")?,
        key: row.text("key")?,
        payload: serde_json::from_str(&row.text("payload")?)
            .map_err(|e| StorageError::Backend(format!("jobs.payload: {e}").into()))?,
        state: JobState::parse(&state)
            .ok_or_else(|| StorageError::Backend(format!("jobs.state: unknown state {state}").into()))?,
        run_at: row.time("run_at")?,
        attempts: count("attempts")?,
        max_attempts: count("max_attempts")?,
        lease_owner: row.opt_text("lease_owner")?,
        lease_until: row.opt_time("lease_until")?,
        last_error: row.opt_text("last_error")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

/// The running job `id` if `owner` holds its lease, locked until the transaction ends.
async fn held<C: SqlConn>(conn: &mut C, id: JobId, owner: &str) -> StorageResult<Option<Job>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs WHERE id = $1 AND lease_owner = $2 AND state = 'running'{}",
        C::DIALECT.for_update
    );
    conn.fetch_optional(Stmt::new(sql).bind(id.as_uuid()).bind(owner)).await?.as_ref().map(job_of).transpose()
}

/// Where a finished run leaves the job: (state, run_at, attempts, last_error).
fn after_run(job: &Job, outcome: JobOutcome, now: Timestamp) -> (JobState, Timestamp, u32, Option<String>) {
    match outcome {
        JobOutcome::Done => (JobState::Done, job.run_at, job.attempts, None),
        JobOutcome::Again(at) => (JobState::Pending, at, 0, None),
        JobOutcome::Failed(error) if job.attempts < job.max_attempts => {
            let wait = i64::try_from(backoff(job.attempts).as_secs()).unwrap_or(i64::MAX);
            (JobState::Pending, now.plus_seconds(wait), job.attempts, Some(error))
        }
        JobOutcome::Failed(error) => (JobState::Failed, job.run_at, job.attempts, Some(error)),
    }
}

/// Adds a job inside the caller's transaction (so it is queued only if the change asking for
/// it commits); false when one of its kind and key is already there.
pub async fn insert_job(conn: &mut impl SqlConn, new: NewJob) -> StorageResult<bool> {
    let now = Timestamp::now();
    let insert = Stmt::new(format!(
        "INSERT INTO jobs ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, 'pending', $6, 0, $7, NULL, NULL, NULL, $8, $8)
         ON CONFLICT (kind, key) DO NOTHING"
    ))
    .bind(JobId::new().as_uuid())
    .bind(new.tenant_id.map(|t| t.as_uuid()))
    .bind(new.kind)
    .bind(new.key)
    .bind(new.payload.to_string())
    .bind(new.run_at)
    .bind(new.max_attempts)
    .bind(now);
    Ok(conn.execute(insert).await? == 1)
}

#[async_trait]
impl<S: SqlBackend> JobRepo for S {
    async fn enqueue_job(&self, new: NewJob) -> StorageResult<bool> {
        let mut tx = self.write_unscoped().await?;
        let added = insert_job(&mut tx, new).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn claim_jobs(
        &self,
        owner: &str,
        kinds: &[&str],
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StorageResult<Vec<Job>> {
        let mut tx = self.write_unscoped().await?;
        let mut out_of_attempts = Stmt::new("");
        let (at, error) = (out_of_attempts.push(now), out_of_attempts.push(LAPSED_ON_LAST_ATTEMPT));
        let listed = out_of_attempts.push_list(kinds.iter().copied());
        out_of_attempts.sql = format!(
            "UPDATE jobs SET state = 'failed', lease_owner = NULL, lease_until = NULL, last_error = {error},
                    updated_at = {at}
             WHERE state = 'running' AND lease_until < {at} AND attempts >= max_attempts AND kind IN ({listed})"
        )
        .into();
        tx.execute(out_of_attempts).await?;
        let mut claim = Stmt::new("");
        let (owner, until, at) = (claim.push(owner), claim.push(lease_until), claim.push(now));
        let limit = claim.push(limit);
        let listed = claim.push_list(kinds.iter().copied());
        claim.sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = {owner}, lease_until = {until},
                    updated_at = {at}
             WHERE id IN (SELECT id FROM jobs
                          WHERE run_at <= {at} AND (state = 'pending' OR (state = 'running' AND lease_until < {at}))
                                AND kind IN ({listed})
                          ORDER BY run_at LIMIT {limit}{})
             RETURNING {COLUMNS}",
            S::Tx::DIALECT.skip_locked
        )
        .into();
        let rows = tx.fetch_all(claim).await?;
        tx.commit().await?;
        let mut jobs = rows.iter().map(job_of).collect::<StorageResult<Vec<_>>>()?;
        jobs.sort_by_key(|job| (job.run_at, job.id));
        Ok(jobs)
    }

    async fn finish_job(&self, id: JobId, owner: &str, outcome: JobOutcome, now: Timestamp) -> StorageResult<bool> {
        let mut tx = self.write_unscoped().await?;
        let Some(job) = held(&mut tx, id, owner).await? else {
            return Ok(false);
        };
        let (state, run_at, attempts, last_error) = after_run(&job, outcome, now);
        let update = Stmt::new(
            "UPDATE jobs SET state = $2, run_at = $3, attempts = $4, last_error = $5, lease_owner = NULL,
                    lease_until = NULL, updated_at = $6
             WHERE id = $1",
        )
        .bind(id.as_uuid())
        .bind(state.as_str())
        .bind(run_at)
        .bind(attempts)
        .bind(last_error)
        .bind(now);
        tx.execute(update).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn tenant_jobs(&self, scope: &TenantScope, state: Option<JobState>, limit: u32) -> StorageResult<Vec<Job>> {
        let mut stmt = Stmt::new("");
        let tenant = stmt.push(scope.tenant_id.as_uuid());
        let in_state = match state {
            Some(state) => format!(" AND state = {}", stmt.push(state.as_str())),
            None => String::new(),
        };
        let limit = stmt.push(limit);
        stmt.sql = format!(
            "SELECT {COLUMNS} FROM jobs WHERE tenant_id = {tenant}{in_state} ORDER BY updated_at DESC, id DESC LIMIT {limit}"
        )
        .into();
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(job_of).collect()
    }

    async fn retry_job(&self, scope: &TenantScope, id: JobId) -> StorageResult<Job> {
        let mut tx = self.write(scope.tenant_id).await?;
        let sql = format!("SELECT {COLUMNS} FROM jobs WHERE tenant_id = $1 AND id = $2{}", S::Tx::DIALECT.for_update);
        let row = tx.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
        let job = row.as_ref().map(job_of).transpose()?.ok_or(StorageError::NotFound)?;
        if job.state != JobState::Failed {
            // Ended now rather than rolled back when dropped (which the driver does later):
            // until then the row stays locked and the scheduler's claims would skip it.
            tx.commit().await?;
            return Err(Conflict::JobNotFailed.into());
        }
        let now = Timestamp::now();
        let update = Stmt::new(
            "UPDATE jobs SET state = 'pending', run_at = $2, attempts = 0, last_error = NULL, updated_at = $2
             WHERE id = $1",
        )
        .bind(id.as_uuid())
        .bind(now);
        tx.execute(update).await?;
        let event = AuditEvent::new("job.retried", "job", id.as_uuid(), json!({"kind": job.kind}));
        audit::append(&mut tx, scope, &event).await?;
        tx.commit().await?;
        Ok(Job { state: JobState::Pending, run_at: now, attempts: 0, last_error: None, updated_at: now, ..job })
    }

    async fn purge_finished_jobs(&self, before: Timestamp) -> StorageResult<u64> {
        let stmt = Stmt::new("DELETE FROM jobs WHERE state = 'done' AND updated_at < $1").bind(before);
        let mut tx = self.write_unscoped().await?;
        let purged = tx.execute(stmt).await?;
        tx.commit().await?;
        Ok(purged)
    }
}
