//! What the server accepts in each text field and list parameter, stated in the document as
//! JSON Schema patterns, so a generated client or a fuzzer sees the rules the handlers apply.
//!
//! Most text is trimmed before it is measured, which `minLength`/`maxLength` cannot say (they
//! count the untrimmed string); the patterns here count as the server does. Every other string
//! a request carries gets a pattern that leaves out the characters `json.rs` refuses. Rules
//! that depend on stored data (references, versions, a password's strength) are in the
//! descriptions, not the patterns.

use serde_json::{Map, Value, json};

/// Characters refused in single-line text (see `json::is_refused`).
const REFUSED: &str = r"\u0000-\u001f\u007f-\u009f\ufeff\u202a-\u202e\u2066-\u2069";
/// Refused in multi-line text: the same but newline, carriage return and tab.
const REFUSED_MULTI_LINE: &str = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufeff\u202a-\u202e\u2066-\u2069";
/// White space that trimming removes and that is not refused anyway.
const SPACE: &str = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// A hyphenated GUID, as Entra shows them (the server also accepts surrounding spaces).
const GUID: &str = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}";
/// An email address in the common form: dot-separated atoms, `@`, and a domain with a top-level
/// part. The server also takes quoted local parts and non-ASCII addresses (RFC 6531).
const EMAIL: &str = concat!(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,32}(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,30})?",
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,20}[A-Za-z0-9])?\.){1,4}[A-Za-z]{2,18}"
);
/// A UK mobile number as people write it. The server takes any number valid in libphonenumber's
/// metadata (landlines, `+` and a country code for other countries), which no pattern can state.
const PHONE: &str = r"(\+44 ?|0)7[1-3][0-9]{2} ?[0-9]{3} ?[0-9]{3}";
/// A UK postcode in any case, with or without its space; other countries' postcodes are kept as
/// typed, up to 20 characters.
const POSTCODE: &str =
    r"([Gg][Ii][Rr] ?0[Aa][Aa]|[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})";
const CHANNEL: &str = "(email|phone|post|despatch_box|in_person|web_form)";
/// An id as a list parameter takes it: hyphenated or 32 hex digits.
const UUID_ANY_FORM: &str =
    "([0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})";
const ASSIGNEE: &str =
    "(me|none|[0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})";
