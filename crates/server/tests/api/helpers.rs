use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::{Value, json};
use std::{net::TcpListener, sync::Arc};
use storage::{Database, NewTenant};

pub const PASSWORD: &str = "correct-horse-battery";
pub const CSRF: (&str, &str) = ("X-Casedesk-CSRF", "1");

/// Generates one test per backend for each listed `async fn(TestApp)` in the calling module.
#[macro_export]
macro_rules! both_backends {
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[actix_web::test]
                async fn $case() {
                    super::$case($crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[actix_web::test]
                async fn $case() {
                    super::$case($crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await).await;
                }
            )+
        }
    };
}

/// Runs each case against documents kept in Azure Blob Storage (Azurite, which the test command
/// starts), on SQLite.
#[macro_export]
macro_rules! on_azurite {
    ($($case:ident),+ $(,)?) => {
        mod azurite {
            $(
                #[actix_web::test]
                async fn $case() {
                    super::$case($crate::helpers::spawn_app_on_azurite().await).await;
                }
            )+
        }
    };
}

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Raw access behind the repositories (and, on PostgreSQL, behind row-level security), to
/// count rows and to tamper.
pub enum Db {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub store: Arc<dyn Database>,
    pub db: Db,
    /// Where the documents' blobs are kept: a directory of the test's own, or Azurite.
    pub blob_store: Arc<dyn object_store::ObjectStore>,
    /// The master key the server was given, for what runs beside it (`casedesk keys rotate`).
    pub master_key: Arc<files::MasterKey>,
    _dir: tempfile::TempDir,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// As `spawn_app`, with settings changed by `adjust` (a short idle timeout, say).
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut server::ServerSettings)) -> TestApp {
    spawn(backend, None, adjust).await
}

/// The Azurite container the tests share; each app's blobs are under its own tenants' prefixes.
pub const AZURITE_CONTAINER: &str = "casedesk-test";

/// On SQLite, with documents in Azurite (`ensure_azurite` in scripts/lib.sh; fails, never
/// skips, when it is not running).
pub async fn spawn_app_on_azurite() -> TestApp {
    std::env::var("AZURITE_BLOB_STORAGE_URL").expect("AZURITE_BLOB_STORAGE_URL: run `ensure_azurite` first");
    spawn(Backend::Sqlite, Some(files::stores::azurite(AZURITE_CONTAINER).unwrap()), |_| {}).await
}

async fn spawn(
    backend: Backend,
    blob_store: Option<Arc<dyn object_store::ObjectStore>>,
    adjust: impl FnOnce(&mut server::ServerSettings),
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (store, db): (Arc<dyn Database>, Db) = match backend {
        Backend::Sqlite => {
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            let store = storage_sqlite::SqliteStore::connect_and_migrate(&url).await.unwrap();
            let pool = store.pool().clone();
            (Arc::new(store), Db::Sqlite(pool))
        }
        Backend::Postgres => {
            // The app connects as an ordinary role, so row-level security binds it; the tests
            // look behind it as the admin.
            let (url, admin_url) = storage_postgres::testing::fresh_database().await;
            let store = storage_postgres::PgStore::connect_and_migrate(&url).await.unwrap();
            let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
            (Arc::new(store), Db::Postgres(admin))
        }
    };
    for letter in ["a", "b"] {
        store.create_tenant(new_tenant(letter)).await.unwrap();
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Locks at the fifth wrong password, with no throttling before (throttling is timed, so it
    // is tested in the storage suite with a clock of its own).
    let lockout = domain::sign_in::LockoutPolicy { throttle_after: 1000, lock_after: 5, lockout_secs: 900 };
    let entra = server::EntraEndpoints { authority: entra_mock(), graph: format!("{}/graph", entra_mock()) };
    // Rate limits off: a test signs in more often than any person would. The tests of the
    // limits turn them on.
    let rate_limits = server::RateLimitSettings::off();
    let blob_store = match blob_store {
        Some(store) => store,
        None => files::stores::directory(&dir.path().join("blobs")).unwrap(),
    };
    let master_key = Arc::new(files::MasterKey::generate());
    let documents = server::documents::DocumentSettings {
        master_key: master_key.clone(),
        vault: files::Vault::new(blob_store.clone()),
        scanner: files::Scanner::new(clamd(), std::time::Duration::from_secs(10)),
        ..Default::default()
    };
    let mut settings =
        server::ServerSettings { session_idle_secs: 600, lockout, entra, rate_limits, documents, ..Default::default() };
    adjust(&mut settings);
    let running = server::run(listener, store.clone(), settings).unwrap();
    actix_web::rt::spawn(running);
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        store,
        db,
        blob_store,
        master_key,
        _dir: dir,
    }
}

/// The clamd the test command starts (`ensure_clamd` in scripts/lib.sh), with signatures that
/// find the EICAR test string. Tests that need it fail when it is not running.
pub fn clamd() -> String {
    std::env::var("CASEDESK_TEST_CLAMD").unwrap_or_else(|_| "127.0.0.1:13310".into())
}

/// The Entra ID stand-in the test command starts (scripts/entra-mock.mjs). Tests that need it
/// fail when it is not running: nothing is skipped.
pub fn entra_mock() -> String {
    std::env::var("CASEDESK_TEST_ENTRA_URL").unwrap_or_else(|_| "http://127.0.0.1:18081".into())
}

/// Tenant `tenant-<letter>` with administrator `admin@<letter>.example.org`.
fn new_tenant(letter: &str) -> NewTenant {
    use domain::{tenant::*, user::*};
    NewTenant {
        slug: TenantSlug::parse("slug", &format!("tenant-{letter}")).unwrap(),
        name: TenantName::parse("name", &format!("Tenant {}", letter.to_uppercase())).unwrap(),
        admin_email: EmailAddress::parse("email", &format!("admin@{letter}.example.org")).unwrap(),
        admin_name: DisplayName::parse("name", "Administrator").unwrap(),
        admin_password_hash: server::hash_password(PASSWORD).unwrap(),
    }
}

/// A response, read once.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem+json error with this status and code.
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "{self:?}");
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "{self:?}");
        assert_eq!(self.body["code"], code, "{self:?}");
        assert_eq!(self.body["status"], status, "{self:?}");
    }

    /// The `field` of every field error.
    pub fn fields(&self) -> Vec<String> {
        let errors = self.body["errors"].as_array().cloned().unwrap_or_default();
        errors.iter().map(|e| e["field"].as_str().unwrap_or_default().to_owned()).collect()
    }
}

