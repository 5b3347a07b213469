//! `casedesk`: serve the application, migrate the database, manage tenants, print the OpenAPI
//! document.

mod cli;
mod config;
mod documents;
mod first_start;
mod store;

use clap::Parser;
use cli::{Cli, Command, DatabaseCommand, KeysCommand, TenantCommand};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    init_tracing();
    match Cli::parse().command {
        Command::Serve(args) => cli::serve(*args).await,
        Command::Migrate(args) => cli::migrate(args).await,
        Command::Tenant { command: TenantCommand::Create(args) } => cli::create_tenant(args).await,
        Command::Seed(args) => cli::seed(args).await,
        Command::Keys { command: KeysCommand::Rotate(args) } => cli::rotate_keys(args).await,
        Command::Database { command: DatabaseCommand::Encrypt(args) } => cli::encrypt_database(args).await,
        Command::Openapi => {
            print!("{}", server::openapi::document_json());
            Ok(())
        }
    }
}

/// Logs go to stderr (RUST_LOG filters them, default `info`; `warn` hides request lines); what
/// a person needs to read,
/// such as the URL and a first password, goes to stdout.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        // A line per request when its span closes, with its duration (see server::telemetry).
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .init();
}
