//! The command line.

use crate::{
    config::{CreateTenantArgs, DatabaseArgs, RotateArgs, SeedArgs, ServeArgs},
    first_start::{TenantPlan, create_tenant as create},
    store,
};
use app::seed::SeedOptions;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use std::{net::TcpListener, sync::Arc};

/// Prints for the operator. A closed stdout (a detached service) must not stop the server, so
/// write errors are ignored, unlike `println!`, which panics.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Debug, Parser)]
#[command(name = "casedesk", version, about = "Case management for customer services")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the web app (migrates the database and creates the first tenant).
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Manage tenants.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Fill a tenant with realistic generated customers and queries (demos, load tests).
    Seed(SeedArgs),
    /// Manage the keys that protect documents.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Manage the embedded database.
    Database {
        #[command(subcommand)]
        command: DatabaseCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum DatabaseCommand {
    /// Encrypt an embedded SQLite database made before encryption (stop Casedesk first): the
    /// data moves to an encrypted file under the database key, and the unencrypted file goes.
    Encrypt(DatabaseArgs),
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Give each tenant (or one) a new key and wrap every document key again under it; the
    /// documents themselves are not encrypted again.
    Rotate(RotateArgs),
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a tenant with its own administrator.
    Create(CreateTenantArgs),
}

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let store = store::connect_and_migrate(&args.database).await?;
    let served = first_start_then_serve(store.clone(), args).await;
    store.close().await;
    served?;
    tracing::info!("stopped");
    Ok(())
}

async fn first_start_then_serve(store: Arc<dyn storage::Database>, args: ServeArgs) -> anyhow::Result<()> {
    if store.list_tenants().await?.is_empty() {
        let plan = TenantPlan {
            slug: &args.tenant_slug,
            name: &args.tenant_name,
            admin_email: &args.admin_email,
            admin_name: "Administrator",
            admin_password: args.admin_password.as_ref(),
        };
        let created = create(store.as_ref(), plan).await?;
        say!("Created tenant '{}' with administrator {}.", created.slug, created.admin_email);
        if let Some(password) = &created.generated_password {
            say!("Generated administrator password (shown once): {}", password.expose_secret());
        }
    }
    if args.demo {
        seed_demo(store.as_ref()).await?;
    }
    let settings = args.server_settings()?;
    // Secrets saved before sealing began are sealed now, before anything reads them.
    let sealed = server::secrets::seal_stored(store.as_ref(), &settings.documents.master_key).await?;
    if sealed > 0 {
        tracing::info!(tenants = sealed, "sealed Entra client secrets that were stored as given");
    }
    let listener = TcpListener::bind(&args.bind)?;
    let address = listener.local_addr()?;
    let host = if address.ip().is_loopback() || address.ip().is_unspecified() {
        "localhost".to_owned()
    } else {
        address.ip().to_string()
    };
    say!("Casedesk is running at http://{host}:{}/ ({} storage)", address.port(), store.backend_name());
    say!("Sign in as the administrator; API docs at http://{host}:{}/docs/", address.port());
    tracing::info!(%address, backend = store.backend_name(), "listening");
    server::run(listener, store, settings)?.await?;
    Ok(())
}

/// Demo data for a newcomer, only into a tenant that has no queries yet, so restarting with
/// `--demo` never adds more.
async fn seed_demo(store: &dyn storage::Database) -> anyhow::Result<()> {
    let Some(tenant) = store.list_tenants().await?.into_iter().next() else { return Ok(()) };
    let start = store.seed_start(&storage::TenantScope::system(tenant.id)).await?;
    if start.last_reference > 0 {
        return Ok(());
    }
    let options = SeedOptions {
        customers: 200,
        queries: 1_000,
        seed: 1,
        tenant: Some(tenant.slug.as_str().into()),
        progress: false,
        queries_per_batch: app::seed::QUERIES_PER_BATCH,
    };
    let report = app::seed::seed(store, &options).await?;
    say!("Added demo data: {} customers and {} queries.", report.customers, report.queries);
    Ok(())
}

