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
