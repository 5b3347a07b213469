//! The statuses part of `/admin/workflows`: the organisation's statuses in order, each with
//! its category, moved up or down, renamed, retired or restored, and a form to add one.
//! A status's category never changes: reports and service-level clocks rely on it.

use crate::tasks::spawn;
use api_types::{NewQueryStatus, QueryStatus, QueryStatusChange, StatusCategory};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::forms::{FormErrors, Select, TextInput};
use crate::pages::queries::words::Statuses;
use crate::table::{ACTIONS, Column, Table, column};

const COLUMNS: &[Column] = &[Column::numeric("Order"), column("Status"), column("Category"), ACTIONS];

const CATEGORIES: [(StatusCategory, &str, &str); 5] = [
    (StatusCategory::New, "new", "New: not yet picked up"),
    (StatusCategory::Open, "open", "Open: being worked"),
    (StatusCategory::Waiting, "waiting", "Waiting: on the customer (service-level clocks pause)"),
    (StatusCategory::Resolved, "resolved", "Resolved: answered"),
    (StatusCategory::Closed, "closed", "Closed: finished"),
];

fn category_text(category: StatusCategory) -> &'static str {
    CATEGORIES.iter().find(|(c, _, _)| *c == category).map_or("", |(_, _, text)| text)
}

/// The statuses table and the "Add a status" form.
#[component]
pub fn StatusesSection(
    statuses: Statuses,
    errors: RwSignal<FormErrors>,
    saved: Callback<String>,
    failed: Callback<api_types::Problem>,
) -> impl IntoView {
    let renaming = RwSignal::new(None::<uuid::Uuid>);
    let rows = move || {
        let all = statuses.0.get().unwrap_or_default();
        let last = all.len();
        all.into_iter().map(|status| view! { <StatusRow status last renaming saved failed/> }).collect_view()
    };
    view! {
        <h2 class="govuk-heading-m">"Statuses"</h2>
        <p class="govuk-body">
            "Officers see statuses in this order. A retired status stays on the queries and history that used it, "
            "but no workflow can offer it until it is restored."
        </p>
        <Table id="statuses" caption="Statuses" columns=COLUMNS>{rows}</Table>
        <AddStatus errors saved failed/>
    }
}

#[component]
fn StatusRow(
    status: QueryStatus,
    last: usize,
    renaming: RwSignal<Option<uuid::Uuid>>,
    saved: Callback<String>,
    failed: Callback<api_types::Problem>,
) -> impl IntoView {
    let (id, version, position, retired) = (status.id, status.version, status.position, status.retired);
    // Kept in a StoredValue so every button's handler can copy it.
    let original = StoredValue::new(status.name.clone());
    // Sends the status as changed: `name` (the current one when None), `position`, `retired`.
    let put = move |name: Option<String>, position: i32, retired: bool, message: String| {
        let name = name.unwrap_or_else(|| original.get_value());
        let change = QueryStatusChange { name, position: u32::try_from(position).unwrap_or(1), retired };
        spawn(async move {
            match api::workflows::update_status(id, version, &change).await {
                Ok(_) => saved.run(message),
                Err(problem) => failed.run(problem),
            }
        });
    };
    let named = move |what: &str| format!("{} {what}", original.get_value());
    let up = move |_| put(None, position - 1, retired, named("moved up"));
    let down = move |_| put(None, position + 1, retired, named("moved down"));
    let toggle =
        move |_| put(None, position, !retired, named(if retired { "has been restored" } else { "has been retired" }));
    let name = RwSignal::new(status.name.clone());
    let rename = move |ev: SubmitEvent| {
        ev.prevent_default();
        let new_name = name.get_untracked().trim().to_owned();
        put(Some(new_name.clone()), position, retired, format!("Renamed to {new_name}"));
    };
    let no_errors = Signal::derive(FormErrors::default);
    let hidden = move || view! { <span class="govuk-visually-hidden">" "{original.get_value()}</span> };
    view! {
        <tr class="govuk-table__row">
            <td class="govuk-table__cell govuk-table__cell--numeric">{position}</td>
            <td class="govuk-table__cell app-wrap-anywhere">
                <span class="govuk-!-font-weight-bold">{status.name.clone()}</span>
                {retired.then(|| view! { " " <strong class="govuk-tag govuk-tag--grey">"Retired"</strong> })}
                {move || (renaming.get() == Some(id)).then(|| view! {
                    <form method="post" novalidate=true on:submit=rename class="govuk-!-margin-top-2">
                        <TextInput id="rename" label="New name" value=name errors=no_errors/>
                        <button type="submit" class="govuk-button" data-module="govuk-button">"Save name"</button>
                    </form>
                })}
            </td>
            <td class="govuk-table__cell">{category_text(status.category)}</td>
            <td class="govuk-table__cell app-row-actions">
                {(position > 1).then(|| view! {
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
                        data-module="govuk-button" on:click=up>"Move up"{hidden()}</button>
                })}
                " "
                {(usize::try_from(position).unwrap_or(0) < last).then(|| view! {
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
                        data-module="govuk-button" on:click=down>"Move down"{hidden()}</button>
                })}
                " "
                <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
                    data-module="govuk-button" aria-expanded=move || (renaming.get() == Some(id)).to_string()
                    on:click=move |_| renaming.update(|r| *r = if *r == Some(id) { None } else { Some(id) })>
                    "Rename"{hidden()}
                </button>
                " "
                <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
                    data-module="govuk-button" on:click=toggle>
                    {if retired { "Restore" } else { "Retire" }}{hidden()}
                </button>
            </td>
        </tr>
    }
}

/// "Add a status": a name and what it means.
#[component]
fn AddStatus(
    errors: RwSignal<FormErrors>,
    saved: Callback<String>,
    failed: Callback<api_types::Problem>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let category = RwSignal::new("open".to_owned());
    let options = Signal::derive(|| {
        CATEGORIES.iter().map(|(_, value, text)| ((*value).to_owned(), (*text).to_owned())).collect()
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let chosen = category.get_untracked();
        let category =
            CATEGORIES.iter().find(|(_, value, _)| *value == chosen).map_or(StatusCategory::Open, |(c, _, _)| *c);
        let request = NewQueryStatus { name: name.get_untracked(), category };
        spawn(async move {
            match api::workflows::create_status(&request).await {
                Ok(status) => {
                    name.set(String::new());
                    saved.run(format!("{} has been added", status.name));
                }
                Err(problem) => failed.run(problem),
            }
        });
    };
    view! {
        <form method="post" novalidate=true on:submit=submit class="govuk-!-margin-bottom-8">
            <h3 class="govuk-heading-s">"Add a status"</h3>
            <TextInput id="name" label="Name" value=name errors=errors.into() class="govuk-!-width-two-thirds"/>
            <Select id="category" label="What it means" value=category options errors=errors.into()/>
            <button type="submit" class="govuk-button" data-module="govuk-button">"Add status"</button>
        </form>
    }
}
