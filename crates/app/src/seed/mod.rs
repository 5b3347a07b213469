//! `casedesk seed`: realistic, deterministic data in bulk, for demos and load tests.
//!
//! Generation runs on its own thread and hands batches to the database through a short queue,
//! so building records (names, search documents, audit hashes) overlaps with writing them; on
//! PostgreSQL two batches are written at once (see [`storage::seed::SeedTurn`]).
//! Everything random comes from one ChaCha stream seeded by `--seed`, drawn in a fixed order,
//! so the same seed gives the same customers and queries.

mod history;
mod people;
mod setup;
pub mod words;

use anyhow::Context;
use domain::{
    CustomerId, Timestamp,
    audit::Actor,
    customer::Customer,
    search::CustomerSearchParts,
    tenant::{Tenant, TenantSlug},
};
use history::{Chain, World, id_at};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;
use storage::{
    Database, TenantScope, records,
    seed::{MAX_SEED_WRITERS, SeedBatch},
};

/// Queries per batch: large enough that each statement carries thousands of rows, small enough
/// that a batch (about 15 rows per query) stays a few megabytes.
pub const QUERIES_PER_BATCH: usize = 2_000;
/// Customers per batch, as a multiple of the queries per batch.
const CUSTOMERS_PER_QUERY_BATCH: usize = 5;
/// A progress line every this many customers and queries.
const REPORT_EVERY: usize = 50_000;

#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub customers: usize,
    pub queries: usize,
    pub seed: u64,
    /// The tenant to fill; default: the first tenant.
    pub tenant: Option<String>,
    /// Progress lines on stderr.
    pub progress: bool,
    /// Queries per batch (normally [`QUERIES_PER_BATCH`]; tests make many small batches).
    pub queries_per_batch: usize,
}

#[derive(Debug, Clone)]
pub struct SeedReport {
    pub tenant: String,
    pub customers: usize,
    pub queries: usize,
    pub rows: usize,
    pub seconds: f64,
}

async fn tenant(store: &dyn Database, slug: Option<&str>) -> anyhow::Result<Tenant> {
    match slug {
        Some(slug) => {
            let slug = TenantSlug::parse("tenant", slug).map_err(|e| anyhow::anyhow!("{}", e.message))?;
            store.tenant_by_slug(&slug).await?.with_context(|| format!("no tenant '{}'", slug.as_str()))
        }
        None => store.list_tenants().await?.into_iter().next().context("no tenant yet: run `casedesk serve` once"),
    }
}

/// Fills the tenant with `customers` customers and `queries` queries.
pub async fn seed(store: &dyn Database, options: &SeedOptions) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let tenant = tenant(store, options.tenant.as_deref()).await?;
    let scope = TenantScope::system(tenant.id);
    let statuses = store.seed_start(&scope).await?;
    let world = setup::world(store, tenant.id, options.seed, &statuses).await?;
    // Read again: creating officers, teams and types moved the audit chain.
    let start = store.seed_start(&scope).await?;
    let chain = Chain { seq: start.audit_seq, hash: start.audit_hash };
    let (sender, receiver) = tokio::sync::mpsc::channel::<SeedBatch>(4);
    let generator = {
        let options = options.clone();
        let first_reference = u64::try_from(start.last_reference).unwrap_or(0) + 1;
        std::thread::spawn(move || generate(&options, &world, chain, first_reference, &sender))
    };
    let progress = Progress { options, started, written: std::sync::Mutex::new((0, 0, 0, 0)) };
    let (customers, queries, rows) = write_batches(store, &scope, receiver, &progress).await?;
    // The generator stops early only if the receiver went away, which it did not.
    generator.join().map_err(|_| anyhow::anyhow!("the generator panicked"))?;
    Ok(SeedReport {
        tenant: tenant.slug.as_str().to_owned(),
        customers,
        queries,
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Progress lines on stderr, every [`REPORT_EVERY`] customers and queries.
struct Progress<'a> {
    options: &'a SeedOptions,
    started: Instant,
    /// Customers, queries and rows written, and the record count last reported.
    written: std::sync::Mutex<(usize, usize, usize, usize)>,
}

impl Progress<'_> {
    fn add(&self, batch: &SeedBatch) -> (usize, usize, usize) {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let (customers, queries, rows, reported) = &mut *written;
        *customers += batch.customers.len();
        *queries += batch.queries.len();
        *rows += batch.rows();
        let records = *customers + *queries;
        if self.options.progress && records >= *reported + REPORT_EVERY {
            *reported = records - records % REPORT_EVERY;
            let secs = self.started.elapsed().as_secs_f64();
            eprintln!(
                "seed: {queries}/{} queries, {customers}/{} customers, {rows} rows, {secs:.1} s, {:.0} rows/s",
                self.options.queries,
                self.options.customers,
                *rows as f64 / secs.max(0.001)
            );
        }
        (*customers, *queries, *rows)
    }
}

