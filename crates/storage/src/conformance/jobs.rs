//! The scheduler's table: each job claimed by one process at a time, taken over when its
//! holder's lease lapses, retried with backoff, and failed for an administrator to retry.

use super::{DynStore, admin_scope, tenant};
use crate::StorageError;
use domain::{
    Conflict, Timestamp,
    job::{JobOutcome, JobState, NewJob},
};
use std::collections::HashSet;

/// Each test claims only its own kind of job: the suite's tests share one database on
/// PostgreSQL, and a claim takes whatever of its kinds is due.
fn at(seconds: i64) -> Timestamp {
    Timestamp::from_micros(1_900_000_000_000_000 + seconds * 1_000_000)
}

/// Added once per kind and key; claimed by one owner; finished only by its holder; seen by
/// its own tenant's administrators only.
pub async fn jobs_are_added_once_and_claimed_by_one_owner(store: DynStore) {
    let (home, admin) = tenant(&store).await;
    let (_, stranger) = tenant(&store).await;
    let job = NewJob::new(Some(home.id), "test.once", "one", at(0));
    assert!(store.enqueue_job(job.clone()).await.unwrap());
    assert!(!store.enqueue_job(job).await.unwrap(), "the same kind and key is added once");
    assert!(store.enqueue_job(NewJob::new(Some(home.id), "test.once", "later", at(100))).await.unwrap());

    let claimed = store.claim_jobs("a", &["test.once"], at(10), at(40), 10).await.unwrap();
    assert_eq!(claimed.len(), 1, "the job due later is not claimed yet");
    let first = &claimed[0];
    assert_eq!((first.key.as_str(), first.state, first.attempts), ("one", JobState::Running, 1));
    assert_eq!((first.lease_owner.as_deref(), first.lease_until), (Some("a"), Some(at(40))));
    assert!(store.claim_jobs("b", &["test.once"], at(11), at(41), 10).await.unwrap().is_empty(), "held by a");
    assert!(!store.finish_job(first.id, "b", JobOutcome::Done, at(12)).await.unwrap(), "b holds no lease");
    assert!(store.finish_job(first.id, "a", JobOutcome::Done, at(12)).await.unwrap());
    assert!(!store.finish_job(first.id, "a", JobOutcome::Done, at(13)).await.unwrap(), "finished once");
    assert!(store.claim_jobs("b", &["test.once"], at(50), at(80), 10).await.unwrap().is_empty(), "done stays done");

    let seen = store.tenant_jobs(&admin_scope(&admin), Some(JobState::Done), 10).await.unwrap();
    assert_eq!(seen.iter().map(|j| j.id).collect::<Vec<_>>(), vec![first.id]);
    assert_eq!(store.tenant_jobs(&admin_scope(&admin), None, 10).await.unwrap().len(), 2);
    assert!(store.tenant_jobs(&admin_scope(&stranger), None, 10).await.unwrap().is_empty(), "another tenant's");

    // Housekeeping forgets finished jobs, never unfinished ones.
    assert_eq!(store.purge_finished_jobs(at(12)).await.unwrap(), 0, "finished at, not before, 12 s");
    assert_eq!(store.purge_finished_jobs(at(13)).await.unwrap(), 1);
    let left = store.tenant_jobs(&admin_scope(&admin), None, 10).await.unwrap();
    assert_eq!(left.iter().map(|j| j.key.as_str()).collect::<Vec<_>>(), ["later"]);
}

/// Housekeeping forgets a tenant's idempotency keys once they are old, and only that tenant's.
pub async fn old_idempotency_keys_are_purged_per_tenant(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let (_, other) = tenant(&store).await;
    for scope in [admin_scope(&admin), admin_scope(&other)] {
        store.begin_idempotent(&scope, "key-1", &[7; 32]).await.unwrap();
    }
    let before_them = Timestamp::now().plus_seconds(-3600);
    assert_eq!(store.purge_idempotency_keys(&admin_scope(&admin), before_them).await.unwrap(), 0, "not old yet");
    let after_them = Timestamp::now().plus_seconds(1);
    assert_eq!(store.purge_idempotency_keys(&admin_scope(&admin), after_them).await.unwrap(), 1);
    assert_eq!(store.purge_idempotency_keys(&admin_scope(&admin), after_them).await.unwrap(), 0);
    assert_eq!(store.purge_idempotency_keys(&admin_scope(&other), after_them).await.unwrap(), 1, "its own kept");
}

