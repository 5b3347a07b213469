//! `casedesk-bench`: a fixed-duration load run against a running server.
//!
//! Signs in once (one session per user: a second sign-in would end the first) and shares the
//! cookie across all clients. Ids to ask for are read from the database beforehand, so the
//! run itself only talks HTTP. Each client loops over the five operations in turn, picking
//! ids uniformly at random, and every request's latency goes into a histogram per operation.
//!
//! The 50th page of a team's open queries is reached by following `next_cursor` 49 times once
//! per team before the run; the run then times the request for that page alone (keyset
//! pagination makes its cost independent of how the cursor was obtained).

use anyhow::Context;
use clap::Parser;
use hdrhistogram::Histogram;
use rand::seq::IndexedRandom;
use serde_json::Value;
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use uuid::Uuid;

#[derive(Debug, Parser)]
struct Args {
    /// The server, e.g. http://127.0.0.1:8080
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    /// The same database the server uses, to pick query and customer ids from.
    #[arg(long, env = "CASEDESK_DATABASE_URL")]
    database_url: String,
    /// For SQLite: the key file the server's database is encrypted under.
    #[arg(long, env = "CASEDESK_DATABASE_KEY_FILE")]
    database_key_file: Option<std::path::PathBuf>,
    #[arg(long, default_value = "admin@example.org")]
    email: String,
    /// The administrator's password (read from the environment so it stays out of `ps`).
    #[arg(long, env = "CASEDESK_ADMIN_PASSWORD", hide_env_values = true)]
    password: String,
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds to run.
    #[arg(long, default_value_t = 60)]
    duration: u64,
    /// The search terms, comma-separated; each search picks one at random. `Smyth` is seeded
    /// on one customer in a thousand; docs/performance.md lists twenty common words.
    #[arg(long, default_value = "Smyth", value_delimiter = ',')]
    term: Vec<String>,
    /// Run one operation only (1-5, in the order of the table), to see its latency without the
    /// others queueing beside it; 6 creates queries (a write, outside the mix); 7 reads a random
    /// team's workload (a team leader's Home: its open queries counted per officer); 8 and 9
    /// are pages 1 and 50 of a team's open queries soonest due first; 10 the first page of
    /// everything overdue, soonest due first; 11 the views with their counts (Due soon and
    /// Overdue among them); 12 the moves a random query's workflow allows from its status; 13
    /// moves a random query to the first of those (timing the change alone, after reading the
    /// query and its moves).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=13))]
    only: Option<u8>,
    /// Operations per second across all clients (open loop): each client starts its operations
    /// on a fixed schedule, and latency counts from the scheduled start, so a slow answer is
    /// not hidden by the requests it delayed. Without it, each client sends its next operation
    /// as soon as the last returns (closed loop: the server is always saturated).
    #[arg(long)]
    rate: Option<f64>,
}

const OPS: [&str; 13] = [
    "get query",
    "list page 1",
    "list page 50",
    "search",
    "customer page",
    "create query",
    "team workload",
    "due list page 1",
    "due list page 50",
    "overdue page 1",
    "views with counts",
    "a query's moves",
    "change status",
];

/// A team's open queries, soonest due first.
const DUE_LIST: &str = "open=true&sort=due_at&limit=25";

/// The mix runs the reads; creating queries (`--only 6`) and team workloads (`--only 7`) are
/// run alone.
const MIX: usize = 5;

#[derive(Debug)]
struct Plan {
    base: String,
    cookie: String,
    queries: Vec<Uuid>,
    customers: Vec<Uuid>,
    /// Per team: its id and the cursor of page 50 of its open queries (if it has that many).
    teams: Vec<(Uuid, Option<String>)>,
    /// Per team: the cursor of page 50 of its open queries soonest due first.
    due_cursors: Vec<(Uuid, String)>,
    terms: Vec<String>,
}

async fn ids(url: &str, key_file: Option<&std::path::Path>) -> anyhow::Result<(Vec<Uuid>, Vec<Uuid>)> {
    let (queries, customers) = if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await?;
        let q = sqlx::query_scalar("SELECT id FROM queries WHERE deleted_at IS NULL").fetch_all(&pool).await?;
        let c = sqlx::query_scalar("SELECT id FROM customers WHERE deleted_at IS NULL").fetch_all(&pool).await?;
        (q, c)
    } else {
        let key = key_file
            .map(|path| app::key_files::read(path, "database key").map(storage_sqlite::DatabaseKey::from_bytes))
            .transpose()?;
        let store = storage_sqlite::SqliteStore::connect(url, key.as_ref()).await?;
        let q = sqlx::query_scalar("SELECT id FROM queries WHERE deleted_at IS NULL").fetch_all(store.pool()).await?;
        let c = sqlx::query_scalar("SELECT id FROM customers WHERE deleted_at IS NULL").fetch_all(store.pool()).await?;
        // Closed before the run, not at exit, where a closing SQLCipher connection races
        // OpenSSL's own clean-up.
        store.pool().close().await;
        (q, c)
    };
    Ok((queries, customers))
}

