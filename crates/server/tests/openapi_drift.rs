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
    let document = serde_json::to_value(server::openapi::document()).expect("the document as JSON");
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
}
