//! Business calendars over HTTP: the built-in ones, an organisation's own, the due-time preview
//! an administrator checks a calendar with, and an uploaded bank-holidays file taking effect.

use crate::{both_backends, every_operation::calendar_body, helpers::TestApp};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(calendars_preview_due_times_on_uk_bank_holidays, an_uploaded_bank_holiday_file_takes_effect);

const ALWAYS: &str = "00000000-0000-7000-8000-000000000001";
const ENGLAND: &str = "00000000-0000-7000-8000-000000000002";
const SCOTLAND: &str = "00000000-0000-7000-8000-000000000003";

fn due_request(start: &str, unit: &str, amount: u32) -> Value {
    json!({"start": start, "unit": unit, "amount": amount})
}

async fn calendars_preview_due_times_on_uk_bank_holidays(app: TestApp) {
    let officer = app.officer_a("calendar-officer@example.org").await;
    let admin = app.admin_a().await;
    let listed = app.get("/api/v1/calendars", &admin).await;
    assert_eq!(listed.status, 200, "{listed:?}");
    let names: Vec<&str> =
        listed.body["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "24 hours, every day",
            "Office hours, England and Wales",
            "Office hours, Scotland",
            "Office hours, Northern Ireland"
        ]
    );
    assert_eq!(app.get("/api/v1/calendars", &officer).await.status, 403, "administrators only");

    // Thursday 16:30 BST before Good Friday, 8 working hours: Tuesday 16:30 in England (Easter
    // Monday off), Monday 16:30 in Scotland; around the clock, Friday 00:30.
    let thursday = "2026-04-02T15:30:00Z";
    for (calendar, due) in
        [(ENGLAND, "2026-04-07T15:30:00Z"), (SCOTLAND, "2026-04-06T15:30:00Z"), (ALWAYS, "2026-04-02T23:30:00Z")]
    {
        let preview = app
            .post_json(
                &format!("/api/v1/calendars/{calendar}/due"),
                &admin,
                due_request(thursday, "business_minutes", 480),
            )
            .await;
        assert_eq!(preview.status, 200, "{preview:?}");
        assert_eq!(preview.body["due"], due, "{calendar}");
    }

    // An organisation's own: closed Christmas Eve afternoon.
    let mut body = calendar_body("Contact centre");
    body["closures"] =
        json!([{"from": "2025-12-24T12:00:00Z", "to": "2025-12-24T17:00:00Z", "reason": "Christmas Eve"}]);
    let created = app.post_json("/api/v1/calendars", &admin, body.clone()).await;
    assert_eq!(created.status, 201, "{created:?}");
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["week"].as_array().unwrap().len(), 7, "every weekday, Monday first");
    assert_eq!(created.body["week"][5]["shifts"], json!([]), "Saturday is not worked");
    let preview = app
        .post_json(
            &format!("/api/v1/calendars/{id}/due"),
            &admin,
            due_request("2025-12-24T11:00:00Z", "business_minutes", 120),
        )
        .await;
    assert_eq!(preview.body["due"], "2025-12-29T10:00:00Z", "{preview:?}");
    let days = app
        .post_json(
            &format!("/api/v1/calendars/{id}/due"),
            &admin,
            due_request("2025-12-23T10:00:00Z", "working_days", 1),
        )
        .await;
    assert_eq!(days.body["due"], "2025-12-24T12:00:00Z", "the close of a working day cut short");
    app.post_json("/api/v1/calendars", &admin, calendar_body("CONTACT CENTRE")).await.assert_problem(409, "conflict");

    let etag = created.header("etag").unwrap().to_owned();
    body["name"] = json!("Contact centre (winter)");
    let replaced =
        app.send_if_match(Method::PUT, &format!("/api/v1/calendars/{id}"), &admin, Some(&etag), body.clone()).await;
    assert_eq!((replaced.status.as_u16(), replaced.body["version"].clone()), (200, json!(2)), "{replaced:?}");
    let built_in =
        app.send_if_match(Method::PUT, &format!("/api/v1/calendars/{ENGLAND}"), &admin, Some("\"1\""), body).await;
    built_in.assert_problem(409, "conflict");
    assert!(app.audit_actions().await.contains(&"calendar.updated".to_owned()));
}

async fn an_uploaded_bank_holiday_file_takes_effect(app: TestApp) {
    let admin = app.admin_a().await;
    let shipped = app.get("/api/v1/bank-holidays", &admin).await;
    assert_eq!((shipped.body["source"].clone(), shipped.body["version"].clone()), (json!("shipped"), json!(0)));
    assert!(shipped.body["divisions"][0]["last"].as_str().unwrap() >= "2028-12-25");

    // A file that adds Tuesday 7 April 2026 in England and Wales (an imagined proclamation).
    let file =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/src/calendar/bank-holidays.json"))
            .unwrap();
    let mut file: Value = serde_json::from_str(&file).unwrap();
    let extra = json!({"title": "Extra bank holiday", "date": "2026-04-07", "notes": "", "bunting": true});
    file["england-and-wales"]["events"].as_array_mut().unwrap().push(extra);
    let without_etag = app.send_if_match(Method::PUT, "/api/v1/bank-holidays", &admin, None, file.clone()).await;
    without_etag.assert_problem(428, "precondition_required");
    let uploaded = app.send_if_match(Method::PUT, "/api/v1/bank-holidays", &admin, Some("\"0\""), file.clone()).await;
    assert_eq!(uploaded.status, 200, "{uploaded:?}");
    assert_eq!((uploaded.body["source"].clone(), uploaded.body["version"].clone()), (json!("uploaded"), json!(1)));
    let again = app.send_if_match(Method::PUT, "/api/v1/bank-holidays", &admin, Some("\"0\""), file).await;
    again.assert_problem(412, "precondition_failed");

    let preview = app
        .post_json(
            &format!("/api/v1/calendars/{ENGLAND}/due"),
            &admin,
            due_request("2026-04-02T15:30:00Z", "business_minutes", 480),
        )
        .await;
    assert_eq!(preview.body["due"], "2026-04-08T15:30:00Z", "the new day off counts: {preview:?}");
    assert!(app.audit_actions().await.contains(&"bank_holidays.uploaded".to_owned()));
}
