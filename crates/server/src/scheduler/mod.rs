//! Time-driven work inside the server (issue 15, item 9): every process runs this loop over
//! the shared job table. Each tick it claims due jobs of the kinds it knows, one at a time,
//! under a lease, runs each and records how it ended. A process that dies mid-job leaves
//! the lease to lapse, and another process takes the job over; so a handler's effects must be
//! safe to repeat (SLA alerts are keyed by what they alert about, so a repeat adds nothing).
//! On SIGTERM the loop stops claiming, finishes what it holds, and ends.

mod documents_rescan;
mod documents_text;
mod housekeeping;
mod sla_alerts;
mod sla_retime;

use crate::{documents::DocumentSettings, live::LiveEvents};
use domain::{
    Timestamp,
    job::{Job, JobOutcome, NewJob},
};
use futures_util::future::BoxFuture;
use std::{collections::HashMap, sync::Arc, time::Duration};
use storage::Store;
use tokio::{sync::watch, task::JoinHandle};

/// One kind of job: what it does, and the recurring job it keeps in the table, if any.
pub trait JobHandler: Send + Sync {
    fn kind(&self) -> &'static str;

    /// Runs one claimed job. Errors are reported as [`JobOutcome::Failed`], in words for an
    /// administrator (never case content).
    fn run<'a>(&'a self, store: &'a dyn Store, job: &'a Job) -> BoxFuture<'a, JobOutcome>;

    /// A job that should always exist (added at start unless already there).
    fn recurring(&self, _now: Timestamp) -> Option<NewJob> {
        None
    }
}

/// How often and for how long a process claims work.
#[derive(Debug, Clone, Copy)]
pub struct SchedulerSettings {
    /// Between looks at the table when nothing was due.
    pub tick: Duration,
    /// How long a claim holds a job: longer than any handler takes.
    pub lease: Duration,
    /// Jobs claimed at once. They run one after another under one lease, so more than one
    /// only for jobs known to be short; one by default, so each job has its whole lease.
    pub batch: u32,
    /// Between sweeps for service-level alerts: how late an alert may be.
    pub alert_sweep: Duration,
}

impl Default for SchedulerSettings {
    fn default() -> Self {
        Self {
            tick: Duration::from_secs(1),
            lease: Duration::from_secs(120),
            batch: 1,
            alert_sweep: Duration::from_secs(30),
        }
    }
}

/// The handlers this build has; those that notify tell open pages through `live`.
pub fn handlers(
    live: Arc<LiveEvents>,
    settings: &SchedulerSettings,
    documents: &DocumentSettings,
) -> Vec<Arc<dyn JobHandler>> {
    vec![
        Arc::new(housekeeping::Housekeeping),
        Arc::new(documents_rescan::DocumentsRescan {
            live: live.clone(),
            documents: documents.clone(),
            budget: settings.lease / 2,
        }),
        Arc::new(sla_alerts::AlertSweep { live: live.clone(), every: settings.alert_sweep }),
        Arc::new(sla_alerts::OverdueDigest { live }),
        Arc::new(sla_retime::Retime),
    ]
}

/// How long the text reader's claim on a document holds: reading a scanned letter takes a few
/// seconds a page, up to 20 pages.
const TEXT_LEASE: Duration = Duration::from_secs(10 * 60);

/// The scheduler that reads new documents' text, in a lane of its own: a batch of scanned
/// letters takes minutes of OCR, and service-level alerts must not wait behind it.
pub fn text_reader(store: Arc<dyn Store>, settings: &SchedulerSettings, documents: &DocumentSettings) -> Scheduler {
    let reader = documents_text::ReadDocumentText { documents: documents.clone(), budget: TEXT_LEASE / 2 };
    Scheduler::new(store, vec![Arc::new(reader)], SchedulerSettings { lease: TEXT_LEASE, batch: 1, ..*settings })
}

/// Who holds a lease: unique per process start, readable in the administrators' view.
fn owner_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "casedesk".into());
    format!("{host}/{}/{}", std::process::id(), &uuid::Uuid::now_v7().simple().to_string()[24..])
}

/// One process's scheduler.
pub struct Scheduler {
    store: Arc<dyn Store>,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    settings: SchedulerSettings,
    owner: String,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler").field("owner", &self.owner).field("kinds", &self.handlers.keys()).finish()
    }
}

impl Scheduler {
    pub fn new(store: Arc<dyn Store>, handlers: Vec<Arc<dyn JobHandler>>, settings: SchedulerSettings) -> Self {
        let handlers = handlers.into_iter().map(|h| (h.kind(), h)).collect();
        Self { store, handlers, settings, owner: owner_name() }
    }

    /// Runs until `stop` turns true; the handle resolves once the jobs in hand are finished.
    pub fn start(self, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            self.add_recurring().await;
            loop {
                let ran = match self.run_due().await {
                    Ok(ran) => ran,
                    Err(error) => {
                        tracing::warn!(%error, "claiming jobs failed; the next tick tries again");
                        0
                    }
                };
                if *stop.borrow() {
                    break;
                }
                // A full batch suggests more is due: look again at once.
                if ran < self.settings.batch as usize {
                    tokio::select! {
                        _ = tokio::time::sleep(self.settings.tick) => {}
                        _ = stop.wait_for(|stop| *stop) => break,
                    }
                }
            }
            tracing::info!(owner = %self.owner, "scheduler stopped");
        })
    }

    async fn add_recurring(&self) {
        for handler in self.handlers.values() {
            if let Some(job) = handler.recurring(Timestamp::now())
                && let Err(error) = self.store.enqueue_job(job).await
            {
                tracing::warn!(%error, kind = handler.kind(), "adding a recurring job failed");
            }
        }
    }

    /// Claims what is due and runs it; how many jobs ran.
    pub async fn run_due(&self) -> storage::StorageResult<usize> {
        let now = Timestamp::now();
        let lease_secs = i64::try_from(self.settings.lease.as_secs()).unwrap_or(i64::MAX);
        let kinds: Vec<&str> = self.handlers.keys().copied().collect();
        let claimed =
            self.store.claim_jobs(&self.owner, &kinds, now, now.plus_seconds(lease_secs), self.settings.batch).await?;
        for job in &claimed {
            let outcome = match self.handlers.get(job.kind.as_str()) {
                Some(handler) => handler.run(self.store.as_ref(), job).await,
                None => JobOutcome::Failed(format!("this server has no handler for {}", job.kind)),
            };
            if let JobOutcome::Failed(error) = &outcome {
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, %error, "job failed");
            }
            match self.store.finish_job(job.id, &self.owner, outcome, Timestamp::now()).await {
                Ok(true) => {}
                Ok(false) => tracing::warn!(job = %job.id, "the job's lease lapsed before it finished"),
                Err(error) => tracing::warn!(job = %job.id, %error, "recording a job's end failed"),
            }
        }
        Ok(claimed.len())
    }
}
