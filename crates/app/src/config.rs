//! Typed configuration. Precedence: built-in defaults < `CASEDESK_*` environment variables <
//! command-line flags (clap applies exactly that order). Secrets are `SecretString`, so they
//! never appear in `Debug` output or logs.

use clap::Args;
use secrecy::{ExposeSecret, SecretString};
use std::path::PathBuf;

fn secret(raw: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(raw.to_owned()))
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Where data lives when no database URL is given: the SQLite database and documents.
    #[arg(long, env = "CASEDESK_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; `sqlite://…` for SQLite. Default: SQLite in the data dir.
    /// (Not DATABASE_URL, which sqlx reads at compile time.)
    #[arg(long, env = "CASEDESK_DATABASE_URL", value_parser = secret)]
    pub database_url: Option<SecretString>,
    /// The key the embedded SQLite database is encrypted under (32 bytes, raw or base64).
    /// Default: `database.key` in the data dir, made with the database.
    #[arg(long, env = "CASEDESK_DATABASE_KEY_FILE")]
    pub database_key_file: Option<PathBuf>,
}

impl DatabaseArgs {
    /// The URL to connect to, creating the data directory for the embedded default.
    pub fn resolved_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.expose_secret().to_owned());
        }
        std::fs::create_dir_all(&self.data_dir)?;
        let dir = std::fs::canonicalize(&self.data_dir)?;
        Ok(format!("sqlite://{}", dir.join("casedesk.db").display()))
    }

    /// Where the embedded database's key is, and whether it is the default (which may be made).
    pub fn database_key_file(&self) -> (PathBuf, bool) {
        match &self.database_key_file {
            Some(path) => (path.clone(), false),
            None => (self.data_dir.join("database.key"), true),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "CASEDESK_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The first tenant's short name, created on first start.
    #[arg(long, env = "CASEDESK_TENANT_SLUG", default_value = "default")]
    pub tenant_slug: String,
    /// The first tenant's display name.
    #[arg(long, env = "CASEDESK_TENANT_NAME", default_value = "Casedesk")]
    pub tenant_name: String,
    /// The first administrator's email address.
    #[arg(long, env = "CASEDESK_ADMIN_EMAIL", default_value = "admin@example.org")]
    pub admin_email: String,
    /// The first administrator's password; generated and printed once when not given.
    #[arg(long, env = "CASEDESK_ADMIN_PASSWORD", value_parser = secret)]
    pub admin_password: Option<SecretString>,
    /// Minutes without a request before a session ends.
    #[arg(long, env = "CASEDESK_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,
    /// Hours after sign-in when a session ends, however active.
    #[arg(long, env = "CASEDESK_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    pub session_absolute_hours: i64,
    /// Wrong passwords from one source (an address, an IPv6 /64) after which an account is
    /// locked for that source (after three, each further attempt from it already waits 1, 2,
    /// 4… seconds). Break-glass accounts are throttled, never locked.
    #[arg(long, env = "CASEDESK_SIGN_IN_LOCK_AFTER", default_value_t = 10)]
    pub sign_in_lock_after: u32,
    /// How long a locked account stays locked for the source that locked it.
    #[arg(long, env = "CASEDESK_SIGN_IN_LOCKOUT_MINUTES", default_value_t = 15)]
    pub sign_in_lockout_minutes: i64,
    /// Where Entra ID is (each organisation's directory is `{this}/{tid}/v2.0`). Change only for
    /// a sovereign cloud, or a stand-in in tests.
    #[arg(long, env = "CASEDESK_ENTRA_AUTHORITY", default_value = "https://login.microsoftonline.com")]
    pub entra_authority: String,
    /// Microsoft Graph, asked for a person's groups when their token had too many to list.
    #[arg(long, env = "CASEDESK_GRAPH_BASE_URL", default_value = "https://graph.microsoft.com")]
    pub graph_base_url: String,
    /// How many reads that scan (lists, search, counts, customer timelines) run at once; more
    /// wait their turn, so opening a record or saving a change never queues behind them.
    /// Default: the number of cores.
    #[arg(long, env = "CASEDESK_SCAN_CONCURRENCY")]
    pub scan_concurrency: Option<usize>,
    /// Reverse proxies whose `Forwarded` and `X-Forwarded-For` headers are believed, comma
    /// separated addresses or networks (`10.0.0.0/24`). From anyone else those headers are
    /// ignored and the connection's address is the client's.
    #[arg(long, env = "CASEDESK_TRUSTED_PROXIES", default_value = "", value_parser = server::TrustedProxies::parse)]
    pub trusted_proxies: server::TrustedProxies,
    /// Sign-in attempts a minute from one address, across accounts; 0 turns the limit off.
    #[arg(long, env = "CASEDESK_RATE_LIMIT_SIGN_IN", default_value_t = 30)]
    pub rate_limit_sign_in: u32,
    /// API requests a minute with one session or token; 0 turns the limit off.
    #[arg(long, env = "CASEDESK_RATE_LIMIT_PER_CREDENTIAL", default_value_t = 1200)]
    pub rate_limit_per_credential: u32,
    /// API requests a minute from one address, all its users together; 0 turns the limit off.
    #[arg(long, env = "CASEDESK_RATE_LIMIT_PER_ADDRESS", default_value_t = 6000)]
    pub rate_limit_per_address: u32,
    /// Requests a minute from one address without a credential (public pages, anonymous
    /// calls); 0 turns the limit off.
    #[arg(long, env = "CASEDESK_RATE_LIMIT_PUBLIC", default_value_t = 300)]
    pub rate_limit_public: u32,
    /// Seconds a request body may take to arrive once its headers have.
    #[arg(long, env = "CASEDESK_BODY_TIMEOUT_SECONDS", default_value_t = 10)]
    pub body_timeout_seconds: u64,
    /// Milliseconds between the job scheduler's looks for due work when none was due.
    #[arg(long, env = "CASEDESK_SCHEDULER_TICK_MS", default_value_t = 1000)]
    pub scheduler_tick_ms: u64,
    /// Seconds a process holds a job it claimed; after a crash, another process takes the
    /// job over once this has passed.
    #[arg(long, env = "CASEDESK_JOB_LEASE_SECONDS", default_value_t = 120)]
    pub job_lease_seconds: u64,
    /// Seconds between sweeps for service-level alerts (due soon, overdue): how late an alert
    /// may be.
    #[arg(long, env = "CASEDESK_SLA_ALERT_SECONDS", default_value_t = 30)]
    pub sla_alert_seconds: u64,
    #[command(flatten)]
    pub documents: DocumentArgs,
    /// On first start with no queries yet, fill the tenant with demo data (200 customers and
    /// 1,000 queries) so there is something to look at.
    #[arg(long, env = "CASEDESK_DEMO", default_value_t = false)]
    pub demo: bool,
    /// Registers endpoints only tests use (a slow request). Never in production.
    #[arg(long, env = "CASEDESK_TEST_ENDPOINTS", default_value_t = false, hide = true)]
    pub test_endpoints: bool,
}

impl ServeArgs {
    /// The server's settings; reads (or on first start makes) the master key and opens the
    /// documents' store.
    pub fn server_settings(&self) -> anyhow::Result<server::ServerSettings> {
        Ok(server::ServerSettings {
            session_absolute_secs: self.session_absolute_hours * 3600,
            session_idle_secs: self.session_idle_minutes * 60,
            test_endpoints: self.test_endpoints,
            lockout: domain::sign_in::LockoutPolicy {
                lock_after: self.sign_in_lock_after,
                lockout_secs: self.sign_in_lockout_minutes * 60,
                ..Default::default()
            },
            entra: server::EntraEndpoints {
                authority: self.entra_authority.trim_end_matches('/').to_owned(),
                graph: self.graph_base_url.trim_end_matches('/').to_owned(),
            },
            scan_concurrency: self.scan_concurrency.unwrap_or_else(server::ScanGate::default_size),
            trusted_proxies: self.trusted_proxies.clone(),
            rate_limits: server::RateLimitSettings {
                sign_in_per_address: self.rate_limit_sign_in,
                api_per_credential: self.rate_limit_per_credential,
                api_per_address: self.rate_limit_per_address,
                public_per_address: self.rate_limit_public,
            },
            body_timeout_secs: self.body_timeout_seconds,
            scheduler: server::scheduler::SchedulerSettings {
                tick: std::time::Duration::from_millis(self.scheduler_tick_ms.max(10)),
                lease: std::time::Duration::from_secs(self.job_lease_seconds.max(1)),
                alert_sweep: std::time::Duration::from_secs(self.sla_alert_seconds.max(1)),
                ..Default::default()
            },
            documents: crate::documents::settings(&self.documents, &self.database)?,
        })
    }
}

/// Documents: where they are kept, the key that protects them, and the virus scanner.
#[derive(Debug, Clone, Args)]
pub struct DocumentArgs {
    /// A file holding the 32-byte master key (raw, or base64 on one line) that every tenant's
    /// document keys are wrapped under. Default: `master.key` in the data dir, generated on
    /// first start. Keep it apart from the database and the documents' backups.
    #[arg(long, env = "CASEDESK_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
    /// Where encrypted documents are kept on the local filesystem. Default: `documents` in the
    /// data dir.
    #[arg(long, env = "CASEDESK_DOCUMENTS_DIR", conflicts_with = "documents_store")]
    pub documents_dir: Option<PathBuf>,
    /// Keep encrypted documents in Azure Blob Storage (`az://<container>`) or an S3-compatible
    /// store (`s3://<bucket>`) instead, with credentials from the platform's own variables
    /// (`AZURE_STORAGE_ACCOUNT_NAME` and a key, SAS or managed identity; `AWS_*`).
    #[arg(long, env = "CASEDESK_DOCUMENTS_STORE")]
    pub documents_store: Option<String>,
    /// clamd's TCP address; every upload is checked there before it is kept.
    #[arg(long, env = "CASEDESK_CLAMD_ADDRESS", default_value = "127.0.0.1:3310")]
    pub clamd_address: String,
    /// Seconds any one step of a virus check may take before the upload is refused.
    #[arg(long, env = "CASEDESK_CLAMD_TIMEOUT_SECONDS", default_value_t = 30)]
    pub clamd_timeout_seconds: u64,
    /// The largest file accepted, in MiB (clamd's `StreamMaxLength` must allow as much).
    #[arg(long, env = "CASEDESK_DOCUMENT_MAX_MIB", default_value_t = 100)]
    pub document_max_mib: u64,
    /// The most files one upload may carry.
    #[arg(long, env = "CASEDESK_DOCUMENT_MAX_FILES", default_value_t = 50)]
    pub document_max_files: usize,
    /// How many hours a document's virus check stands before the scheduled rescan checks it
    /// again against clamd's current signatures.
    #[arg(long, env = "CASEDESK_DOCUMENT_RESCAN_HOURS", default_value_t = 24)]
    pub document_rescan_hours: u64,
}

#[derive(Debug, Clone, Args)]
pub struct CreateTenantArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Short name: lowercase letters, digits and hyphens.
    #[arg(long)]
    pub slug: String,
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub admin_email: String,
    #[arg(long, default_value = "Administrator")]
    pub admin_name: String,
    /// Generated and printed once when not given.
    #[arg(long, env = "CASEDESK_ADMIN_PASSWORD", value_parser = secret)]
    pub admin_password: Option<SecretString>,
}

