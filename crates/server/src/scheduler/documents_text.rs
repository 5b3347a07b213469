//! Reading each new document's text for search (issue 16, item 6): one job per document,
//! queued with its upload (see `documents::text`), run by a scheduler of its own
//! (`scheduler::text_reader`). A missing tool, or a read that outlasts its budget, fails the
//! attempt, retried with the scheduler's backoff; an administrator sees a job that used up
//! its attempts on the jobs page.

use super::JobHandler;
use crate::documents::{DocumentSettings, text};
use domain::{
    DocumentId,
    document::READ_TEXT_JOB,
    job::{Job, JobOutcome},
};
use futures_util::future::BoxFuture;
use std::time::Duration;
use storage::{Store, TenantScope};

pub struct ReadDocumentText {
    pub documents: DocumentSettings,
    /// How long one document may take, well inside the lease: a read that takes longer is
    /// stopped (its tools killed) and tried again later.
    pub budget: Duration,
}

impl JobHandler for ReadDocumentText {
    fn kind(&self) -> &'static str {
        READ_TEXT_JOB
    }

    fn run<'a>(&'a self, store: &'a dyn Store, job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        Box::pin(async move {
            let (Some(tenant), Ok(id)) = (job.tenant_id, uuid::Uuid::parse_str(&job.key)) else {
                return JobOutcome::Failed("the job does not name a tenant's document".into());
            };
            let id = DocumentId::from_uuid(id);
            let read = text::read_text(store, &self.documents, TenantScope::system(tenant), id);
            match tokio::time::timeout(self.budget, read).await {
                Ok(Ok(read)) => {
                    tracing::info!(document = %id, ?read, "document text read for search");
                    JobOutcome::Done
                }
                Ok(Err(error)) => JobOutcome::Failed(format!("reading the document's text failed: {error}")),
                Err(_) => JobOutcome::Failed(format!(
                    "reading the document's text took longer than {} s; it will be tried again",
                    self.budget.as_secs()
                )),
            }
        })
    }
}