/// Writes the batches as they come, as many at once as the backend takes; batch `n` commits
/// only after batches `0..n` (its turn comes when the count of committed batches reaches `n`).
async fn write_batches(
    store: &dyn Database,
    scope: &TenantScope,
    receiver: tokio::sync::mpsc::Receiver<SeedBatch>,
    progress: &Progress<'_>,
) -> anyhow::Result<(usize, usize, usize)> {
    let queue = tokio::sync::Mutex::new((0_usize, receiver));
    let (committed, committed_watch) = tokio::sync::watch::channel(0_usize);
    let writer = || async {
        loop {
            let (index, batch) = {
                let mut queue = queue.lock().await;
                let Some(batch) = queue.1.recv().await else { return anyhow::Ok(()) };
                queue.0 += 1;
                (queue.0 - 1, batch)
            };
            let mut watch = committed_watch.clone();
            let turn: storage::seed::SeedTurn = Box::pin(async move {
                // The sender lives until every writer is done, so waiting cannot fail early.
                let _ = watch.wait_for(|done| *done >= index).await;
            });
            store.seed_batch(scope, &batch, turn).await?;
            committed.send_modify(|done| *done = index + 1);
            progress.add(&batch);
        }
    };
    let writers = store.seed_writers().clamp(1, storage::seed::MAX_SEED_WRITERS);
    futures_util::future::try_join_all((0..writers).map(|_| writer())).await?;
    let written = progress.written.lock().unwrap_or_else(|e| e.into_inner());
    Ok((written.0, written.1, written.2))
}

/// Sorted instants between `from` and `to`, weighted to office hours (when most queries
/// arrive) but with some at any time.
fn instants(rng: &mut ChaCha8Rng, n: usize, from: Timestamp, to: Timestamp) -> Vec<Timestamp> {
    const DAY: i64 = 86_400_000_000;
    let (from, to) = (from.as_micros(), to.as_micros());
    let days = ((to - from) / DAY).max(1);
    let mut times: Vec<i64> = (0..n)
        .map(|_| {
            let day = from - from % DAY + rng.random_range(0..days) * DAY;
            let hour = if rng.random_bool(0.85) { rng.random_range(8..18) } else { rng.random_range(0..24) };
            (day + hour * 3_600_000_000 + rng.random_range(0..3_600_000_000)).clamp(from, to)
        })
        .collect();
    times.sort_unstable();
    times.into_iter().map(Timestamp::from_micros).collect()
}

/// A customer put on record at `at` by a contact-centre officer, with its audit entry and event.
#[allow(clippy::too_many_arguments)] // the generator's state, threaded through explicitly
fn add_customer(
    rng: &mut ChaCha8Rng,
    batch: &mut SeedBatch,
    chain: &mut Chain,
    known: &mut Vec<(CustomerId, CustomerSearchParts)>,
    world: &World,
    families: &people::FamilyNames,
    at: Timestamp,
    serial: usize,
) {
    let details = people::customer(rng, families, serial);
    let id = CustomerId::from_uuid(id_at(rng, at));
    let customer = Customer { tenant_id: world.tenant_id, id, details, version: 1, created_at: at, updated_at: at };
    let centre = &world.teams[world.contact_centre].1;
    let actor = Actor::User(centre.choose(rng).unwrap_or(&centre[0]).as_uuid());
    chain.append(batch, world.tenant_id, actor, at, &records::customer_created(&customer));
    let event = records::customer_created_event(&customer);
    batch.events.push(storage::seed::SeedEvent { id: id_at(rng, at), actor: actor.id(), event });
    let parts = CustomerSearchParts::of(&customer);
    batch.customers.push((customer, parts.document().as_str().to_owned()));
    known.push((id, parts));
}