/// How a request authenticates.
#[derive(Debug, Clone, Default)]
pub struct As {
    pub cookie: Option<String>,
    pub csrf: bool,
}

impl As {
    pub fn anonymous() -> Self {
        Self { cookie: None, csrf: true }
    }
}

impl TestApp {
    pub async fn request(&self, method: Method, path: &str, who: &As, body: Option<RawBody>) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.address));
        if let Some(cookie) = &who.cookie {
            request = request.header("Cookie", cookie);
        }
        if who.csrf {
            request = request.header(CSRF.0, CSRF.1);
        }
        if let Some(body) = body {
            request = request.header("Content-Type", body.content_type).body(body.bytes);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, headers, body }
    }

    pub async fn get(&self, path: &str, who: &As) -> Reply {
        self.request(Method::GET, path, who, None).await
    }

    pub async fn post_json(&self, path: &str, who: &As, body: Value) -> Reply {
        self.request(Method::POST, path, who, Some(RawBody::json(body))).await
    }

    /// A write with `If-Match` (when given), as JSON.
    pub async fn send_if_match(&self, method: Method, path: &str, who: &As, etag: Option<&str>, body: Value) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address))
            .header("Cookie", who.cookie.clone().unwrap_or_default())
            .header(CSRF.0, CSRF.1);
        if let Some(etag) = etag {
            request = request.header("If-Match", etag);
        }
        let response = request.json(&body).send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.json().await.unwrap_or(Value::Null);
        Reply { status, headers, body }
    }

    /// The signed-in user's id.
    pub async fn user_id(&self, who: &As) -> Value {
        self.get("/api/v1/me", who).await.body["user"]["id"].clone()
    }

    /// The signed-in user's live event stream, opened (the response, its body still to read).
    pub async fn event_stream(&self, who: &As) -> reqwest::Response {
        let cookie = who.cookie.clone().expect("a browser session");
        let url = format!("{}/api/v1/notifications/stream", self.address);
        self.client.get(url).header("Cookie", cookie).send().await.unwrap()
    }

    /// A POST with an `Idempotency-Key`.
    pub async fn post_with_key(&self, path: &str, who: &As, key: &str, body: &Value) -> Reply {
        let response = self
            .client
            .post(format!("{}{path}", self.address))
            .header("Cookie", who.cookie.clone().unwrap_or_default())
            .header(CSRF.0, CSRF.1)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.json().await.unwrap_or(Value::Null);
        Reply { status, headers, body }
    }

    /// Signs in and returns the session cookie (`name=value`).
    pub async fn sign_in(&self, organisation: &str, email: &str, password: &str) -> As {
        let body = json!({"organisation": organisation, "email": email, "password": password});
        let reply = self.post_json("/api/v1/auth/sign-in", &As::anonymous(), body).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        let set_cookie = reply.header("set-cookie").expect("a session cookie");
        let pair = set_cookie.split(';').next().unwrap().to_owned();
        As { cookie: Some(pair), csrf: true }
    }

    pub async fn admin_a(&self) -> As {
        self.sign_in("tenant-a", "admin@a.example.org", PASSWORD).await
    }

    pub async fn admin_b(&self) -> As {
        self.sign_in("tenant-b", "admin@b.example.org", PASSWORD).await
    }

    /// Creates a user in tenant A through the API and signs them in.
    pub async fn officer_a(&self, email: &str) -> As {
        let admin = self.admin_a().await;
        let groups = self.get("/api/v1/groups", &admin).await;
        let officers =
            groups.body["items"].as_array().unwrap().iter().find(|g| g["name"] == "Customer officers").unwrap()["id"]
                .clone();
        let body =
            json!({"email": email, "display_name": "Olive Officer", "password": PASSWORD, "group_ids": [officers]});
        let created = self.post_json("/api/v1/users", &admin, body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
        self.sign_in("tenant-a", email, PASSWORD).await
    }

    /// Row counts of the tables a failed write must not touch. Audit entries count linked and
    /// not yet linked ones alike (the server links them moments after each write).
    pub async fn counts(&self) -> (i64, i64, i64) {
        let q = |table: &str| format!("SELECT count(*) FROM {table}");
        let audit = "SELECT (SELECT count(*) FROM audit_entries) + (SELECT count(*) FROM audit_pending)".to_owned();
        let mut counts = [0; 3];
        for (count, sql) in counts.iter_mut().zip([q("users"), audit, q("identities")]) {
            let sql = sqlx::AssertSqlSafe(sql);
            *count = match &self.db {
                Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
                Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
            };
        }
        (counts[0], counts[1], counts[2])
    }

    /// Everything a refused request must leave as it was: row counts of every stored record,
    /// the sum of their versions, and read marks. (Sessions are left out: signing in is how
    /// the test starts.)
    pub async fn snapshot(&self) -> Vec<(String, i64)> {
        const COUNTED: [&str; 23] = [
            "tenants",
            "query_restrictions",
            "tenant_settings",
            "api_tokens",
            "users",
            "identities",
            "groups",
            "grants",
            "group_members",
            "customers",
            "customer_contacts",
            "queries",
            "query_status_transitions",
            "events",
            "teams",
            "team_members",
            "query_types",
            "query_notes",
            "notifications",
            "query_statuses",
            "workflow_versions",
            "documents",
            "tenant_keys",
        ];
        const VERSIONED: [&str; 9] = [
            "users",
            "groups",
            "customers",
            "queries",
            "teams",
            "query_types",
            "query_statuses",
            "workflows",
            "documents",
        ];
        let mut sql: Vec<(String, String)> =
            COUNTED.iter().map(|t| (format!("rows {t}"), format!("SELECT count(*) FROM {t}"))).collect();
        sql.extend(
            VERSIONED.iter().map(|t| {
                (format!("versions {t}"), format!("SELECT CAST(coalesce(sum(version), 0) AS BIGINT) FROM {t}"))
            }),
        );
        sql.push(("read notifications".into(), "SELECT count(*) FROM notifications WHERE read_at IS NOT NULL".into()));
        // One count for both audit tables: the server moves entries from one to the other.
        let audit = "SELECT (SELECT count(*) FROM audit_entries) + (SELECT count(*) FROM audit_pending)";
        sql.push(("rows audit".into(), audit.into()));
        let mut values = Vec::with_capacity(sql.len());
        for (name, query) in sql {
            let query = sqlx::AssertSqlSafe(query);
            let value: i64 = match &self.db {
                Db::Sqlite(pool) => sqlx::query_scalar(query).fetch_one(pool).await.unwrap(),
                Db::Postgres(pool) => sqlx::query_scalar(query).fetch_one(pool).await.unwrap(),
            };
            values.push((name, value));
        }
        values
    }

    /// Tenant A's audit entries, oldest first (the chain, then any not linked yet): action,
    /// actor id and payload JSON. One statement, so an entry being linked meanwhile is seen once.
    pub async fn audit_entries(&self) -> Vec<(String, Option<uuid::Uuid>, String)> {
        let sql = "SELECT action, actor_id, payload FROM (
                       SELECT a.action, a.actor_id, a.payload, 0 AS part, a.seq AS pos, a.at
                       FROM audit_entries a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = 'tenant-a'
                       UNION ALL
                       SELECT p.action, p.actor_id, p.payload, 1 AS part, 0 AS pos, p.at
                       FROM audit_pending p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = 'tenant-a'
                   ) trail ORDER BY part, pos, at";
        let rows: Vec<(String, Option<uuid::Uuid>, Option<String>)> = match &self.db {
            Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
            Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
        };
        rows.into_iter().map(|(action, actor, payload)| (action, actor, payload.unwrap_or_default())).collect()
    }

    /// Signs a user of tenant A in again (ending their other session).
    pub async fn officer_sign_in_again(&self, email: &str) -> As {
        self.sign_in("tenant-a", email, PASSWORD).await
    }

    /// Every audited action in tenant A's audit trail, oldest first.
    pub async fn audit_actions(&self) -> Vec<String> {
        self.audit_entries().await.into_iter().map(|(action, _, _)| action).collect()
    }

    /// Runs a statement directly against the database.
    pub async fn execute(&self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match &self.db {
            Db::Sqlite(pool) => drop(sqlx::query(sql).execute(pool).await.unwrap()),
            Db::Postgres(pool) => drop(sqlx::query(sql).execute(pool).await.unwrap()),
        }
    }
}

pub struct RawBody {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl RawBody {
    pub fn json(value: Value) -> Self {
        Self { content_type: "application/json", bytes: value.to_string().into_bytes() }
    }

    pub fn raw(content_type: &'static str, text: &str) -> Self {
        Self { content_type, bytes: text.as_bytes().to_vec() }
    }
}
