//! Headers every response carries.

use crate::{
    both_backends,
    helpers::{As, TestApp},
};

both_backends!(responses_carry_request_id_csp_and_cache_headers, readiness_reports_ready);

async fn responses_carry_request_id_csp_and_cache_headers(app: TestApp) {
    let admin = app.admin_a().await;
    let mut ids = vec![];
    for (path, who) in [("/api/v1/me", &admin), ("/api/v1/me", &As::anonymous()), ("/api/v1/nope", &admin)] {
        let reply = app.get(path, who).await;
        let id = reply.header("x-request-id").expect("a request id").to_owned();
        assert_eq!(uuid::Uuid::parse_str(&id).map(|_| ()), Ok(()));
        ids.push(id);
        assert_eq!(reply.header("content-security-policy"), Some("default-src 'none'; frame-ancestors 'none'"));
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("x-frame-options"), Some("DENY"));
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "each request has its own id");

    let reference = app.get("/docs/", &As::anonymous()).await;
    assert_eq!(reference.status, 200);
    assert!(reference.body.as_str().unwrap().contains("Casedesk API reference"));
    let csp = reference.header("content-security-policy").unwrap();
    assert!(csp.contains("style-src 'self';") && !csp.contains("unsafe-inline"), "{csp}");
    let swagger = app.get("/docs/swagger/", &As::anonymous()).await;
    assert_eq!(swagger.status, 200);
    let csp = swagger.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self';") && !csp.contains("unsafe-eval"), "{csp}");
    let spec = app.get("/docs/openapi.json", &As::anonymous()).await;
    assert_eq!(spec.body["openapi"], "3.1.0");
}

async fn readiness_reports_ready(app: TestApp) {
    let ready = app.get("/readyz", &As::anonymous()).await;
    assert_eq!((ready.status.as_u16(), ready.body["status"].as_str()), (200, Some("ready")));
    let alive = app.get("/healthz", &As::anonymous()).await;
    assert_eq!(alive.body["status"], "alive");
}
