//! The binary as an operator runs it: first start, graceful shutdown, tenant creation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::Duration,
};

const BIN: &str = env!("CARGO_BIN_EXE_casedesk");

/// Starts `casedesk serve` on a free port with its own data directory; returns the child and
/// the base URL it printed, plus everything it printed before that.
#[expect(clippy::zombie_processes, reason = "every caller waits for the child it is given")]
fn serve(data_dir: &std::path::Path, extra_env: &[(&str, &str)]) -> (Child, String, Vec<String>) {
    let mut child = Command::new(BIN)
        .arg("serve")
        .env("CASEDESK_BIND", "127.0.0.1:0")
        .env("CASEDESK_DATA_DIR", data_dir)
        .env_remove("CASEDESK_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .envs(extra_env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = vec![];
    loop {
        let line = lines.next().expect("serve printed its URL").unwrap();
        if let Some(rest) = line.strip_prefix("Casedesk is running at ") {
            let url = rest.split_whitespace().next().unwrap().trim_end_matches('/').to_owned();
            // Keep draining stdout, as a terminal would.
            std::thread::spawn(move || lines.for_each(drop));
            return (child, url, printed);
        }
        printed.push(line);
    }
}

async fn sign_in_as_admin(client: &reqwest::Client, url: &str, password: &str) -> reqwest::Response {
    let body = serde_json::json!({"email": "admin@example.org", "password": password});
    client.post(format!("{url}/api/v1/auth/sign-in")).header("X-Casedesk-CSRF", "1").json(&body).send().await.unwrap()
}

#[tokio::test]
async fn sigterm_lets_a_slow_request_finish_then_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("CASEDESK_ADMIN_PASSWORD", "correct-horse-battery"), ("CASEDESK_TEST_ENDPOINTS", "true")];
    let (mut child, url, _) = serve(dir.path(), &env);
    // Open the connection with a quick request first, so the slow one travels on a connection
    // the server has already accepted (a loaded machine may take a while to accept a new one,
    // and a connection still in the listen queue at SIGTERM is rightly refused).
    let client = reqwest::Client::builder().pool_max_idle_per_host(1).build().unwrap();
    assert_eq!(client.get(format!("{url}/healthz")).send().await.unwrap().status(), 200);
    let slow = tokio::spawn(async move { client.get(format!("{url}/__test/sleep?ms=3000")).send().await });
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let response = slow.await.unwrap().expect("the in-flight request completes");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "slept");
    let status = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
}

#[tokio::test]
async fn sigterm_ends_open_event_streams_so_shutdown_does_not_wait_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url, _) = serve(dir.path(), &[("CASEDESK_ADMIN_PASSWORD", "correct-horse-battery")]);
    let client = reqwest::Client::new();
    let signed_in = sign_in_as_admin(&client, &url, "correct-horse-battery").await;
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let mut stream =
        client.get(format!("{url}/api/v1/notifications/stream")).header("Cookie", cookie).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    assert!(stream.chunk().await.unwrap().is_some(), "the stream opens");
    let stopped_at = std::time::Instant::now();
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    // The stream ends (rather than keeping the server up for its 30 s shutdown timeout).
    let ended =
        tokio::time::timeout(Duration::from_secs(10), async { while let Ok(Some(_)) = stream.chunk().await {} }).await;
    assert!(ended.is_ok(), "the stream ended");
    let status = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
    assert!(stopped_at.elapsed() < Duration::from_secs(10), "stopped in {:?}", stopped_at.elapsed());
}

