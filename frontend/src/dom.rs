//! Small browser helpers: document title, focus, dates.

use std::time::Duration;

use leptos::prelude::{document, set_timeout};
use wasm_bindgen::{JsCast, JsValue};

const SERVICE_NAME: &str = "Casedesk";

/// Sets `<title>` the GOV.UK way: "Page - Service", with an "Error: " prefix while the page
/// shows validation errors, so screen reader users hear about them first.
pub fn set_title(page: &str, has_errors: bool) {
    let prefix = if has_errors { "Error: " } else { "" };
    document().set_title(&format!("{prefix}{page} - {SERVICE_NAME}"));
}

/// Moves keyboard focus to the element with this id once the current render has reached the
/// DOM (Leptos applies updates in a microtask, so the element may not exist yet).
pub fn focus_soon(id: impl Into<String>) {
    let id = id.into();
    set_timeout(move || focus_now(&id), Duration::ZERO);
}

/// Moves keyboard focus to the element with this id, if there is one.
pub fn focus_now(id: &str) {
    let element = document().get_element_by_id(id).and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        // Focus cannot fail in a way the user could act on; the element stays where it is.
        let _ = element.focus();
    }
}

/// This page's origin (`https://casedesk.example`), for addresses the user copies elsewhere.
pub fn origin() -> String {
    leptos::prelude::window().location().origin().unwrap_or_default()
}

/// A date as people in the UK read it ("30 November 2026"), in Europe/London time, plus the
/// ISO form for a `<time datetime>` attribute.
pub fn london_date(millis_since_epoch: i64) -> (String, String) {
    // Exact for any date this service will ever see (f64 holds integers up to 2^53).
    let date = js_sys::Date::new(&JsValue::from_f64(millis_since_epoch as f64));
    let options = js_sys::Object::new();
    for (key, value) in [("timeZone", "Europe/London"), ("day", "numeric"), ("month", "long"), ("year", "numeric")] {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    let text: String = date.to_locale_date_string("en-GB", &options).into();
    let iso: String = date.to_iso_string().into();
    (text, iso)
}

/// A value kept in this browser between visits (`localStorage`), if storage is allowed.
pub fn recall(key: &str) -> Option<String> {
    leptos::prelude::window().local_storage().ok().flatten()?.get_item(key).ok().flatten()
}

/// Keeps a value in this browser between visits. Never for personal data or case content:
/// the browser may be shared and keeps it after sign-out.
pub fn remember(key: &str, value: &str) {
    if let Some(storage) = leptos::prelude::window().local_storage().ok().flatten() {
        // A browser that refuses storage only forgets the preference.
        let _ = storage.set_item(key, value);
    }
}

/// Percent-encodes one part of an address (a query parameter value or a path segment).
pub fn url_encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}
