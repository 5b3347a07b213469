//! The work queue's filters (MoJ "filter a list"): what they are, how they live in the address
//! bar (so a filtered list is a link someone can bookmark or send), how they become an API
//! request, and the filter panel itself.

use api_types::{QueryChannel, QueryStatus};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use uuid::Uuid;

use crate::api;
use crate::forms::{ErrorMessage, FormErrors};
use crate::pages::queries::words::{CHANNELS, channel_from_key, channel_key, channel_name};
use crate::time;

/// What the list is filtered by. Dates are London days as `YYYY-MM-DD`, both inclusive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub statuses: Vec<Uuid>,
    pub channels: Vec<QueryChannel>,
    pub received_from: String,
    pub received_to: String,
}

/// The address bar's parameter names; the same as the API's where the meaning is the same.
/// `received_to` is the SPA's own: people think of a last day, the API of an end instant.
const STATUS: &str = "status";
const CHANNEL: &str = "channel";
const FROM: &str = "received_from";
const TO: &str = "received_to";
pub const CURSOR: &str = "cursor";

fn split(raw: Option<String>) -> Vec<String> {
    raw.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl QueueFilter {
    /// The filter in the address bar; anything not understood is ignored, as a hand-edited
    /// link should still show a list.
    pub fn from_params(params: &ParamsMap) -> Self {
        let date = |key| params.get(key).filter(|d| time::london_day_start(d, 0).is_some()).unwrap_or_default();
        Self {
            statuses: split(params.get(STATUS)).iter().filter_map(|s| Uuid::parse_str(s).ok()).collect(),
            channels: split(params.get(CHANNEL)).iter().filter_map(|c| channel_from_key(c)).collect(),
            received_from: date(FROM),
            received_to: date(TO),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// `?status=…&channel=…` for the work queue's own address (with a page cursor if given).
    pub fn to_search(&self, cursor: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.statuses.is_empty() {
            pairs.push((STATUS, self.statuses.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",")));
        }
        if !self.channels.is_empty() {
            pairs.push((CHANNEL, self.channels.iter().map(|c| channel_key(*c)).collect::<Vec<_>>().join(",")));
        }
        if !self.received_from.is_empty() {
            pairs.push((FROM, self.received_from.clone()));
        }
        if !self.received_to.is_empty() {
            pairs.push((TO, self.received_to.clone()));
        }
        if let Some(cursor) = cursor {
            pairs.push((CURSOR, cursor.to_owned()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        let joined: Vec<String> =
            pairs.into_iter().map(|(key, value)| format!("{key}={}", api::query_value(&value))).collect();
        format!("?{}", joined.join("&"))
    }

    /// The work queue's address for this filter.
    pub fn href(&self, cursor: Option<&str>) -> String {
        format!("/queries{}", self.to_search(cursor))
    }

    /// The API's query string for this filter (without `?`). Dates become the instants London
    /// days start, the last day inclusive.
    pub fn api_params(&self) -> String {
        let mut parts = Vec::new();
        if !self.statuses.is_empty() {
            let ids: Vec<String> = self.statuses.iter().map(Uuid::to_string).collect();
            parts.push(format!("status={}", api::query_value(&ids.join(","))));
        }
        if !self.channels.is_empty() {
            let keys: Vec<&str> = self.channels.iter().map(|c| channel_key(*c)).collect();
            parts.push(format!("channel={}", api::query_value(&keys.join(","))));
        }
        if let Some(from) = time::london_day_start(&self.received_from, 0) {
            parts.push(format!("received_from={}", api::query_value(&from)));
        }
        if let Some(before) = time::london_day_start(&self.received_to, 1) {
            parts.push(format!("received_before={}", api::query_value(&before)));
        }
        parts.join("&")
    }

    /// Problems a person can fix before the filter is applied.
    pub fn check(&self) -> FormErrors {
        let both = !self.received_from.is_empty() && !self.received_to.is_empty();
        // ISO dates compare correctly as text.
        if both && self.received_to < self.received_from {
            return FormErrors::field(TO, "The ‘to’ date must be the same as or after the ‘from’ date");
        }
        FormErrors::default()
    }
}

/// One applied filter, as an MoJ filter tag that removes it.
#[derive(Clone, Debug)]
struct Tag {
    text: String,
    without: QueueFilter,
}

fn tags(filter: &QueueFilter, statuses: &[QueryStatus]) -> Vec<(&'static str, Vec<Tag>)> {
    let status_tags = filter
        .statuses
        .iter()
        .map(|id| {
            let name =
                statuses.iter().find(|s| s.id == *id).map_or_else(|| "Unknown status".to_owned(), |s| s.name.clone());
            let mut without = filter.clone();
            without.statuses.retain(|s| s != id);
            Tag { text: name, without }
        })
        .collect();
    let channel_tags = filter
        .channels
        .iter()
        .map(|channel| {
            let mut without = filter.clone();
            without.channels.retain(|c| c != channel);
            Tag { text: channel_name(*channel).to_owned(), without }
        })
        .collect();
    let mut date_tags = Vec::new();
    let date_text = |iso: &str| time::iso_date_text(iso).unwrap_or_default();
    if !filter.received_from.is_empty() {
        let without = QueueFilter { received_from: String::new(), ..filter.clone() };
        date_tags.push(Tag { text: format!("From {}", date_text(&filter.received_from)), without });
    }
    if !filter.received_to.is_empty() {
        let without = QueueFilter { received_to: String::new(), ..filter.clone() };
        date_tags.push(Tag { text: format!("To {}", date_text(&filter.received_to)), without });
    }
    [("Status", status_tags), ("Channel", channel_tags), ("Date received", date_tags)]
        .into_iter()
        .filter(|(_, tags)| !tags.is_empty())
        .collect()
}

/// The filter panel. `applied` is what the list shows now (from the address bar); `draft` is
/// what the checkboxes and dates hold until "Apply filters".
#[component]
pub fn FilterPanel(
    applied: Memo<QueueFilter>,
    draft: RwSignal<QueueFilter>,
    statuses: Signal<Vec<QueryStatus>>,
    errors: Signal<FormErrors>,
    on_apply: Callback<()>,
) -> impl IntoView {
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_apply.run(());
    };
    let selected = move || {
        let filter = applied.get();
        (!filter.is_empty()).then(|| {
            let categories = tags(&filter, &statuses.get())
                .into_iter()
                .map(|(heading, tags)| {
                    let items = tags
                        .into_iter()
                        .map(|tag| view! {
                            <li><a class="moj-filter__tag" href=tag.without.href(None)>
                                <span class="govuk-visually-hidden">"Remove this filter "</span>{tag.text}
                            </a></li>
                        })
                        .collect_view();
                    view! {
                        <h3 class="govuk-heading-s govuk-!-margin-bottom-0">{heading}</h3>
                        <ul class="moj-filter-tags">{items}</ul>
                    }
                })
                .collect_view();
            view! {
                <div class="moj-filter__selected">
                    <div class="moj-filter__selected-heading">
                        <div class="moj-filter__heading-title">
                            <h2 class="govuk-heading-m">"Selected filters"</h2>
                        </div>
                        // MoJ spaces these two apart with text-align: justify, which needs
                        // whitespace between them; the view macro would otherwise drop it.
                        " "
                        <div class="moj-filter__heading-action">
                            <p><a class="govuk-link govuk-link--no-visited-state" href="/queries">"Clear filters"</a></p>
                        </div>
                    </div>
                    {categories}
                </div>
            }
        })
    };
    let status_boxes = move || {
        statuses
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, status)| {
                let id = status.id;
                let checked = Signal::derive(move || draft.with(|d| d.statuses.contains(&id)));
                let toggle = Callback::new(move |on: bool| {
                    draft.update(|d| {
                        d.statuses.retain(|s| *s != id);
                        if on {
                            d.statuses.push(id);
                        }
                    });
                });
                view! { <CheckboxItem id=format!("filter-status-{}", i + 1) label=status.name checked toggle/> }
            })
            .collect_view()
    };
    let channel_boxes = CHANNELS
        .into_iter()
        .map(|channel| {
            let checked = Signal::derive(move || draft.with(|d| d.channels.contains(&channel)));
            let toggle = Callback::new(move |on: bool| {
                draft.update(|d| {
                    d.channels.retain(|c| *c != channel);
                    if on {
                        d.channels.push(channel);
                    }
                });
            });
            let id = format!("filter-channel-{}", channel_key(channel));
            view! { <CheckboxItem id label=channel_name(channel).to_owned() checked toggle/> }
        })
        .collect_view();
    let to_error = Memo::new(move |_| errors.with(|e| e.message(TO)));
    view! {
        <div class="moj-filter">
            <div class="moj-filter__header">
                <div class="moj-filter__header-title">
                    <h2 class="govuk-heading-m">"Filter"</h2>
                </div>
                <div class="moj-filter__header-action"></div>
            </div>
            <div class="moj-filter__content">
                {selected}
                <div class="moj-filter__options">
                    <form method="get" action="/queries" novalidate=true on:submit=submit>
                        <button type="submit" class="govuk-button" data-module="govuk-button">"Apply filters"</button>
                        <div class="govuk-form-group">
                            <fieldset class="govuk-fieldset">
                                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Status"</legend>
                                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                                    {status_boxes}
                                </div>
                            </fieldset>
                        </div>
                        <div class="govuk-form-group">
                            <fieldset class="govuk-fieldset">
                                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Channel"</legend>
                                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                                    {channel_boxes}
                                </div>
                            </fieldset>
                        </div>
                        <div class=move || if to_error.with(Option::is_some) { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" }>
                            <fieldset class="govuk-fieldset">
                                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Date received"</legend>
                                <DateField id=FROM label="From" draft field=|d| &mut d.received_from read=|d| d.received_from.clone()
                                    error=Signal::derive(|| None)/>
                                <DateField id=TO label="To" draft field=|d| &mut d.received_to read=|d| d.received_to.clone()
                                    error=to_error.into()/>
                            </fieldset>
                        </div>
                    </form>
                </div>
            </div>
        </div>
    }
}

/// A small GOV.UK checkbox.
#[component]
fn CheckboxItem(id: String, label: String, checked: Signal<bool>, toggle: Callback<bool>) -> impl IntoView {
    view! {
        <div class="govuk-checkboxes__item">
            <input class="govuk-checkboxes__input" id=id.clone() type="checkbox"
                prop:checked=move || checked.get() on:change=move |ev| toggle.run(event_target_checked(&ev))/>
            <label class="govuk-label govuk-checkboxes__label" for=id>{label}</label>
        </div>
    }
}

/// A date for the filter. The browser's date input always yields `YYYY-MM-DD` (or nothing),
/// which is exactly what the address bar and the API take.
#[component]
fn DateField(
    id: &'static str,
    label: &'static str,
    draft: RwSignal<QueueFilter>,
    field: fn(&mut QueueFilter) -> &mut String,
    read: fn(&QueueFilter) -> String,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.with(Option::is_some).then(|| error_id.clone())
    };
    view! {
        <div class="govuk-form-group">
            <label class="govuk-label" for=id>{label}</label>
            {move || error.get().map(|message| view! { <ErrorMessage id=error_id.clone() message/> })}
            <input class=move || if error.with(Option::is_some) { "govuk-input govuk-input--width-10 govuk-input--error" } else { "govuk-input govuk-input--width-10" }
                id=id name=id type="date" aria-describedby=described_by
                prop:value=move || draft.with(read)
                on:change=move |ev| { let value = event_target_value(&ev); draft.update(|d| *field(d) = value); }/>
        </div>
    }
}