async fn get(client: &reqwest::Client, plan: &Plan, path: &str) -> anyhow::Result<Value> {
    let response = client.get(format!("{}{path}", plan.base)).header("Cookie", &plan.cookie).send().await?;
    let status = response.status();
    anyhow::ensure!(status.is_success(), "GET {path}: {status}");
    Ok(response.json().await?)
}

/// Logs a query by phone, as an officer would: a write with its audit entry, events and
/// search document.
async fn create(client: &reqwest::Client, plan: &Plan, rng: &mut rand::rngs::StdRng) -> anyhow::Result<()> {
    let n: u32 = rand::Rng::random(rng);
    let body = serde_json::json!({"subject": format!("Benchmark query {n}"), "channel": "phone",
        "description": "Logged by casedesk-bench to measure writes."});
    let response = client
        .post(format!("{}/api/v1/queries", plan.base))
        .header("Cookie", &plan.cookie)
        .header("X-Casedesk-CSRF", "1")
        .json(&body)
        .send()
        .await?;
    anyhow::ensure!(response.status().is_success(), "POST /queries: {}", response.status());
    Ok(())
}

async fn sign_in(client: &reqwest::Client, args: &Args) -> anyhow::Result<String> {
    let response = client
        .post(format!("{}/api/v1/auth/sign-in", args.base_url))
        .header("X-Casedesk-CSRF", "1")
        .json(&serde_json::json!({"email": args.email, "password": args.password}))
        .send()
        .await?;
    anyhow::ensure!(response.status().is_success(), "sign-in: {}", response.status());
    let cookie = response.headers().get(reqwest::header::SET_COOKIE).context("no session cookie")?.to_str()?;
    Ok(cookie.split(';').next().unwrap_or_default().to_owned())
}