/// Which earlier customers a query may refer to: those of its own batch, and those of batches
/// at least [`MAX_SEED_WRITERS`] before it (committed by the time its batch is written).
#[derive(Default)]
struct Referable {
    /// How many customers were known when each batch was sent.
    sent: Vec<usize>,
}

impl Referable {
    fn sent(&mut self, known: usize) {
        self.sent.push(known);
    }

    /// A customer index, or `None` when there is none to refer to.
    fn pick(&self, rng: &mut ChaCha8Rng, known: usize) -> Option<usize> {
        let batch = self.sent.len();
        let settled = batch.checked_sub(MAX_SEED_WRITERS).map_or(0, |b| self.sent[b]);
        let own_start = self.sent.last().copied().unwrap_or(0);
        let candidates = settled + (known - own_start);
        (candidates > 0).then(|| {
            let n = rng.random_range(0..candidates);
            if n < settled { n } else { own_start + (n - settled) }
        })
    }
}

/// Builds every batch in order and sends it; returns when done or the receiver is gone.
fn generate(
    options: &SeedOptions,
    world: &World,
    mut chain: Chain,
    first_reference: u64,
    sender: &tokio::sync::mpsc::Sender<SeedBatch>,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let families = people::FamilyNames::new();
    const YEAR_SECS: i64 = 365 * 86_400;
    let span_start = world.now.plus_seconds(-2 * YEAR_SECS);
    // Customers are on record from up to a year before the oldest query in the span.
    let customer_times = instants(&mut rng, options.customers, span_start.plus_seconds(-YEAR_SECS), world.now);
    let query_times = instants(&mut rng, options.queries, span_start, world.now);
    let mut known: Vec<(CustomerId, CustomerSearchParts)> = Vec::with_capacity(options.customers);
    let mut referable = Referable::default();
    let mut batch = SeedBatch::default();
    let send = |batch: &mut SeedBatch, known: usize, referable: &mut Referable| {
        referable.sent(known);
        sender.blocking_send(std::mem::take(batch)).is_ok()
    };
    let mut next_customer = 0;
    for (index, received_at) in query_times.iter().enumerate() {
        while next_customer < options.customers && customer_times[next_customer] <= *received_at {
            add_customer(
                &mut rng,
                &mut batch,
                &mut chain,
                &mut known,
                world,
                &families,
                customer_times[next_customer],
                next_customer,
            );
            next_customer += 1;
            if batch.customers.len() >= options.queries_per_batch * CUSTOMERS_PER_QUERY_BATCH
                && !send(&mut batch, known.len(), &mut referable)
            {
                return;
            }
        }
        // One query in twenty is anonymous; the rest come from customers already on record.
        let customer = if rng.random_bool(0.95) { referable.pick(&mut rng, known.len()) } else { None };
        let customer = customer.map(|i| (known[i].0, &known[i].1));
        history::query(&mut rng, world, &mut chain, &mut batch, first_reference + index as u64, *received_at, customer);
        if batch.queries.len() >= options.queries_per_batch && !send(&mut batch, known.len(), &mut referable) {
            return;
        }
    }
    while next_customer < options.customers {
        add_customer(
            &mut rng,
            &mut batch,
            &mut chain,
            &mut known,
            world,
            &families,
            customer_times[next_customer],
            next_customer,
        );
        next_customer += 1;
        if batch.customers.len() >= options.queries_per_batch * CUSTOMERS_PER_QUERY_BATCH
            && !send(&mut batch, known.len(), &mut referable)
        {
            return;
        }
    }
    if batch.rows() > 0 {
        send(&mut batch, known.len(), &mut referable);
    }
}