#[derive(Debug, Clone, Args)]
pub struct RotateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub documents: DocumentArgs,
    /// Only this tenant (its slug); default: every tenant.
    #[arg(long)]
    pub tenant: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// How many customers to add.
    #[arg(long, default_value_t = 1_000)]
    pub customers: usize,
    /// How many queries to add (with their histories, notes, events and audit entries).
    #[arg(long, default_value_t = 5_000)]
    pub queries: usize,
    /// The random seed: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The tenant to fill (its slug); default: the first tenant.
    #[arg(long)]
    pub tenant: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Probe {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let probe =
            Probe::parse_from(["x", "--admin-password", "hunter2-hunter2", "--database-url", "postgres://u:pw@h/db"]);
        let debug = format!("{probe:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(!debug.contains(":pw@"), "{debug}");
    }

    #[test]
    fn flags_override_defaults() {
        let data = tempfile::tempdir().unwrap();
        let data_dir = data.path().to_str().unwrap();
        let probe =
            Probe::parse_from(["x", "--bind", "127.0.0.1:9999", "--session-idle-minutes", "5", "--data-dir", data_dir]);
        assert_eq!(probe.serve.bind, "127.0.0.1:9999");
        assert_eq!(probe.serve.server_settings().unwrap().session_idle_secs, 300);
        assert_eq!(Probe::parse_from(["x"]).serve.tenant_slug, "default");
    }
}
