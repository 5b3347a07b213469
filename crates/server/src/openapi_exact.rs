//! Makes the generated document say exactly what the server does, in the places the per-handler
//! annotations cannot without repeating themselves on every path: the errors any operation can
//! give (a refused method, an over-long URL, a rate limit; for a body, malformed JSON, a slow,
//! oversized or non-JSON body), the shapes the server accepts for `If-Match` and
//! `Idempotency-Key`, and API-token scopes, which cannot be limited to the holder's teams.

use serde_json::{Value, json};

/// Responses every operation may give, with what each means.
const ANY_OPERATION: [(&str, &str); 3] = [
    ("405", "The path exists but not with this method (see `Allow`)"),
    ("414", "The path and query string are over 8 KiB"),
    ("429", "Too many requests or sign-in attempts; see `Retry-After`"),
];

/// Responses every operation with a request body may give.
const WITH_BODY: [(&str, &str); 4] = [
    ("400", "The body is not JSON"),
    ("408", "The body did not arrive in time"),
    ("413", "The body is over 256 KiB"),
    ("415", "The body is not sent as application/json"),
];

/// `If-Match` as the server reads it: the version from an ETag, quoted or not, weak or not.
const IF_MATCH_PATTERN: &str = r#"^(W/)?"?[0-9]{1,18}"?$"#;
/// A UUID as ids are written (hyphenated): `format: uuid` alone lets validators and fuzzers
/// pass any string, `""` included, since formats are only annotations in JSON Schema.
const UUID_PATTERN: &str = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
/// `Idempotency-Key`: 1 to 255 visible ASCII characters.
const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,255}$";

pub fn make_exact(document: utoipa::openapi::OpenApi) -> Value {
    let mut value = serde_json::to_value(&document).unwrap_or_default();
    if let Some(paths) = value.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in item.values_mut().filter_map(Value::as_object_mut) {
                add_common_responses(operation);
                tighten_headers(operation);
            }
        }
    }
    token_scopes_without_teams(&mut value);
    pattern_every_uuid(&mut value);
    crate::openapi_fields::describe_text(&mut value);
    if let Some(schemas) = value.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        crate::openapi_fields::describe_combinations(schemas);
    }
    value
}

fn add_common_responses(operation: &mut serde_json::Map<String, Value>) {
    let has_body = operation.contains_key("requestBody");
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { return };
    let body_errors = if has_body { WITH_BODY.as_slice() } else { &[] };
    for (status, description) in ANY_OPERATION.iter().chain(body_errors) {
        responses.entry(*status).or_insert_with(|| {
            json!({
                "description": description,
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
            })
        });
    }
}

fn tighten_headers(operation: &mut serde_json::Map<String, Value>) {
    let Some(parameters) = operation.get_mut("parameters").and_then(Value::as_array_mut) else { return };
    for parameter in parameters.iter_mut().filter(|p| p["in"] == "header") {
        let pattern = match parameter["name"].as_str() {
            Some("If-Match") => IF_MATCH_PATTERN,
            Some("Idempotency-Key") => IDEMPOTENCY_KEY_PATTERN,
            _ => continue,
        };
        if let Some(schema) = parameter.get_mut("schema").and_then(Value::as_object_mut) {
            schema.insert("pattern".into(), json!(pattern));
        }
    }
}

/// A token's scope is a `Permission` without `own_teams`: the server refuses team-limited scopes.
fn token_scopes_without_teams(document: &mut Value) {
    let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    let Some(mut scope) = schemas.get("Permission").cloned() else { return };
    if let Some(properties) = scope.get_mut("properties").and_then(Value::as_object_mut) {
        properties.remove("own_teams");
    }
    scope["description"] = json!("An area and the most a token may do in it (never limited to teams).");
    schemas.insert("TokenScope".into(), scope);
    if let Some(items) =
        schemas.get_mut("CreateApiTokenRequest").and_then(|s| s.pointer_mut("/properties/scopes/items"))
    {
        *items = json!({"$ref": "#/components/schemas/TokenScope"});
    }
}

/// Every `format: uuid` string, wherever it is (schemas, parameters, nested `oneOf`s), also
/// carries the pattern the server parses.
fn pattern_every_uuid(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.get("format").and_then(Value::as_str) == Some("uuid") {
                map.entry("pattern").or_insert_with(|| json!(UUID_PATTERN));
            }
            map.values_mut().for_each(pattern_every_uuid);
        }
        Value::Array(items) => items.iter_mut().for_each(pattern_every_uuid),
        _ => {}
    }
}
