//! The OpenAPI 3.1 document, generated from the same registrations that route requests.

use crate::routes;
use actix_web::App;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme},
};
use utoipa_actix_web::{AppExt, scope};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Casedesk API",
        description = "Case management for customer services. Errors are RFC 9457 problem+json with a \
            stable `code`; lists use keyset pagination; browser writes need the `X-Casedesk-CSRF` header. \
            See docs/api.md.",
        license(name = "MIT"),
    ),
    tags(
        (name = "auth", description = "Sign-in, sign-out and the signed-in user"),
        (name = "users", description = "Users and groups of the tenant"),
        (name = "customers", description = "Customers and duplicate checks"),
        (name = "queries", description = "Customer queries: logging, finding, assigning, notes and timelines"),
        (name = "teams", description = "Teams of officers and the query-type taxonomy"),
        (name = "documents", description = "Documents against customers and queries: virus-checked uploads, kept encrypted"),
        (name = "workflows", description = "Statuses, and versioned workflows: the moves between statuses and what each needs"),
        (name = "calendars", description = "Business calendars and bank holidays for service levels"),
        (name = "notifications", description = "In-app notifications and sharing with colleagues"),
        (name = "service levels", description = "Service-level policies: which queries they cover, targets on calendars, a preview"),
        (name = "jobs", description = "Scheduled work (alerts, housekeeping) and its failures"),
        (name = "audit", description = "The tamper-evident audit trail"),
        (name = "operations", description = "Health and readiness"),
    ),
    modifiers(&SessionCookie),
)]
struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(api_types::SESSION_COOKIE))),
        );
    }
}

/// Registers every documented operation on `app`, returning the app and its document. Used
/// both to serve requests and to produce the document, so the two cannot differ.
pub fn register<T>(app: App<T>) -> (App<T>, serde_json::Value)
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    let (app, mut document) = app
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(routes::health::healthz)
        .service(routes::health::readyz)
        .service(scope::scope("/api/v1").configure(routes::configure))
        .split_for_parts();
    api_tokens_too(&mut document);
    (app, crate::openapi_exact::make_exact(document))
}

/// Every operation a session may call also takes a bearer token: a personal API token (its
/// scopes and its owner's permissions still apply) or an Entra ID access token for the
/// organisation's API registration (acting as the person, with their mapped groups). Added here
/// because the paths exist only after registration.
fn api_tokens_too(document: &mut utoipa::openapi::OpenApi) {
    let components = document.components.get_or_insert_with(Default::default);
    let mut bearer = Http::new(HttpAuthScheme::Bearer);
    bearer.description = Some(
        "A personal API token (`cdk_…`, created in the app) or an Entra ID access token (a JWT whose `aud` is the \
         organisation's API registration)."
            .into(),
    );
    components.add_security_scheme("api_token", SecurityScheme::Http(bearer));
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            if let Some(security) = operation.security.as_mut().filter(|s| !s.is_empty()) {
                security.push(SecurityRequirement::new::<&str, [&str; 0], &str>("api_token", []));
            }
        }
    }
}

/// The document as served and as committed in `openapi/openapi.json`. It is JSON rather than
/// utoipa's model because the model cannot hold every JSON Schema keyword the document needs
/// (`anyOf` beside `properties`, for rules across fields).
pub fn document() -> serde_json::Value {
    register(App::new()).1
}

/// Pretty JSON with a trailing newline, the committed form.
pub fn document_json() -> String {
    let mut json = serde_json::to_string_pretty(&document()).unwrap_or_default();
    json.push('\n');
    json
}

/// `(path template, methods)` for every documented operation, for 404 versus 405 decisions.
pub fn operations(document: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let Some(paths) = document.get("paths").and_then(|p| p.as_object()) else {
        return vec![];
    };
    paths
        .iter()
        .map(|(path, item)| {
            let methods =
                item.as_object().map(|ops| ops.keys().map(|m| m.to_ascii_uppercase()).collect()).unwrap_or_default();
            (path.clone(), methods)
        })
        .collect()
}
