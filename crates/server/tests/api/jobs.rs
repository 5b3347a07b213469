//! The scheduler over HTTP and in process: administrators see their organisation's jobs and
//! retry a failed one; the server runs due jobs by itself (the daily housekeeping); a stopping
//! scheduler finishes the job in hand before it ends.

use crate::{both_backends, helpers::TestApp};
use domain::{
    Timestamp,
    job::{Job, JobOutcome, JobState, NewJob},
};
use futures_util::future::BoxFuture;
use server::scheduler::{JobHandler, Scheduler, SchedulerSettings};
use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};
use storage::Store;

both_backends!(
    administrators_see_failed_jobs_and_retry_them,
    the_server_runs_its_housekeeping_by_itself,
    a_stopping_scheduler_finishes_the_job_in_hand
);

async fn tenant_a(app: &TestApp) -> domain::TenantId {
    let slug = domain::tenant::TenantSlug::parse("slug", "tenant-a").unwrap();
    app.store.tenant_by_slug(&slug).await.unwrap().unwrap().id
}

/// A job of tenant A's that has failed its only attempt.
pub async fn failed_job(app: &TestApp) -> domain::JobId {
    let job =
        NewJob { max_attempts: 1, ..NewJob::new(Some(tenant_a(app).await), "test.mail", "one", Timestamp::now()) };
    app.store.enqueue_job(job).await.unwrap();
    let now = Timestamp::now();
    let claimed = app.store.claim_jobs("test", &["test.mail"], now, now.plus_seconds(60), 1).await.unwrap();
    let id = claimed[0].id;
    let failed = JobOutcome::Failed("the mail server refused the connection".into());
    assert!(app.store.finish_job(id, "test", failed, now).await.unwrap());
    id
}

async fn administrators_see_failed_jobs_and_retry_them(app: TestApp) {
    let id = failed_job(&app).await;
    let officer = app.officer_a("jobs-officer@example.org").await;
    let admin = app.admin_a().await;
    let failed = app.get("/api/v1/jobs?state=failed", &admin).await;
    assert_eq!(failed.status, 200, "{failed:?}");
    let items = failed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["id"], id.to_string());
    assert_eq!(items[0]["kind"], "test.mail");
    assert_eq!((items[0]["attempts"].as_u64(), items[0]["max_attempts"].as_u64()), (Some(1), Some(1)));
    assert_eq!(items[0]["last_error"], "the mail server refused the connection");
    let pending = app.get("/api/v1/jobs?state=pending", &admin).await;
    assert!(pending.body["items"].as_array().unwrap().is_empty(), "the housekeeping job is nobody's: {pending:?}");
    app.get("/api/v1/jobs?state=stuck", &admin).await.assert_problem(422, "validation_failed");

    assert_eq!(app.get("/api/v1/jobs", &officer).await.status, 403, "administrators only");
    let other = app.admin_b().await;
    assert!(app.get("/api/v1/jobs", &other).await.body["items"].as_array().unwrap().is_empty(), "tenant A's");
    let path = format!("/api/v1/jobs/{id}/retry");
    app.post_json(&path, &other, serde_json::json!({})).await.assert_problem(404, "not_found");

    let retried = app.post_json(&path, &admin, serde_json::json!({})).await;
    assert_eq!(retried.status, 200, "{retried:?}");
    assert_eq!((retried.body["state"].as_str(), retried.body["attempts"].as_u64()), (Some("pending"), Some(0)));
    app.post_json(&path, &admin, serde_json::json!({})).await.assert_problem(409, "conflict");
    assert!(app.audit_actions().await.contains(&"job.retried".to_owned()));
}

/// The recurring housekeeping job is added at start, run at once, and put off a day.
async fn the_server_runs_its_housekeeping_by_itself(app: TestApp) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let now = Timestamp::now();
        let next_day = now.plus_seconds(23 * 3600);
        let seen = housekeeping_run_at(&app).await;
        if seen.is_some_and(|at| at > next_day) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "housekeeping never ran: {seen:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn housekeeping_run_at(app: &TestApp) -> Option<Timestamp> {
    let sql = "SELECT run_at FROM jobs WHERE kind = 'housekeeping' AND state = 'pending'";
    match &app.db {
        crate::helpers::Db::Sqlite(pool) => {
            let micros: Option<i64> = sqlx::query_scalar(sql).fetch_optional(pool).await.unwrap();
            micros.map(Timestamp::from_micros)
        }
        crate::helpers::Db::Postgres(pool) => {
            let at: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(sql).fetch_optional(pool).await.unwrap();
            at.map(Timestamp::from_datetime)
        }
    }
}

/// Takes its time, counting the runs it finished.
struct Slow(Arc<AtomicUsize>);

impl JobHandler for Slow {
    fn kind(&self) -> &'static str {
        "test.slow"
    }

    fn run<'a>(&'a self, _store: &'a dyn Store, _job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(600)).await;
            self.0.fetch_add(1, Ordering::SeqCst);
            JobOutcome::Done
        })
    }
}

async fn a_stopping_scheduler_finishes_the_job_in_hand(app: TestApp) {
    let tenant = tenant_a(&app).await;
    for key in ["first", "second"] {
        app.store.enqueue_job(NewJob::new(Some(tenant), "test.slow", key, Timestamp::now())).await.unwrap();
    }
    let finished = Arc::new(AtomicUsize::new(0));
    let settings = SchedulerSettings { tick: Duration::from_millis(20), batch: 1, ..Default::default() };
    let store: Arc<dyn Store> = app.store.clone();
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let handle = Scheduler::new(store, vec![Arc::new(Slow(finished.clone()))], settings).start(stopping);
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.send_replace(true);
    tokio::time::timeout(Duration::from_secs(5), handle).await.unwrap().unwrap();
    assert_eq!(finished.load(Ordering::SeqCst), 1, "the first job finished; the second was never claimed");
    let scope = storage::TenantScope::system(tenant);
    let jobs = app.store.tenant_jobs(&scope, None, 10).await.unwrap();
    let states: Vec<(&str, JobState)> = jobs.iter().map(|j| (j.key.as_str(), j.state)).collect();
    assert!(states.contains(&("first", JobState::Done)), "{states:?}");
    assert!(states.contains(&("second", JobState::Pending)), "{states:?}");
}