/// A holder that stops mid-job loses the job when its lease lapses; failures back off and
/// then fail the job; an administrator's retry starts it over; recurring work runs again.
pub async fn lapsed_leases_are_taken_over_and_failures_back_off(store: DynStore) {
    let (home, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let new = NewJob { max_attempts: 3, ..NewJob::new(Some(home.id), "test.flaky", "flaky", at(0)) };
    store.enqueue_job(new).await.unwrap();
    let id = store.claim_jobs("crashed", &["test.flaky"], at(0), at(30), 1).await.unwrap()[0].id;

    assert!(
        store.claim_jobs("b", &["test.flaky"], at(29), at(59), 1).await.unwrap().is_empty(),
        "the lease still holds"
    );
    let taken = store.claim_jobs("b", &["test.flaky"], at(31), at(61), 1).await.unwrap();
    assert_eq!((taken[0].id, taken[0].attempts, taken[0].lease_owner.as_deref()), (id, 2, Some("b")));
    assert!(!store.finish_job(id, "crashed", JobOutcome::Done, at(32)).await.unwrap(), "its lease was taken over");

    assert!(store.finish_job(id, "b", JobOutcome::Failed("mail server refused".into()), at(40)).await.unwrap());
    let waiting = &store.tenant_jobs(&scope, None, 1).await.unwrap()[0];
    assert_eq!(waiting.state, JobState::Pending);
    assert_eq!(waiting.run_at, at(100), "the second failure waits 60 s");
    assert_eq!(waiting.last_error.as_deref(), Some("mail server refused"));
    assert!(store.claim_jobs("b", &["test.flaky"], at(99), at(129), 1).await.unwrap().is_empty(), "backing off");

    // The third and last attempt's holder stops too: the job fails rather than run a fourth.
    assert_eq!(store.claim_jobs("c", &["test.flaky"], at(100), at(130), 1).await.unwrap()[0].attempts, 3);
    assert!(store.claim_jobs("d", &["test.flaky"], at(131), at(161), 1).await.unwrap().is_empty(), "out of attempts");
    let failed = &store.tenant_jobs(&scope, Some(JobState::Failed), 1).await.unwrap()[0];
    assert_eq!((failed.id, failed.lease_owner.as_ref()), (id, None));
    assert!(failed.last_error.as_deref().unwrap_or_default().contains("stopped before finishing"));

    let (_, stranger) = tenant(&store).await;
    assert!(matches!(store.retry_job(&admin_scope(&stranger), id).await, Err(StorageError::NotFound)));
    let retried = store.retry_job(&scope, id).await.unwrap();
    assert_eq!((retried.state, retried.attempts, retried.last_error), (JobState::Pending, 0, None));
    let again = store.retry_job(&scope, id).await;
    assert!(matches!(again, Err(StorageError::Conflict(Conflict::JobNotFailed))), "{again:?}");

    let now = Timestamp::now();
    let claimed = store.claim_jobs("e", &["test.flaky"], now, now.plus_seconds(30), 1).await.unwrap();
    assert_eq!((claimed[0].id, claimed[0].attempts), (id, 1));
    let next = now.plus_seconds(3600);
    assert!(store.finish_job(id, "e", JobOutcome::Again(next), now).await.unwrap());
    let recurring = &store.tenant_jobs(&scope, None, 1).await.unwrap()[0];
    assert_eq!((recurring.state, recurring.run_at, recurring.attempts), (JobState::Pending, next, 0));
}

/// Processes claiming at once never get the same job, and between them get every one.
pub async fn concurrent_claims_share_out_every_job_once(store: DynStore) {
    let (home, _) = tenant(&store).await;
    for n in 0..40 {
        store.enqueue_job(NewJob::new(Some(home.id), "test.many", format!("job {n}"), at(n))).await.unwrap();
    }
    let claimers = (0..4).map(|owner| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = store.claim_jobs(&format!("p{owner}"), &["test.many"], at(100), at(200), 3).await.unwrap();
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|job| job.id));
            }
        })
    });
    let mut all = Vec::new();
    for claimer in claimers {
        all.extend(claimer.await.unwrap());
    }
    let distinct: HashSet<_> = all.iter().collect();
    assert_eq!((all.len(), distinct.len()), (40, 40), "each of the 40 jobs claimed exactly once");
}