/// The cursor of page 50 of a list (`query` without the cursor), if it has that many pages.
async fn page_50(client: &reqwest::Client, plan: &Plan, query: &str) -> anyhow::Result<Option<String>> {
    let mut cursor: Option<String> = None;
    for _ in 0..49 {
        let after = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = get(client, plan, &format!("/api/v1/queries?{query}{after}")).await?;
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    Ok(cursor)
}

/// Moves a random query to the first move its workflow offers, giving a summary and a reason
/// (each kept only where the move asks for it); how long the change itself took.
async fn change_status(
    client: &reqwest::Client,
    plan: &Plan,
    rng: &mut rand::rngs::StdRng,
) -> anyhow::Result<Duration> {
    let id = plan.queries.choose(rng).context("no queries")?;
    let query = get(client, plan, &format!("/api/v1/queries/{id}")).await?;
    let moves = get(client, plan, &format!("/api/v1/queries/{id}/transitions")).await?;
    let to = moves["transitions"][0]["to_status_id"].as_str().context("no move from here")?;
    let body = serde_json::json!({"status_id": to, "resolution_summary": "Answered", "reason": "Reopened"});
    let started = Instant::now();
    let response = client
        .post(format!("{}/api/v1/queries/{id}/status", plan.base))
        .header("Cookie", &plan.cookie)
        .header("X-Casedesk-CSRF", "1")
        .header("If-Match", format!("\"{}\"", query["version"]))
        .json(&body)
        .send()
        .await?;
    anyhow::ensure!(response.status().is_success(), "POST /queries/{id}/status: {}", response.status());
    Ok(started.elapsed())
}

/// One operation; the time to record when only part of it is measured. The customer page is
/// what the SPA asks for it: one overview request.
async fn run_op(
    client: &reqwest::Client,
    plan: &Plan,
    op: usize,
    rng: &mut rand::rngs::StdRng,
) -> anyhow::Result<Option<Duration>> {
    match op {
        0 => {
            let id = plan.queries.choose(rng).context("no queries")?;
            get(client, plan, &format!("/api/v1/queries/{id}")).await?;
        }
        1 => {
            let (team, _) = plan.teams.choose(rng).context("no teams")?;
            get(client, plan, &format!("/api/v1/queries?team_id={team}&open=true&limit=25")).await?;
        }
        2 => {
            let deep: Vec<_> = plan.teams.iter().filter_map(|(t, c)| c.as_ref().map(|c| (t, c))).collect();
            let (team, cursor) = deep.choose(rng).context("no team has 50 pages of open queries")?;
            get(client, plan, &format!("/api/v1/queries?team_id={team}&open=true&limit=25&cursor={cursor}")).await?;
        }
        3 => {
            let term = plan.terms.choose(rng).context("no search terms")?;
            get(client, plan, &format!("/api/v1/queries?q={term}&limit=25")).await?;
        }
        4 => {
            let id = plan.customers.choose(rng).context("no customers")?;
            get(client, plan, &format!("/api/v1/customers/{id}/overview")).await?;
        }
        5 => create(client, plan, rng).await?,
        6 => {
            let (team, _) = plan.teams.choose(rng).context("no teams")?;
            get(client, plan, &format!("/api/v1/teams/{team}/workload")).await?;
        }
        7 => {
            let (team, _) = plan.teams.choose(rng).context("no teams")?;
            get(client, plan, &format!("/api/v1/queries?team_id={team}&{DUE_LIST}")).await?;
        }
        8 => {
            let (team, cursor) = plan.due_cursors.choose(rng).context("no team has 50 pages of open queries")?;
            get(client, plan, &format!("/api/v1/queries?team_id={team}&{DUE_LIST}&cursor={cursor}")).await?;
        }
        9 => {
            get(client, plan, "/api/v1/queries?due=overdue&sort=due_at&limit=25").await?;
        }
        10 => {
            get(client, plan, "/api/v1/views").await?;
        }
        11 => {
            let id = plan.queries.choose(rng).context("no queries")?;
            get(client, plan, &format!("/api/v1/queries/{id}/transitions")).await?;
        }
        _ => return Ok(Some(change_status(client, plan, rng).await?)),
    }
    Ok(None)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.clients).build()?;
    let (queries, customers) = ids(&args.database_url, args.database_key_file.as_deref()).await?;
    let cookie = sign_in(&client, &args).await?;
    let mut plan = Plan {
        base: args.base_url.clone(),
        cookie,
        queries,
        customers,
        teams: vec![],
        due_cursors: vec![],
        terms: args.term,
    };
    let teams = get(&client, &plan, "/api/v1/teams").await?;
    for team in teams["items"].as_array().context("teams")? {
        let id: Uuid = team["id"].as_str().context("team id")?.parse()?;
        let cursor = page_50(&client, &plan, &format!("team_id={id}&open=true&limit=25")).await?;
        plan.teams.push((id, cursor));
        if let Some(cursor) = page_50(&client, &plan, &format!("team_id={id}&{DUE_LIST}")).await? {
            plan.due_cursors.push((id, cursor));
        }
    }
    eprintln!(
        "bench: {} queries, {} customers, {} teams ({} with 50 pages of open queries); {} clients for {} s",
        plan.queries.len(),
        plan.customers.len(),
        plan.teams.len(),
        plan.teams.iter().filter(|(_, c)| c.is_some()).count(),
        args.clients,
        args.duration
    );
    let plan = Arc::new(plan);
    let until = Instant::now() + Duration::from_secs(args.duration);
    let only = args.only;
    let interval = args.rate.map(|rate| Duration::from_secs_f64(args.clients as f64 / rate));
    let started_at = tokio::time::Instant::now();
    let mut tasks = Vec::new();
    let args_clients = args.clients;
    for n in 0..args.clients {
        let (client, plan) = (client.clone(), plan.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng: rand::rngs::StdRng = rand::SeedableRng::seed_from_u64(n as u64);
            let mut histograms: Vec<Histogram<u64>> =
                OPS.iter().map(|_| Histogram::new_with_bounds(1, 60_000_000, 3).expect("bounds")).collect();
            let mut errors = 0u64;
            let mut op = n % MIX;
            // Clients on a schedule are spread evenly over one interval.
            let mut scheduled = interval.map(|i| started_at + i.mul_f64(n as f64 / args_clients as f64));
            while Instant::now() < until {
                if let Some(only) = only {
                    op = usize::from(only) - 1;
                }
                let started = match (scheduled.as_mut(), interval) {
                    (Some(at), Some(every)) => {
                        tokio::time::sleep_until(*at).await;
                        let this = at.into_std();
                        *at += every;
                        this
                    }
                    _ => Instant::now(),
                };
                match run_op(&client, &plan, op, &mut rng).await {
                    Ok(part) => {
                        let took = part.unwrap_or_else(|| started.elapsed());
                        histograms[op].saturating_record(took.as_micros() as u64)
                    }
                    Err(_) => errors += 1,
                }
                op = (op + 1) % MIX;
            }
            (histograms, errors)
        }));
    }
    let mut totals: Vec<Histogram<u64>> =
        OPS.iter().map(|_| Histogram::new_with_bounds(1, 60_000_000, 3).expect("bounds")).collect();
    let mut errors = 0;
    for task in tasks {
        let (histograms, e) = task.await?;
        errors += e;
        for (total, h) in totals.iter_mut().zip(histograms) {
            total.add(h)?;
        }
    }
    let ms = |h: &Histogram<u64>, q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    println!("| operation | count | per s | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|");
    let secs = args.duration as f64;
    for (name, h) in OPS.iter().zip(&totals).filter(|(_, h)| !h.is_empty()) {
        println!(
            "| {name} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} |",
            h.len(),
            h.len() as f64 / secs,
            ms(h, 0.50),
            ms(h, 0.95),
            ms(h, 0.99),
            h.max() as f64 / 1000.0
        );
    }
    let ops: u64 = totals.iter().map(Histogram::len).sum();
    if let Some(rate) = args.rate {
        println!("\nopen loop: scheduled {rate:.0} operations/s; latency from each scheduled start");
    }
    println!("\nthroughput: {:.0} operations/s ({} operations, {errors} errors)", ops as f64 / secs, ops);
    Ok(())
}
