//! The committed OpenAPI document must be exactly what the code generates. When this fails,
//! review the change and regenerate: `cargo run -p app -- openapi > openapi/openapi.json`.

#[test]
fn committed_openapi_matches_the_code() {
    let committed = include_str!("../../../openapi/openapi.json");
    let generated = server::openapi::document_json();
    if committed != generated {
        let first_difference = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "in length".to_owned(), |line| format!("at line {}", line + 1));
        panic!(
            "openapi/openapi.json differs from the code {first_difference}; regenerate with \
             `cargo run -p app -- openapi > openapi/openapi.json` and review the diff"
        );
    }
}

/// Generated clients and fuzzers trust the document: every status the server can give for an
/// operation is listed, and inputs are bounded as the server bounds them (issue 12, item 9).
#[test]
fn every_operation_documents_what_the_server_can_answer() {
    let document = server::openapi::document();
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("an operation map") {
            let responses = operation["responses"].as_object().expect("responses");
            let mut needed = vec!["405", "414", "429"];
            if operation.get("requestBody").is_some() {
                needed.extend(["400", "408", "413", "415"]);
            }
            for status in needed {
                let response = responses.get(status);
                assert!(response.is_some(), "{method} {path} does not document {status}");
                assert_eq!(
                    response.and_then(|r| r.pointer("/content/application~1problem+json/schema/$ref")),
                    Some(&serde_json::json!("#/components/schemas/Problem")),
                    "{method} {path} {status}"
                );
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap_or_default();
                if matches!(name, "If-Match" | "Idempotency-Key") {
                    assert!(parameter["schema"]["pattern"].is_string(), "{method} {path}: {name} has no pattern");
                }
                if parameter["in"] == "query" {
                    assert!(!parameter["schema"]["type"].is_array(), "{method} {path}: {name} may be null");
                }
                if matches!(name, "cursor" | "status" | "channel" | "assignee" | "sort" | "received_from") {
                    assert!(parameter["schema"]["pattern"].is_string(), "{method} {path}: {name} has no pattern");
                }
                if name == "limit" {
                    assert_eq!(
                        (&parameter["schema"]["minimum"], &parameter["schema"]["maximum"]),
                        (&1.into(), &200.into())
                    );
                }
            }
            operations += 1;
        }
    }
    assert!(operations >= 50, "only {operations} operations");
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["CreateApiTokenRequest"]["properties"]["scopes"]["items"]["$ref"],
        "#/components/schemas/TokenScope"
    );
    assert!(schemas["TokenScope"]["properties"].get("own_teams").is_none(), "tokens cannot be team-limited");
    assert!(schemas["Permission"]["properties"].get("own_teams").is_some(), "groups still can");
    assert!(schemas["CustomerInput"]["anyOf"].is_array(), "a name or an organisation is required");
    assert!(schemas["CreateNoteRequest"]["anyOf"].is_array(), "a contact needs a direction and a channel");
    assert_eq!(schemas["ViewInput"]["properties"]["columns"]["minItems"], 1);
}

/// Every text a request can carry says what the server takes, so nothing schema-valid is refused
/// for its characters, its length or its format (issue 12, item 9).
#[test]
fn every_request_string_has_a_pattern() {
    let document = server::openapi::document();
    let schemas = document["components"]["schemas"].as_object().expect("schemas");
    let mut checked = 0;
    for name in ["SignInRequest", "CustomerInput", "Address", "CreateUserRequest", "CreateQueryRequest", "ViewInput"] {
        for (property, schema) in schemas[name]["properties"].as_object().expect("properties") {
            let schema = schema.get("items").unwrap_or(schema);
            let is_string =
                schema["type"] == "string" || schema["type"].as_array().is_some_and(|t| t.contains(&"string".into()));
            if is_string && schema.get("enum").is_none() {
                assert!(schema["pattern"].is_string(), "{name}.{property} has no pattern");
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} strings checked");
    let uuid = &schemas["CreateQueryRequest"]["properties"]["customer_id"];
    assert!(uuid["pattern"].as_str().is_some_and(|p| p.starts_with("^[0-9a-fA-F]{8}")), "an id is not any string");
}