/// A day (`2026-01-31`, midnight UTC) or an RFC 3339 time with its offset.
const DAY_OR_TIME: &str = r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])([Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?([Zz]|[+-](0[0-9]|1[0-3]):[0-5][0-9]))?";

/// A time as a request carries it: RFC 3339 with its offset. (The server also reads the looser
/// forms chrono accepts, and days 29 to 31; the pattern keeps to days every month has, so a
/// value it allows is always a real date.)
const DATE_TIME: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?([Zz]|[+-](0[0-9]|1[0-3]):[0-5][0-9])$";

/// How a field's text is judged.
#[derive(Clone, Copy)]
enum Text {
    /// Trimmed, then 1 (when `required`) or 0 to `max` characters; `None` for no limit.
    Trimmed { required: bool, max: Option<usize> },
    /// Taken as typed: `min` to `max` characters.
    AsTyped { min: usize, max: usize },
    /// Trimmed, then blank or matching this pattern.
    Blank(&'static str),
    /// Trimmed, then matching this pattern.
    Exactly(&'static str),
    /// Comma-separated, each part trimmed and blank parts skipped; the others match this.
    List(&'static str),
}

const fn required(max: usize) -> Text {
    Text::Trimmed { required: true, max: Some(max) }
}

const fn optional(max: usize) -> Text {
    Text::Trimmed { required: false, max: Some(max) }
}

/// Request-body fields by schema and property (array properties describe their items).
const FIELDS: &[(&str, &str, Text)] = &[
    ("SignInRequest", "email", Text::Trimmed { required: true, max: None }),
    ("SignInRequest", "password", Text::AsTyped { min: 1, max: 1024 }),
    ("CustomerInput", "title", optional(20)),
    ("CustomerInput", "given_name", optional(100)),
    ("CustomerInput", "family_name", optional(100)),
    ("CustomerInput", "organisation", optional(200)),
    ("CustomerInput", "emails", Text::Blank(EMAIL)),
    ("CustomerInput", "phones", Text::Blank(PHONE)),
    ("CustomerInput", "contact_needs", optional(2000)),
    ("CustomerInput", "notes", optional(10_000)),
    ("Address", "lines", optional(100)),
    ("Address", "town", optional(100)),
    ("Address", "postcode", Text::Blank(POSTCODE)),
    ("Address", "country", Text::Blank("[A-Za-z]{2}")),
    ("CreateUserRequest", "email", Text::Exactly(EMAIL)),
    ("CreateUserRequest", "display_name", required(100)),
    ("CreateUserRequest", "password", Text::AsTyped { min: 12, max: 256 }),
    ("UserUpdateRequest", "display_name", required(100)),
    ("GroupRequest", "name", required(100)),
    ("GroupRequest", "description", optional(500)),
    ("CreateApiTokenRequest", "name", required(100)),
    ("CreateQueryRequest", "subject", required(200)),
    ("CreateQueryRequest", "description", optional(20_000)),
    ("UpdateQueryRequest", "subject", required(200)),
    ("UpdateQueryRequest", "description", optional(20_000)),
    ("CreateNoteRequest", "body", required(10_000)),
    ("CreateQueryTypeRequest", "name", required(100)),
    ("UpdateQueryTypeRequest", "name", required(100)),
    ("TeamInput", "name", required(100)),
    ("EntraSettingsRequest", "directory_id", Text::Exactly(GUID)),
    ("EntraSettingsRequest", "client_id", Text::Exactly(GUID)),
    ("EntraSettingsRequest", "client_secret", Text::AsTyped { min: 0, max: 1000 }),
    (
        "EntraSettingsRequest",
        "redirect_url",
        Text::Exactly(r"(https://[!-~]{1,1992}|http://(localhost|127\.0\.0\.1)([:/][!-~]{0,1980})?)"),
    ),
    ("EntraSettingsRequest", "api_audience", Text::Exactly("[!-~]{1,300}")),
    ("NewEntraMapping", "value", Text::Exactly("[!-~]{1,120}")),
    ("ShareRequest", "message", optional(1000)),
    ("ViewInput", "name", required(100)),
    ("CalendarInput", "name", required(100)),
    ("ShiftTimes", "start", Text::Exactly("([01][0-9]|2[0-3]):[0-5][0-9]")),
    ("ShiftTimes", "end", Text::Exactly("(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)")),
    ("ClosureTimes", "reason", optional(200)),
    ("SlaPolicyInput", "name", required(100)),
    ("NewQueryStatus", "name", required(60)),
    ("QueryStatusChange", "name", required(60)),
    ("ChangeStatusRequest", "resolution_summary", optional(4000)),
    ("ChangeStatusRequest", "reason", optional(4000)),
    ("RenameDocumentRequest", "name", required(domain::document::NAME_MAX_CHARS)),
    ("DeleteDocumentRequest", "reason", required(domain::document::REASON_MAX_CHARS)),
];

/// Query parameters by name, for every operation that has them.
const PARAMETERS: &[(&str, Text)] = &[
    ("cursor", Text::Blank("[A-Za-z0-9_-]{1,64}")),
    ("status", Text::List(UUID_ANY_FORM)),
    ("type", Text::List(UUID_ANY_FORM)),
    ("channel", Text::List(CHANNEL)),
    ("customer_id", Text::Blank(UUID_ANY_FORM)),
    ("team_id", Text::Blank(UUID_ANY_FORM)),
    ("assignee", Text::Blank(ASSIGNEE)),
    ("received_from", Text::Blank(DAY_OR_TIME)),
    ("received_before", Text::Blank(DAY_OR_TIME)),
    ("due", Text::List("(on_time|due_soon|overdue|breached)")),
    ("due_before", Text::Blank(DAY_OR_TIME)),
    ("sort", Text::Blank("-?(received_at|updated_at|reference|due_at)")),
];

/// Fields whose text may run over several lines (see `json::MULTI_LINE`).
fn multi_line(property: &str) -> bool {
    crate::json::MULTI_LINE.contains(&property)
}

impl Text {
    fn pattern(self, multi_line: bool) -> String {
        let (refused, space) =
            if multi_line { (REFUSED_MULTI_LINE, format!(r"{SPACE}\t\n\r")) } else { (REFUSED, SPACE.to_owned()) };
        let any = format!("[^{refused}]");
        let visible = format!("[^{space}{refused}]");
        let space = format!("[{space}]");
        match self {
            Text::Trimmed { required, max } => {
                let inner = match max {
                    Some(max) => format!("{visible}(?:{any}{{0,{}}}{visible})?", max.saturating_sub(2)),
                    None => format!("{visible}{any}*"),
                };
                let inner = if required { inner } else { format!("(?:{inner})?") };
                format!("^{space}*{inner}{space}*$")
            }
            Text::AsTyped { min, max } => format!("^{any}{{{min},{max}}}$"),
            Text::Blank(pattern) => format!("^{space}*(?:{pattern})?{space}*$"),
            Text::Exactly(pattern) => format!("^{space}*(?:{pattern}){space}*$"),
            Text::List(pattern) => {
                let part = format!("{space}*(?:{pattern})?{space}*");
                format!("^{part}(?:,{part})*$")
            }
        }
    }
}

/// Puts every rule in its place, and a pattern without refused characters on every other
/// string of a request body.
pub fn describe_text(document: &mut Value) {
    let request_schemas = request_body_schemas(document);
    let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    for name in &request_schemas {
        let Some(properties) =
            schemas.get_mut(name).and_then(|s| s.get_mut("properties")).and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (property, schema) in properties.iter_mut() {
            let rule = FIELDS.iter().find(|(s, p, _)| s == name && p == property).map(|(_, _, rule)| *rule);
            let rule = rule.unwrap_or(Text::Trimmed { required: false, max: None });
            if schema.get("format").and_then(Value::as_str) == Some("date-time") {
                // `format` is only an annotation in JSON Schema: without a pattern, "" passes.
                schema["pattern"] = json!(DATE_TIME);
                continue;
            }
            let target = match schema.get_mut("items") {
                Some(items) => items,
                None => schema,
            };
            set_pattern(target, &rule.pattern(multi_line(property)));
        }
    }
    for (_, item) in document["paths"].as_object_mut().into_iter().flatten() {
        for (_, operation) in item.as_object_mut().into_iter().flatten() {
            let parameters = operation.get_mut("parameters").and_then(Value::as_array_mut);
            for parameter in parameters.into_iter().flatten() {
                if parameter["in"] != "query" {
                    continue;
                }
                let schema = &mut parameter["schema"];
                // A query string has no null: an absent parameter is how "none" is said.
                if let Some(kind) = schema["type"].as_array().and_then(|t| t.iter().find(|t| *t != "null")).cloned() {
                    schema["type"] = kind;
                }
                let name = parameter["name"].as_str().unwrap_or_default();
                if let Some((_, rule)) = PARAMETERS.iter().find(|(p, _)| *p == name) {
                    set_pattern(&mut parameter["schema"], &rule.pattern(false));
                }
            }
        }
    }
}

/// A string schema (alone or beside `null`) without an enum, format or pattern of its own.
fn set_pattern(schema: &mut Value, pattern: &str) {
    let Some(map) = schema.as_object_mut() else { return };
    let is_string = match &map.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    };
    if is_string && !map.contains_key("enum") && !map.contains_key("format") && !map.contains_key("pattern") {
        map.insert("pattern".into(), json!(pattern));
    }
}

/// The component schemas a request body can hold, following `$ref`s.
fn request_body_schemas(document: &Value) -> Vec<String> {
    let mut found: Vec<String> = vec![];
    let mut pending: Vec<&Value> = vec![];
    for (_, item) in document["paths"].as_object().into_iter().flatten() {
        for (_, operation) in item.as_object().into_iter().flatten() {
            pending.extend(operation.get("requestBody"));
        }
    }
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(map) => {
                if let Some(name) =
                    map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/"))
                    && !found.iter().any(|f| f == name)
                {
                    found.push(name.to_owned());
                    pending.extend(document.pointer(&format!("/components/schemas/{name}")));
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

/// Rules across fields, and lists the server bounds.
pub fn describe_combinations(schemas: &mut Map<String, Value>) {
    let non_blank = |property: &str| json!({"required": [property], "properties": {property: {"type": "string", "pattern": format!("[^{SPACE}]")}}});
    if let Some(customer) = schemas.get_mut("CustomerInput") {
        customer["anyOf"] = json!([non_blank("given_name"), non_blank("family_name"), non_blank("organisation")]);
        customer["properties"]["family_name"]["description"] =
            json!("A given name, a family name or an organisation is required.");
        for list in ["emails", "phones"] {
            customer["properties"][list]["maxItems"] = json!(10);
        }
    }
    if let Some(address) = schemas.get_mut("Address") {
        address["properties"]["lines"]["maxItems"] = json!(4);
        address["properties"]["country"]["description"] =
            json!("Two letters, an ISO 3166-1 alpha-2 code such as GB or IE; GB when absent or blank.");
    }
    if let Some(view) = schemas.get_mut("ViewInput") {
        let columns = domain::saved_view::COLUMNS;
        view["properties"]["columns"]["items"] = json!({"type": "string", "enum": columns});
        view["properties"]["columns"]["minItems"] = json!(1);
        view["properties"]["sort"] = json!({"type": "string", "enum": domain::query_list::QuerySort::allowed()});
    }
    if let Some(bulk) = schemas.get_mut("BulkChangeRequest") {
        bulk["properties"]["items"]["minItems"] = json!(1);
        bulk["properties"]["items"]["maxItems"] = json!(api_types::queries::BULK_LIMIT);
    }
    if let Some(assign) = schemas.get_mut("BulkChange").and_then(|change| change["oneOf"].get_mut(0)) {
        // Keeping each query's team and naming a team contradict each other.
        assign["not"] = json!({"required": ["keep_team", "team_id"],
                               "properties": {"keep_team": {"const": true}, "team_id": {"type": "string"}}});
    }
    if let Some(note) = schemas.get_mut("CreateNoteRequest") {
        // A contact (a call, a letter) says which way and how; a note says neither.
        note["anyOf"] = json!([
            {"properties": {"kind": {"enum": ["note"]}, "direction": {"type": "null"}, "channel": {"type": "null"}}},
            {"properties": {"kind": {"enum": ["contact"]},
                            "direction": {"$ref": "#/components/schemas/ContactDirection"},
                            "channel": {"$ref": "#/components/schemas/QueryChannel"}},
             "required": ["direction", "channel"]}
        ]);
    }
    if let Some(mapping) = schemas.get_mut("NewEntraMapping") {
        let guid = format!("^[{SPACE}]*{GUID}[{SPACE}]*$");
        mapping["anyOf"] = json!([
            {"properties": {"claim": {"enum": ["group"]}, "value": {"pattern": guid}}},
            {"properties": {"claim": {"enum": ["role"]}}}
        ]);
    }
    if let Some(permission) = schemas.get_mut("Permission") {
        // Only a queries grant can be limited to the holder's teams.
        permission["anyOf"] =
            json!([{"properties": {"own_teams": {"enum": [false]}}}, {"properties": {"area": {"enum": ["queries"]}}}]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{customer::PhoneNumber, customer::UkPostcode, user::EmailAddress};

    fn matches(text: Text, value: &str) -> bool {
        regex::Regex::new(&text.pattern(false)).expect("the pattern compiles").is_match(value)
    }

    #[test]
    fn trimmed_text_is_measured_as_the_server_measures_it() {
        let name = required(100);
        for (value, accepted) in [
            ("a", true),
            ("  a  ", true),
            ("\u{3000}Zoë O’Brien\u{a0}", true),
            ("", false),
            ("   ", false),
            ("a\tb", false),
            ("a\u{202e}b", false),
        ] {
            assert_eq!(matches(name, value), accepted, "{value:?}");
        }
        assert!(matches(name, &"x".repeat(100)));
        assert!(!matches(name, &"x".repeat(101)));
        assert!(matches(name, &format!("  {}  ", "x".repeat(100))), "spaces around do not count");
        assert!(matches(optional(20), "  "));
        let multi_line = regex::Regex::new(&optional(2000).pattern(true)).expect("compiles");
        assert!(multi_line.is_match("two\nlines\tand a tab"));
        assert!(!multi_line.is_match("a\u{0}b"));
    }

    /// A value the document allows, the domain accepts; the samples the document refuses, it
    /// refuses too (the document is narrower only where a pattern cannot say more).
    #[test]
    fn formatted_strings_agree_with_the_domain() {
        let email = Text::Exactly(EMAIL);
        for value in ["jane@example.org", " Jane.Doe+case@mail.example.gov.uk ", "o'neil@x-y.co.uk"] {
            assert!(matches(email, value), "{value}");
            assert!(EmailAddress::parse("email", value).is_ok(), "{value}");
        }
        for value in ["Jane <jane@example.org>", "jane@localhost", "a.b@[10.0.0.1]", "jane@", "jane example.org"] {
            assert!(!matches(email, value), "{value}");
            assert!(EmailAddress::parse("email", value).is_err(), "{value}");
        }
        let phone = Text::Blank(PHONE);
        for value in ["07123 456789", "+44 7312 345 678", "07200123456"] {
            assert!(matches(phone, value), "{value}");
            assert!(PhoneNumber::parse("phone", value).is_ok(), "{value}");
        }
        for value in ["Tel: 07123 456789", "07123 456789 x12", "phone me"] {
            assert!(!matches(phone, value), "{value}");
            assert!(PhoneNumber::parse("phone", value).is_err(), "{value}");
        }
        let postcode = Text::Blank(POSTCODE);
        for value in ["BS1 6PN", "bs16pn", "SW1A 1AA", "gir 0aa", "M1 1AE"] {
            assert!(matches(postcode, value), "{value}");
            assert!(UkPostcode::parse("postcode", value).is_ok(), "{value}");
        }
        for value in ["BS1 6CN", "12345", "BS1"] {
            assert!(!matches(postcode, value), "{value}");
            assert!(UkPostcode::parse("postcode", value).is_err(), "{value}");
        }
    }

    #[test]
    fn every_rule_names_a_field_the_document_has() {
        let document = crate::openapi::document();
        for (schema, property, _) in FIELDS {
            let path = format!("/components/schemas/{schema}/properties/{property}");
            assert!(document.pointer(&path).is_some(), "{path} is not in the document");
        }
    }
}
