//! The organisation's scheduled jobs, for administrators: what is pending, running or failed
//! (with the last error), and a retry for a failed one. Jobs that serve no one organisation
//! (the daily housekeeping) are not listed.

use crate::{
    auth::{
        Authorized,
        policy::{AdministrationFull, AdministrationRead},
    },
    problem::ApiResult,
    state::AppState,
};
use actix_web::{get, post, web};
use api_types::{Job, JobList, JobState};
use domain::{JobId, job};

type Problem = api_types::Problem;

/// How many jobs a list shows: the newest changes are what an administrator acts on.
const LISTED: u32 = 200;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct JobFilter {
    /// Only jobs in this state.
    state: Option<JobState>,
}

fn state_in(state: JobState) -> job::JobState {
    match state {
        JobState::Pending => job::JobState::Pending,
        JobState::Running => job::JobState::Running,
        JobState::Done => job::JobState::Done,
        JobState::Failed => job::JobState::Failed,
    }
}

fn job_out(job: &job::Job) -> Job {
    let state = match job.state {
        job::JobState::Pending => JobState::Pending,
        job::JobState::Running => JobState::Running,
        job::JobState::Done => JobState::Done,
        job::JobState::Failed => JobState::Failed,
    };
    Job {
        id: job.id.as_uuid(),
        kind: job.kind.clone(),
        state,
        run_at: job.run_at.as_datetime(),
        attempts: job.attempts,
        max_attempts: job.max_attempts,
        lease_until: job.lease_until.map(|at| at.as_datetime()),
        last_error: job.last_error.clone(),
        updated_at: job.updated_at.as_datetime(),
    }
}

/// The organisation's jobs, most recently changed first (at most 200).
#[utoipa::path(tag = "jobs", security(("session" = [])), params(JobFilter), responses(
    (status = OK, body = JobList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[get("/jobs")]
pub async fn list_jobs(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
    filter: web::Query<JobFilter>,
) -> ApiResult<web::Json<JobList>> {
    let jobs = state.store.tenant_jobs(&auth.scope(), filter.state.map(state_in), LISTED).await?;
    Ok(web::Json(JobList { items: jobs.iter().map(job_out).collect() }))
}

/// Runs a failed job again as soon as a server is free, with its attempts started over.
/// A job in any other state is 409 `conflict`.
#[utoipa::path(tag = "jobs", security(("session" = [])), params(("id" = Uuid, Path, description = "The job's id")), responses(
    (status = OK, body = Job),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
))]
#[post("/jobs/{id}/retry")]
pub async fn retry_job(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationFull>,
    id: web::Path<JobId>,
) -> ApiResult<web::Json<Job>> {
    let job = state.store.retry_job(&auth.scope(), id.into_inner()).await?;
    Ok(web::Json(job_out(&job)))
}
