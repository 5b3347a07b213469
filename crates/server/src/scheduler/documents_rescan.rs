//! The scheduled virus rescan (issue 16, item 2): every quarter of an hour, documents whose last
//! check is older than `rescan_after` are checked again (see `documents::rescan`), and the
//! administrators of a tenant where one is quarantined are told on their open pages.

use super::JobHandler;
use crate::{
    documents::{DocumentSettings, rescan},
    live::LiveEvents,
};
use domain::{
    Timestamp,
    job::{Job, JobOutcome, NewJob},
};
use futures_util::future::BoxFuture;
use std::{sync::Arc, time::Duration};
use storage::Store;

const KIND: &str = "documents.rescan";
/// Between looks for documents due a rescan.
const EVERY_SECS: i64 = 15 * 60;

pub struct DocumentsRescan {
    pub live: Arc<LiveEvents>,
    pub documents: DocumentSettings,
    /// How long one run may take before it hands over to the next: well inside the lease.
    pub budget: Duration,
}

impl JobHandler for DocumentsRescan {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn run<'a>(&'a self, store: &'a dyn Store, _job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        Box::pin(async move {
            let now = Timestamp::now();
            let after = i64::try_from(self.documents.rescan_after.as_secs()).unwrap_or(i64::MAX);
            let due = now.plus_seconds(-after);
            match rescan::rescan_due(store, &self.documents, due, self.budget).await {
                Ok(done) => {
                    for (tenant, user) in &done.told {
                        self.live.notify(*tenant, *user);
                    }
                    tracing::info!(
                        checked = done.checked,
                        quarantined = done.quarantined.len(),
                        unreadable = done.unreadable.len(),
                        "documents rescanned"
                    );
                    JobOutcome::Again(if done.more { Timestamp::now() } else { now.plus_seconds(EVERY_SECS) })
                }
                // Never failed for good: a scanner that is down now will be up later, and the
                // next run starts with the documents this one did not reach.
                Err(error) => {
                    tracing::warn!(%error, "the document rescan stopped; the next one tries again");
                    JobOutcome::Again(now.plus_seconds(EVERY_SECS))
                }
            }
        })
    }

    fn recurring(&self, now: Timestamp) -> Option<NewJob> {
        Some(NewJob::new(None, KIND, "rescan", now))
    }
}
