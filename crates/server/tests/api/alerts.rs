//! Service-level alerts over HTTP: the server's own sweep finds a query falling due, notifies
//! its officer once for each alert, and tells their open event stream.

use crate::helpers::{Backend, TestApp, spawn_app_with};
use serde_json::json;
use std::time::Duration;

#[actix_web::test]
async fn sqlite_alerts_reach_the_officers_open_stream_once() {
    alerts_reach_the_officers_open_stream_once(Backend::Sqlite).await;
}

#[actix_web::test]
async fn postgres_alerts_reach_the_officers_open_stream_once() {
    alerts_reach_the_officers_open_stream_once(Backend::Postgres).await;
}

/// How many `notification` events the stream carries within `wait`.
async fn events_within(stream: &mut reqwest::Response, wanted: usize, wait: Duration) -> usize {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + wait;
    while seen.matches("event: notification").count() < wanted {
        match tokio::time::timeout_at(deadline, stream.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => break,
        }
    }
    seen.matches("event: notification").count()
}

/// An urgent query received 29 min 57 s ago on the 24x7 example: due soon at once (its half
/// time has passed), overdue three seconds later. Its officer's open stream hears of the
/// assignment and of both alerts; their notifications hold each alert once.
async fn alerts_reach_the_officers_open_stream_once(backend: Backend) {
    let app: TestApp = spawn_app_with(backend, |settings| {
        settings.scheduler.tick = Duration::from_millis(100);
        settings.scheduler.alert_sweep = Duration::from_millis(500);
    })
    .await;
    let officer = app.officer_a("alerted@example.org").await;
    let admin = app.admin_a().await;
    let officer_id = app.user_id(&officer).await;
    let mut stream = app.event_stream(&officer).await;
    assert_eq!(stream.status(), 200);
    let received = (chrono::Utc::now() - chrono::Duration::seconds(30 * 60 - 3)).to_rfc3339();
    let body = json!({"channel": "phone", "priority": "urgent", "subject": "System down", "received_at": received,
        "assignee_id": officer_id});
    let query = app.post_json("/api/v1/queries", &admin, body).await;
    assert_eq!(query.status, 201, "{query:?}");
    assert_eq!(events_within(&mut stream, 3, Duration::from_secs(20)).await, 3, "assigned, due soon, overdue");

    // A few more sweeps find nothing new.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let listed = app.get("/api/v1/notifications", &officer).await;
    let kinds: Vec<&str> =
        listed.body["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["overdue", "due_soon", "assigned"], "{listed:?}");
    let overdue = &listed.body["items"][0];
    assert_eq!(overdue["link"], format!("/queries/{}", query.body["id"].as_str().unwrap()));
    assert!(overdue["message"].as_str().unwrap().starts_with("First response was due by "), "{overdue}");
    assert_eq!(overdue["sender_id"], serde_json::Value::Null, "sent by the application");
    let clocks = app.get(&format!("/api/v1/queries/{}/clocks", query.body["id"].as_str().unwrap()), &admin).await;
    assert_eq!(clocks.body["items"][0]["state"], "overdue");
}
