//! The API reference at `/docs/`: a server-rendered, GOV.UK-styled page generated from the
//! OpenAPI document, accessible (WCAG 2.2 AA) and readable without JavaScript. Swagger UI, for
//! trying requests, is at `/docs/swagger/`; it is third-party and has known accessibility gaps,
//! so it is the secondary way in.

use maud::{DOCTYPE, Markup, html};
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Renders the whole page once; the document does not change while the process runs.
pub fn reference_page(doc: &Value) -> String {
    let title = doc["info"]["title"].as_str().unwrap_or("API");
    let version = doc["info"]["version"].as_str().unwrap_or_default();
    let tags: Vec<(&str, &str)> = doc["tags"]
        .as_array()
        .map(|tags| {
            tags.iter().filter_map(|t| Some((t["name"].as_str()?, t["description"].as_str().unwrap_or("")))).collect()
        })
        .unwrap_or_default();
    let page = html! {
        (DOCTYPE)
        html lang="en" class="govuk-template" {
            head {
                meta charset="utf-8";
                title { (title) " reference - Casedesk" }
                meta name="viewport" content="width=device-width, initial-scale=1";
                link rel="icon" href="/favicon.svg" type="image/svg+xml";
                link rel="stylesheet" href="/assets/app.css";
            }
            body class="govuk-template__body" {
                a href="#main-content" class="govuk-skip-link" { "Skip to main content" }
                header class="govuk-template__header" {
                    div class="govuk-generic-header" {
                        div class="govuk-generic-header__container govuk-width-container" {
                            div class="govuk-generic-header__logo" {
                                a href="/" class="govuk-generic-header__homepage-link" { "Casedesk" }
                            }
                        }
                    }
                }
                div class="govuk-width-container" {
                    main class="govuk-main-wrapper" id="main-content" {
                        h1 class="govuk-heading-xl" { (title) " reference" }
                        p class="govuk-body-l" { "Version " (version) ". " (doc["info"]["description"].as_str().unwrap_or_default()) }
                        p class="govuk-body" {
                            "Machine-readable: " a class="govuk-link" href="/docs/openapi.json" { "the OpenAPI 3.1 document" }
                            ". To try requests from your browser, use "
                            a class="govuk-link" href="/docs/swagger/" { "the interactive console (Swagger UI)" } "."
                        }
                        h2 class="govuk-heading-m" { "Contents" }
                        ul class="govuk-list govuk-list--bullet" {
                            @for (name, description) in &tags {
                                li { a class="govuk-link" href={ "#tag-" (name) } { (description) } }
                            }
                        }
                        @for (name, description) in &tags {
                            h2 class="govuk-heading-l" id={ "tag-" (name) } { (description) }
                            @for (method, path, operation) in operations_tagged(doc, name) {
                                (operation_section(method, path, operation))
                            }
                        }
                    }
                }
                footer class="govuk-footer" {
                    div class="govuk-width-container" { p class="govuk-body-s" { "Casedesk case management" } }
                }
            }
        }
    };
    page.into_string()
}

fn operations_tagged<'a>(doc: &'a Value, tag: &str) -> Vec<(&'static str, &'a str, &'a Value)> {
    let Some(paths) = doc["paths"].as_object() else { return vec![] };
    let mut found = vec![];
    for (path, item) in paths {
        for method in METHODS {
            let operation = &item[method];
            let tagged = operation["tags"].as_array().is_some_and(|tags| tags.iter().any(|t| t == tag));
            if tagged {
                found.push((method, path.as_str(), operation));
            }
        }
    }
    found
}

fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some(kind), Some(format)) => format!("{kind} ({format})"),
        (Some(kind), None) => kind.to_owned(),
        _ => "value".to_owned(),
    }
}