pub async fn seed(args: SeedArgs) -> anyhow::Result<()> {
    let store = store::connect_and_migrate(&args.database).await?;
    let options = SeedOptions {
        customers: args.customers,
        queries: args.queries,
        seed: args.seed,
        tenant: args.tenant,
        progress: true,
        queries_per_batch: app::seed::QUERIES_PER_BATCH,
    };
    let report = app::seed::seed(store.as_ref(), &options).await;
    store.close().await;
    let report = report?;
    say!(
        "Seeded tenant '{}': {} customers, {} queries ({} rows) in {:.1} s ({:.0} queries/s).",
        report.tenant,
        report.customers,
        report.queries,
        report.rows,
        report.seconds,
        report.queries as f64 / report.seconds.max(0.001)
    );
    Ok(())
}

pub async fn migrate(args: DatabaseArgs) -> anyhow::Result<()> {
    let store = store::connect_and_migrate(&args).await?;
    let readiness = store.readiness().await;
    store.close().await;
    let readiness = readiness?;
    say!("Migrations applied: {} of {}", readiness.applied_migrations, readiness.known_migrations);
    Ok(())
}

pub async fn create_tenant(args: CreateTenantArgs) -> anyhow::Result<()> {
    let store = store::connect_and_migrate(&args.database).await?;
    let plan = TenantPlan {
        slug: &args.slug,
        name: &args.name,
        admin_email: &args.admin_email,
        admin_name: &args.admin_name,
        admin_password: args.admin_password.as_ref(),
    };
    let created = create(store.as_ref(), plan).await;
    store.close().await;
    let created = created?;
    say!("Created tenant '{}' with administrator {}.", created.slug, created.admin_email);
    if let Some(password) = &created.generated_password {
        say!("Generated administrator password (shown once): {}", password.expose_secret());
    }
    Ok(())
}

pub async fn rotate_keys(args: RotateArgs) -> anyhow::Result<()> {
    let store = store::connect_and_migrate(&args.database).await?;
    let rotated = rotate_each(store.as_ref(), &args).await;
    store.close().await;
    rotated
}

async fn rotate_each(store: &dyn storage::Database, args: &RotateArgs) -> anyhow::Result<()> {
    // Never made here: a key made now would not be the one the tenants' keys are under.
    let master = crate::documents::existing_master_key(&args.documents, &args.database)?;
    for tenant in store.list_tenants().await? {
        if args.tenant.as_deref().is_some_and(|slug| slug != tenant.slug.as_str()) {
            continue;
        }
        let scope = storage::TenantScope::system(tenant.id);
        match server::documents::rotation::rotate(store, &master, &scope).await? {
            Some(rotated) => say!(
                "Tenant '{}': key version {}, {} document keys wrapped again.",
                tenant.slug,
                rotated.version,
                rotated.rewrapped
            ),
            None => say!("Tenant '{}': no key yet (nothing stored under one), left as it is.", tenant.slug),
        }
    }
    Ok(())
}

pub async fn encrypt_database(args: DatabaseArgs) -> anyhow::Result<()> {
    let url = args.resolved_url()?;
    let Some(file) = store::sqlite_file(&url) else {
        anyhow::bail!(
            "only the embedded SQLite database is encrypted by Casedesk; PostgreSQL is encrypted by its storage (docs/security.md)"
        )
    };
    if !file.exists() {
        anyhow::bail!("there is no database at {}", file.display());
    }
    if !storage_sqlite::is_unencrypted(&file)? {
        say!("{} is already encrypted.", file.display());
        return Ok(());
    }
    let (key, key_file) = store::key_for_encrypting(&args)?;
    let beside = |suffix: &str| {
        let mut name = file.clone().into_os_string();
        name.push(suffix);
        std::path::PathBuf::from(name)
    };
    let copy = beside(".encrypting");
    // A copy left by an interrupted run is incomplete: start again.
    let _ = std::fs::remove_file(&copy);
    storage_sqlite::encrypt_copy(&file, &copy, &key).await?;
    // The unencrypted file's write-ahead log and index were folded in and must not be read as
    // the encrypted file's; then the copy takes the database's place in one rename.
    for leftover in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(beside(leftover));
    }
    std::fs::rename(&copy, &file)?;
    say!(
        "Encrypted {} under the key in {}. Back the key up apart from the data: without it the database cannot be read.",
        file.display(),
        key_file.display()
    );
    Ok(())
}