#[tokio::test]
async fn first_start_prints_a_generated_password_once_and_it_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url, printed) = serve(dir.path(), &[]);
    let password = printed
        .iter()
        .find_map(|l| l.strip_prefix("Generated administrator password (shown once): "))
        .expect("a generated password")
        .to_owned();
    let reply = sign_in_as_admin(&reqwest::Client::new(), &url, &password).await;
    assert_eq!(reply.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();

    // The second start reuses the database and prints no password.
    let (mut child, _, printed) = serve(dir.path(), &[]);
    assert!(printed.iter().all(|l| !l.contains("password")), "{printed:?}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn tenant_create_adds_a_tenant_with_its_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .env("CASEDESK_DATA_DIR", dir.path())
            .env_remove("CASEDESK_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let created =
        run(&["tenant", "create", "--slug", "north", "--name", "North", "--admin-email", "boss@north.example.org"]);
    assert!(created.status.success(), "{created:?}");
    let stdout = String::from_utf8(created.stdout).unwrap();
    assert!(stdout.contains("Created tenant 'north' with administrator boss@north.example.org."), "{stdout}");
    assert!(stdout.contains("Generated administrator password (shown once): "));
    let again =
        run(&["tenant", "create", "--slug", "north", "--name", "North", "--admin-email", "x@north.example.org"]);
    assert!(!again.status.success(), "a duplicate slug is refused");
    let bad = run(&["tenant", "create", "--slug", "No Spaces", "--name", "X", "--admin-email", "x@example.org"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8(bad.stderr).unwrap().contains("slug"));
    let migrate = run(&["migrate"]);
    let migrated = String::from_utf8(migrate.stdout).unwrap();
    let counts = migrated.trim().strip_prefix("Migrations applied: ").expect("a count").split_once(" of ").unwrap();
    assert_eq!(counts.0, counts.1, "every known migration applied: {migrated}");
    assert!(counts.0.parse::<u32>().unwrap() >= 1);
}

/// Two server processes on one PostgreSQL database while 40 queries fall due: each gets its
/// "due soon" and its "overdue" alert exactly once, although one process is killed (SIGKILL,
/// no goodbye) while the due-soon alerts are going out and the other has to take over the sweep
/// once the dead one's lease lapses.
#[tokio::test]
async fn two_processes_on_one_database_alert_each_query_once_though_one_is_killed() {
    const QUERIES: i64 = 40;
    let (url, admin_url) = storage_postgres::testing::fresh_database().await;
    let password = "correct-horse-battery";
    let env = [
        ("CASEDESK_DATABASE_URL", url.as_str()),
        ("CASEDESK_ADMIN_PASSWORD", password),
        ("CASEDESK_SCHEDULER_TICK_MS", "100"),
        ("CASEDESK_SLA_ALERT_SECONDS", "1"),
        ("CASEDESK_JOB_LEASE_SECONDS", "3"),
    ];
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // One after the other: the first migrates and creates the organisation.
    let (mut first, url_a, _) = serve(dir_a.path(), &env);
    let (mut second, _, _) = serve(dir_b.path(), &env);

    let client = reqwest::Client::new();
    let signed_in = sign_in_as_admin(&client, &url_a, password).await;
    assert_eq!(signed_in.status(), 200);
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let post = |path: &str, body: serde_json::Value| {
        client
            .post(format!("{url_a}/api/v1{path}"))
            .header("Cookie", &cookie)
            .header("X-Casedesk-CSRF", "1")
            .json(&body)
            .send()
    };
    let me = client.get(format!("{url_a}/api/v1/me")).header("Cookie", &cookie).send().await.unwrap();
    let me: serde_json::Value = me.json().await.unwrap();
    let admin_id = me["user"]["id"].as_str().expect("my id").to_owned();
    // Low-priority queries get one minute to a first response, due soon at half time.
    let policy = serde_json::json!({
        "name": "One minute", "conditions": {"priorities": ["low"]},
        "first_response": {"calendar_id": "00000000-0000-7000-8000-000000000001", "unit": "calendar_minutes", "amount": 1},
        "due_soon": {"rule": "percent", "value": 50}
    });
    let created = post("/sla-policies", policy).await.unwrap();
    assert_eq!(created.status(), 201);
    let policy_id = created.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let ordered = client
        .put(format!("{url_a}/api/v1/sla-policies/order"))
        .header("Cookie", &cookie)
        .header("X-Casedesk-CSRF", "1")
        .json(&serde_json::json!({"ids": [policy_id]}))
        .send()
        .await
        .unwrap();
    assert_eq!(ordered.status(), 200);

    // Received 25 s ago and later, 250 ms apart: due soon 5-15 s from now, overdue 35-45 s.
    let start = chrono::Utc::now();
    for i in 0..QUERIES {
        let received = start - chrono::Duration::milliseconds(25_000 - i * 250);
        let body = serde_json::json!({"channel": "web_form", "priority": "low", "subject": format!("Falling due {i}"),
            "received_at": received.to_rfc3339(), "assignee_id": admin_id});
        assert_eq!(post("/queries", body).await.unwrap().status(), 201);
    }
    // In the middle of the due-soon alerts, the first process dies.
    tokio::time::sleep_until(
        tokio::time::Instant::now()
            + (start + chrono::Duration::seconds(10) - chrono::Utc::now()).to_std().unwrap_or_default(),
    )
    .await;
    first.kill().unwrap();
    first.wait().unwrap();

    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    let count = |kind: &'static str| {
        let admin = admin.clone();
        async move {
            let sql = "SELECT count(*) FROM notifications WHERE kind = $1";
            sqlx::query_scalar::<_, i64>(sql).bind(kind).fetch_one(&admin).await.unwrap()
        }
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while count("overdue").await < QUERIES && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // A few more sweeps, to catch any repeat.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let per_query = "SELECT kind, count(DISTINCT subject_id) AS queries, count(*) AS alerts FROM notifications
                     WHERE kind IN ('due_soon', 'overdue') GROUP BY kind ORDER BY kind";
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(per_query).fetch_all(&admin).await.unwrap();
    assert_eq!(
        rows,
        [("due_soon".to_owned(), QUERIES, QUERIES), ("overdue".to_owned(), QUERIES, QUERIES)],
        "every query alerted once of each kind"
    );
    second.kill().unwrap();
    second.wait().unwrap();
}

/// `casedesk keys rotate` between two runs of the server: the tenant gets key version 2, the
/// document's key is wrapped again, and the document reads back the same after the restart.
#[tokio::test]
async fn keys_rotate_wraps_document_keys_again_and_documents_still_read() {
    // Without the server's master key there is nothing to rotate with, and none is made.
    let empty = tempfile::tempdir().unwrap();
    let refused = Command::new(BIN)
        .args(["keys", "rotate"])
        .env("CASEDESK_DATA_DIR", empty.path())
        .env_remove("CASEDESK_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(!refused.status.success(), "{refused:?}");
    assert!(!empty.path().join("master.key").exists(), "no master key is made by rotate");

    let dir = tempfile::tempdir().unwrap();
    let password = "correct-horse-battery";
    let clamd = std::env::var("CASEDESK_TEST_CLAMD").unwrap_or_else(|_| "127.0.0.1:13310".into());
    let env = [("CASEDESK_ADMIN_PASSWORD", password), ("CASEDESK_CLAMD_ADDRESS", clamd.as_str())];
    let (mut child, url, _) = serve(dir.path(), &env);
    let client = reqwest::Client::new();
    let signed_in = sign_in_as_admin(&client, &url, password).await;
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let query: serde_json::Value = client
        .post(format!("{url}/api/v1/queries"))
        .header("Cookie", &cookie)
        .header("X-Casedesk-CSRF", "1")
        .json(&serde_json::json!({"channel": "post", "subject": "Rotation"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let letter = b"Dear Council,\nplease collect the bins.\n".repeat(2000);
    let mut form =
        b"--b0undary\r\nContent-Disposition: form-data; name=\"files\"; filename=\"letter.txt\"\r\n\r\n".to_vec();
    form.extend_from_slice(&letter);
    form.extend_from_slice(b"\r\n--b0undary--\r\n");
    let added: serde_json::Value = client
        .post(format!("{url}/api/v1/queries/{}/documents", query["id"].as_str().unwrap()))
        .header("Cookie", &cookie)
        .header("X-Casedesk-CSRF", "1")
        .header("Content-Type", "multipart/form-data; boundary=b0undary")
        .body(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let document = added["items"][0]["id"].as_str().expect("the document was attached").to_owned();
    child.kill().unwrap();
    child.wait().unwrap();

    let rotated = Command::new(BIN)
        .args(["keys", "rotate"])
        .env("CASEDESK_DATA_DIR", dir.path())
        .env_remove("CASEDESK_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(rotated.status.success(), "{rotated:?}");
    let said = String::from_utf8(rotated.stdout).unwrap();
    assert_eq!(said.trim(), "Tenant 'default': key version 2, 1 document keys wrapped again.");

    let (mut child, url, _) = serve(dir.path(), &env);
    let signed_in = sign_in_as_admin(&client, &url, password).await;
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let got = client
        .get(format!("{url}/api/v1/documents/{document}/content"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert!(got.bytes().await.unwrap() == letter, "the document reads back the same");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// The database's files under the data dir (the main file and its write-ahead log), together.
fn database_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("casedesk.db") {
            bytes.extend(std::fs::read(entry.path()).unwrap());
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn database_key(dir: &std::path::Path) -> storage_sqlite::DatabaseKey {
    use base64::Engine;
    let text = std::fs::read_to_string(dir.join("database.key")).unwrap();
    let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).unwrap();
    storage_sqlite::DatabaseKey::from_bytes(bytes.try_into().unwrap())
}

#[cfg(unix)]
fn assert_private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600, "{path:?}");
}

#[tokio::test]
async fn the_embedded_database_is_encrypted_and_opens_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let password = "correct-horse-battery";
    let (mut child, url, _) = serve(dir.path(), &[("CASEDESK_ADMIN_PASSWORD", password)]);
    let client = reqwest::Client::new();
    let signed_in = sign_in_as_admin(&client, &url, password).await;
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let created = client
        .post(format!("{url}/api/v1/customers"))
        .header("Cookie", &cookie)
        .header("X-Casedesk-CSRF", "1")
        .json(&serde_json::json!({"given_name": "Zebedee", "family_name": "Quixotically"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    // Killed, not stopped: what is only in the write-ahead log is checked too.
    child.kill().unwrap();
    child.wait().unwrap();

    let bytes = database_bytes(dir.path());
    assert!(bytes.len() > 100_000, "the database is there ({} bytes)", bytes.len());
    for plain in [&b"Quixotically"[..], b"admin@example.org", b"SQLite format 3", b"CREATE TABLE"] {
        assert!(!contains(&bytes, plain), "{} is readable in the file", String::from_utf8_lossy(plain));
    }
    #[cfg(unix)]
    assert_private(&dir.path().join("database.key"));

    let url = format!("sqlite://{}", dir.path().join("casedesk.db").display());
    assert!(storage_sqlite::SqliteStore::connect_and_migrate(&url).await.is_err(), "it does not open without a key");
    let wrong = storage_sqlite::DatabaseKey::from_bytes([9; 32]);
    let opened = storage_sqlite::SqliteStore::connect_and_migrate_encrypted(&url, Some(&wrong)).await;
    assert!(opened.is_err(), "nor with another key");
    let store = storage_sqlite::SqliteStore::connect_and_migrate_encrypted(&url, Some(&database_key(dir.path())))
        .await
        .unwrap();
    let found: i64 = sqlx::query_scalar("SELECT count(*) FROM customers WHERE family_name = 'Quixotically'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(found, 1, "with its key, everything is there");
}

#[tokio::test]
async fn an_unencrypted_database_is_encrypted_by_a_command() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("casedesk.db");
    let url = format!("sqlite://{}", file.display());
    // A database from before encryption, with something of its own in it.
    let plain = storage_sqlite::SqliteStore::connect_and_migrate(&url).await.unwrap();
    sqlx::query("CREATE TABLE kept (what TEXT)").execute(plain.pool()).await.unwrap();
    sqlx::query("INSERT INTO kept VALUES ('Quixotically kept')").execute(plain.pool()).await.unwrap();
    plain.pool().close().await;
    assert!(contains(&database_bytes(dir.path()), b"Quixotically kept"));
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .env("CASEDESK_DATA_DIR", dir.path())
            .env_remove("CASEDESK_DATABASE_URL")
            .env_remove("CASEDESK_DATABASE_KEY_FILE")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };

    let refused = run(&["migrate"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("casedesk database encrypt"), "{refused:?}");
    assert!(!dir.path().join("database.key").exists(), "no key is made for a database it cannot encrypt");

    let encrypted = run(&["database", "encrypt"]);
    assert!(encrypted.status.success(), "{encrypted:?}");
    assert!(String::from_utf8_lossy(&encrypted.stdout).starts_with("Encrypted "), "{encrypted:?}");
    #[cfg(unix)]
    assert_private(&dir.path().join("database.key"));
    let bytes = database_bytes(dir.path());
    assert!(!contains(&bytes, b"Quixotically") && !contains(&bytes, b"SQLite format 3"));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|name| name.ends_with(".encrypting")), "{names:?}");

    let migrated = run(&["migrate"]);
    assert!(migrated.status.success(), "it opens now: {migrated:?}");
    let store = storage_sqlite::SqliteStore::connect_and_migrate_encrypted(&url, Some(&database_key(dir.path())))
        .await
        .unwrap();
    let kept: String = sqlx::query_scalar("SELECT what FROM kept").fetch_one(store.pool()).await.unwrap();
    assert_eq!(kept, "Quixotically kept");
    store.pool().close().await;
    let again = run(&["database", "encrypt"]);
    assert!(again.status.success() && String::from_utf8_lossy(&again.stdout).contains("already encrypted"));
}