fn operation_section(method: &str, path: &str, operation: &Value) -> Markup {
    let id = operation["operationId"].as_str().unwrap_or_default();
    let summary = operation["summary"].as_str().or(operation["description"].as_str()).unwrap_or_default();
    let needs_session = operation.get("security").is_some();
    let parameters = operation["parameters"].as_array().cloned().unwrap_or_default();
    let content = &operation["requestBody"]["content"];
    let body = content["application/json"]["schema"].clone();
    let body = if body.is_null() { content["multipart/form-data"]["schema"].clone() } else { body };
    let responses = operation["responses"].as_object().cloned().unwrap_or_default();
    html! {
        section class="app-operation" aria-labelledby={ "op-" (id) } {
            h3 class="govuk-heading-m" id={ "op-" (id) } {
                strong class="govuk-tag govuk-tag--grey" { (method.to_uppercase()) } " " code { (path) }
            }
            p class="govuk-body" { (summary) }
            p class="govuk-body-s" {
                @if needs_session { "Needs a signed-in session (and, for writes, the X-Casedesk-CSRF header)." }
                @else { "Public: no sign-in needed." }
            }
            @if !parameters.is_empty() {
                table class="govuk-table" {
                    caption class="govuk-table__caption govuk-table__caption--s" { "Parameters" }
                    thead class="govuk-table__head" { tr class="govuk-table__row" {
                        th scope="col" class="govuk-table__header" { "Name" }
                        th scope="col" class="govuk-table__header" { "In" }
                        th scope="col" class="govuk-table__header" { "Type" }
                        th scope="col" class="govuk-table__header" { "Description" }
                    } }
                    tbody class="govuk-table__body" {
                        @for parameter in &parameters {
                            tr class="govuk-table__row" {
                                td class="govuk-table__cell" { code { (parameter["name"].as_str().unwrap_or_default()) } }
                                td class="govuk-table__cell" { (parameter["in"].as_str().unwrap_or_default()) }
                                td class="govuk-table__cell" { (schema_name(&parameter["schema"])) }
                                td class="govuk-table__cell" {
                                    (parameter["description"].as_str().unwrap_or_default())
                                    @if parameter["required"].as_bool() == Some(true) { " (required)" }
                                }
                            }
                        }
                    }
                }
            }
            @if !body.is_null() {
                p class="govuk-body" { "Request body: JSON " code { (schema_name(&body)) } "." }
            }
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s" { "Responses" }
                thead class="govuk-table__head" { tr class="govuk-table__row" {
                    th scope="col" class="govuk-table__header" { "Status" }
                    th scope="col" class="govuk-table__header" { "Body" }
                    th scope="col" class="govuk-table__header" { "Meaning" }
                } }
                tbody class="govuk-table__body" {
                    @for (status, response) in &responses {
                        @let content = response["content"].as_object();
                        @let body = content.and_then(|c| c.values().next()).map(|c| schema_name(&c["schema"]));
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { (status) }
                            td class="govuk-table__cell" { (body.unwrap_or_else(|| "none".to_owned())) }
                            td class="govuk-table__cell" { (response["description"].as_str().unwrap_or_default()) }
                        }
                    }
                }
            }
        }
    }
}

/// Swagger UI's start-up script, in place of the one it ships: the same set-up, plus the CSRF
/// header on every request, so "Try it out" can make writes with the browser's session (the
/// server refuses cookie-authenticated writes without it). A file, not inline, for the CSP.
pub fn swagger_initializer() -> String {
    format!(
        r##"window.onload = function () {{
  window.ui = SwaggerUIBundle({{
    url: "/docs/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    requestInterceptor: function (request) {{
      request.headers["{header}"] = "1";
      return request;
    }},
  }});
}};
"##,
        header = api_types::CSRF_HEADER
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_on_the_page() {
        let document = crate::openapi::document();
        let page = reference_page(&document);
        for (path, methods) in crate::openapi::operations(&document) {
            for method in methods {
                let heading = format!("{method}</strong> <code>{path}</code>");
                assert!(page.contains(&heading), "{heading} missing");
            }
        }
        assert!(page.contains("href=\"/docs/swagger/\""));
        assert!(!page.contains("<script"), "the page needs no script");
    }
}
