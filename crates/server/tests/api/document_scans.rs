//! Virus checks after upload (issue 16, item 2) against the real clamd on loopback: a rescan
//! with a signature added since quarantines a stored document, which then cannot be downloaded,
//! and tells the administrators; a file over the scanner's limits is refused as too large to
//! check, never passed or called a virus.

use crate::{
    both_backends,
    documents::{download, pdf, upload},
    helpers::{TestApp, clamd},
};
use serde_json::json;
use server::documents::{DocumentSettings, rescan::rescan_due};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

both_backends!(
    a_rescan_with_a_new_signature_quarantines_and_tells_administrators,
    a_file_over_the_scanner_s_limits_is_refused_as_too_large
);

/// The test clamd's signature directory (`ensure_clamd` in scripts/lib.sh exports it).
fn clamd_database() -> std::path::PathBuf {
    let dir = std::env::var("CASEDESK_TEST_CLAMD_DB").expect("CASEDESK_TEST_CLAMD_DB: run `ensure_clamd` first");
    std::path::PathBuf::from(dir)
}

async fn reload_clamd() {
    let mut stream = tokio::net::TcpStream::connect(clamd()).await.expect("clamd answers");
    stream.write_all(b"zRELOAD\0").await.unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.unwrap();
    assert!(reply.starts_with(b"RELOADING"), "{}", String::from_utf8_lossy(&reply));
}

/// Adds a signature for `marker` and waits until clamd knows it. The file stays until the test
/// clamd next starts: removing it while another test's reload reads the directory could fail
/// that reload, and it matches nothing but this test's marker.
async fn add_signature(name: &str, marker: &[u8], scanner: &files::Scanner) {
    let hex: String = marker.iter().map(|b| format!("{b:02x}")).collect();
    let file = clamd_database().join(format!("{name}.ndb"));
    std::fs::write(&file, format!("{name}:0:*:{hex}\n")).unwrap();
    reload_clamd().await;
    // clamd reloads in the background: wait until it knows the signature.
    for _ in 0..300 {
        if scanner.scan(marker).await == Ok(files::Verdict::Infected(name.into())) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("clamd did not load the signature {name}");
}

fn settings_of(app: &TestApp) -> DocumentSettings {
    DocumentSettings {
        master_key: app.master_key.clone(),
        vault: files::Vault::new(app.blob_store.clone()),
        scanner: files::Scanner::new(clamd(), Duration::from_secs(10)),
        ..Default::default()
    }
}

async fn a_rescan_with_a_new_signature_quarantines_and_tells_administrators(app: TestApp) {
    let officer = app.officer_a("rescan.officer@a.example.org").await;
    let admin = app.admin_a().await;
    let query = app.post_json("/api/v1/queries", &admin, json!({"channel": "post", "subject": "Letter"})).await;
    let query = query.body["id"].as_str().unwrap().to_owned();
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let marker = format!("casedesk rescan marker {unique}");
    let letter = pdf("A clean letter");
    let path = format!("/api/v1/queries/{query}/documents");
    let added = upload(&app, &path, &admin, &[("note.txt", marker.as_bytes()), ("letter.pdf", &letter)]).await;
    assert_eq!(added.status, 201, "{added:?}");
    let ids: Vec<String> =
        added.body["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect();
    let settings = settings_of(&app);
    let every_one = domain::Timestamp::now().plus_seconds(3600);

    // Against today's signatures both are clean: their check time moves on, nobody is told.
    let first = rescan_due(app.store.as_ref(), &settings, every_one, Duration::from_secs(60)).await.unwrap();
    assert_eq!((first.checked, first.quarantined.len(), first.more), (2, 0, false), "{first:?}");
    let note = app.get(&format!("/api/v1/documents/{}", ids[0]), &admin).await;
    assert_eq!(note.body["scan_status"], "clean");
    assert!(note.body["scanned_at"].as_str().unwrap() > added.body["items"][0]["scanned_at"].as_str().unwrap());

    // A signature published since recognises the note.
    let name = format!("Casedesk.Rescan-{}", &unique[..12]);
    add_signature(&name, marker.as_bytes(), &settings.scanner).await;
    let second = rescan_due(app.store.as_ref(), &settings, every_one, Duration::from_secs(60)).await.unwrap();
    assert_eq!(second.checked, 2, "{second:?}");
    assert_eq!(second.quarantined.iter().map(|id| id.to_string()).collect::<Vec<_>>(), [ids[0].clone()]);
    assert_eq!(second.told.len(), 1, "the one administrator: {second:?}");

    let note = app.get(&format!("/api/v1/documents/{}", ids[0]), &admin).await;
    assert_eq!((&note.body["scan_status"], &note.body["signature"]), (&json!("quarantined"), &json!(name)));
    let refused = download(&app, &format!("/api/v1/documents/{}/content", ids[0]), &admin).await;
    assert_eq!(refused.status, 409);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&refused.bytes).unwrap()["code"], "document_quarantined");
    let kept = download(&app, &format!("/api/v1/documents/{}/content", ids[1]), &admin).await;
    assert!(kept.status == 200 && kept.bytes == letter, "the clean letter still reads");

    let told = app.get("/api/v1/notifications", &admin).await;
    let alert = &told.body["items"][0];
    assert_eq!((&alert["kind"], &alert["link"]), (&json!("document_quarantined"), &json!(format!("/queries/{query}"))));
    assert!(alert["message"].as_str().unwrap().contains(&format!("{name} in “note.txt”")), "{alert}");
    let officer_told = app.get("/api/v1/notifications", &officer).await;
    assert!(officer_told.body["items"].as_array().unwrap().iter().all(|n| n["kind"] != "document_quarantined"));
    let timeline = app.get(&format!("/api/v1/queries/{query}/timeline"), &admin).await;
    let quarantined = timeline.body["items"].as_array().unwrap().iter().find(|e| e["kind"] == "document.quarantined");
    assert_eq!(quarantined.expect("on the timeline")["details"]["signature"], json!(name));
    assert!(app.audit_actions().await.contains(&"document.quarantined".to_owned()));

    // Quarantined documents are not scanned again; the clean one is.
    let third =
        rescan_due(app.store.as_ref(), &settings, domain::Timestamp::now().plus_seconds(1), Duration::from_secs(60))
            .await
            .unwrap();
    assert_eq!((third.checked, third.quarantined.len()), (1, 0), "{third:?}");
    // Nothing is due when every check is recent.
    let recent = domain::Timestamp::now().plus_seconds(-3600);
    let none = rescan_due(app.store.as_ref(), &settings, recent, Duration::from_secs(60)).await.unwrap();
    assert_eq!(none.checked, 0);
}

async fn a_file_over_the_scanner_s_limits_is_refused_as_too_large(app: TestApp) {
    let admin = app.admin_a().await;
    let query = app.post_json("/api/v1/queries", &admin, json!({"channel": "post", "subject": "Big"})).await;
    let path = format!("/api/v1/queries/{}/documents", query.body["id"].as_str().unwrap());
    // The test clamd checks at most 25 MiB (the server would take 100).
    let big = vec![b'a'; 26 * 1024 * 1024];
    let refused = upload(&app, &path, &admin, &[("small.txt", b"fine"), ("big.txt", &big)]).await;
    refused.assert_problem(413, "too_large_to_scan");
    assert_eq!(refused.fields(), ["files[1]"]);
    assert!(refused.body["detail"].as_str().unwrap().contains("big.txt"), "{refused:?}");
    let listed = app.get(&path, &admin).await;
    assert_eq!(listed.body["items"], json!([]), "nothing of the upload is kept");
}
