//! The work queue's filter panel (MoJ "filter a list"): search, the filters as checkboxes,
//! radios and dates, and the applied ones as tags that each remove themselves. The filter
//! itself (and its life in the address bar) is in `queue_filter`.

use api_types::QueryStatus;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::directory::Directory;
use crate::forms::{ErrorMessage, FormErrors, FormGroup};
use crate::pages::queries::queue_filter::{Assignee, DUE_STATES, FROM, Q, QueueFilter, TO};
use crate::pages::queries::types::QueryTypes;
use crate::pages::queries::words::{CHANNELS, channel_key, channel_name};
use crate::time;

/// One applied filter, as an MoJ filter tag that removes it.
#[derive(Clone, Debug)]
struct Tag {
    text: String,
    without: QueueFilter,
}

fn tags(
    filter: &QueueFilter,
    statuses: &[QueryStatus],
    types: QueryTypes,
    directory: Directory,
) -> Vec<(&'static str, Vec<Tag>)> {
    let one = |text: String, without: QueueFilter| vec![Tag { text, without }];
    let search_tags = if filter.q.is_empty() {
        Vec::new()
    } else {
        one(format!("‘{}’", filter.q), QueueFilter { q: String::new(), ..filter.clone() })
    };
    let assignee_text = match &filter.assignee {
        Assignee::Anyone => None,
        Assignee::Me => Some("Me".to_owned()),
        Assignee::Nobody => Some("Unassigned".to_owned()),
        Assignee::Officer(id) => Some(directory.user_name(*id)),
    };
    let assignee_tags = assignee_text
        .map(|text| one(text, QueueFilter { assignee: Assignee::Anyone, ..filter.clone() }))
        .unwrap_or_default();
    let team_tags = filter
        .team_id
        .map(|id| one(directory.team_name(id), QueueFilter { team_id: None, ..filter.clone() }))
        .unwrap_or_default();
    let open_tags = filter
        .open
        .map(|open| {
            let text = if open { "Open" } else { "Resolved or closed" };
            one(text.to_owned(), QueueFilter { open: None, ..filter.clone() })
        })
        .unwrap_or_default();
    let due_tags = filter
        .due
        .iter()
        .map(|key| {
            let mut without = filter.clone();
            without.due.retain(|d| d != key);
            let text = DUE_STATES.iter().find(|(k, _)| k == key).map_or("", |(_, text)| text);
            Tag { text: text.to_owned(), without }
        })
        .collect();
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
    let type_tags = filter
        .types
        .iter()
        .map(|id| {
            let mut without = filter.clone();
            without.types.retain(|t| t != id);
            Tag { text: types.label(*id), without }
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
    [
        ("Search", search_tags),
        ("Assigned to", assignee_tags),
        ("Team", team_tags),
        ("Open or closed", open_tags),
        ("Service level", due_tags),
        ("Status", status_tags),
        ("Channel", channel_tags),
        ("Type", type_tags),
        ("Date received", date_tags),
    ]
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
    types: QueryTypes,
    directory: Directory,
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
            let categories = tags(&filter, &statuses.get(), types, directory)
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
                            <p><a class="govuk-link govuk-link--no-visited-state" href=move || applied.with(|f| QueueFilter { sort: f.sort.clone(), columns: f.columns.clone(), ..QueueFilter::default() }).href(None)>"Clear filters"</a></p>
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
                let id = format!("filter-status-{}", i + 1);
                view! { <ListBox draft id label=status.name value=status.id read=|d| &d.statuses write=|d| &mut d.statuses/> }
            })
            .collect_view()
    };
    let due_boxes = DUE_STATES
        .into_iter()
        .map(|(key, label)| {
            let id = format!("filter-due-{key}");
            view! { <ListBox draft id label=label.to_owned() value=key.to_owned() read=|d| &d.due write=|d| &mut d.due/> }
        })
        .collect_view();
    let channel_boxes = CHANNELS
        .into_iter()
        .map(|channel| {
            let id = format!("filter-channel-{}", channel_key(channel));
            let label = channel_name(channel).to_owned();
            view! { <ListBox draft id label value=channel read=|d| &d.channels write=|d| &mut d.channels/> }
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
                        <SearchField draft/>
                        <ChoiceRadios name="assignee" legend="Assigned to" draft
                            options=vec![(Assignee::Anyone, "Anyone"), (Assignee::Me, "Me"), (Assignee::Nobody, "Unassigned")]
                            read=|d| d.assignee.clone() write=|d, v| d.assignee = v/>
                        <TeamSelect draft directory/>
                        <ChoiceRadios name="open" legend="Open or closed" draft
                            options=vec![(None, "Open and closed"), (Some(true), "Open"), (Some(false), "Resolved or closed")]
                            read=|d| d.open write=|d, v| d.open = v/>
                        <CheckboxGroup legend="Service level">{due_boxes}</CheckboxGroup>
                        <CheckboxGroup legend="Status">{status_boxes}</CheckboxGroup>
                        <TypeSelect draft types/>
                        <CheckboxGroup legend="Channel">{channel_boxes}</CheckboxGroup>
                        <FormGroup error=to_error>
                            <fieldset class="govuk-fieldset">
                                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Date received"</legend>
                                <DateField id=FROM label="From" draft field=|d| &mut d.received_from read=|d| d.received_from.clone()
                                    error=Signal::derive(|| None)/>
                                <DateField id=TO label="To" draft field=|d| &mut d.received_to read=|d| d.received_to.clone()
                                    error=to_error.into()/>
                            </fieldset>
                        </FormGroup>
                    </form>
                </div>
            </div>
        </div>
    }
}

/// A checkbox that keeps `value` in, or out of, one of the draft filter's lists.
#[component]
fn ListBox<T>(
    draft: RwSignal<QueueFilter>,
    id: String,
    label: String,
    value: T,
    read: fn(&QueueFilter) -> &Vec<T>,
    write: fn(&mut QueueFilter) -> &mut Vec<T>,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let shown = value.clone();
    let checked = Signal::derive(move || draft.with(|d| read(d).contains(&shown)));
    let toggle = Callback::new(move |on: bool| {
        draft.update(|d| {
            let list = write(d);
            list.retain(|v| *v != value);
            if on {
                list.push(value.clone());
            }
        });
    });
    view! { <CheckboxItem id label checked toggle/> }
}

/// A filter's checkboxes under their legend.
#[component]
fn CheckboxGroup(legend: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="govuk-form-group">
            <fieldset class="govuk-fieldset">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend>
                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                    {children()}
                </div>
            </fieldset>
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

/// The search box, first in the panel: most officers look a query up by what they know.
#[component]
fn SearchField(draft: RwSignal<QueueFilter>) -> impl IntoView {
    view! {
        <div class="govuk-form-group">
            <label class="govuk-label govuk-label--m" for=Q>"Search"</label>
            <div class="govuk-hint" id="q-hint">
                "Reference, subject, description, or the customer’s name, email address or postcode"
            </div>
            <input class="govuk-input" id=Q name=Q type="search" spellcheck="false" autocomplete="off"
                aria-describedby="q-hint" prop:value=move || draft.with(|d| d.q.clone())
                on:input=move |ev| { let value = event_target_value(&ev); draft.update(|d| d.q = value); }/>
        </div>
    }
}

/// Small GOV.UK radios for a one-of filter; the first option means "no filter".
#[component]
fn ChoiceRadios<T>(
    name: &'static str,
    legend: &'static str,
    draft: RwSignal<QueueFilter>,
    options: Vec<(T, &'static str)>,
    read: fn(&QueueFilter) -> T,
    write: fn(&mut QueueFilter, T),
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let items = options
        .into_iter()
        .enumerate()
        .map(|(index, (value, label))| {
            let id = format!("filter-{name}-{}", index + 1);
            let checked_value = value.clone();
            view! {
                <div class="govuk-radios__item">
                    <input class="govuk-radios__input" id=id.clone() name=format!("filter-{name}") type="radio"
                        prop:checked=move || draft.with(|d| read(d) == checked_value)
                        on:change=move |_| { let value = value.clone(); draft.update(|d| write(d, value)); }/>
                    <label class="govuk-label govuk-radios__label" for=id>{label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="govuk-form-group">
            <fieldset class="govuk-fieldset">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend>
                <div class="govuk-radios govuk-radios--small" data-module="govuk-radios">{items}</div>
            </fieldset>
        </div>
    }
}

/// The team filter: any team, or one of the tenant's teams.
#[component]
fn TeamSelect(draft: RwSignal<QueueFilter>, directory: Directory) -> impl IntoView {
    let options = move || {
        let chosen = draft.with(|d| d.team_id);
        directory
            .teams
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|team| {
                view! { <option value=team.id.to_string() selected=chosen == Some(team.id)>{team.name}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="govuk-form-group">
            <label class="govuk-label govuk-label--m" for="filter-team">"Team"</label>
            <select class="govuk-select" id="filter-team" name="filter-team"
                prop:value=move || draft.with(|d| d.team_id.map(|t| t.to_string()).unwrap_or_default())
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    draft.update(|d| d.team_id = uuid::Uuid::parse_str(&value).ok());
                }>
                <option value="" selected=move || draft.with(|d| d.team_id.is_none())>"Any team"</option>
                {options}
            </select>
        </div>
    }
}

/// The query type filter: any type, a type (with its sub-types) or one sub-type.
#[component]
fn TypeSelect(draft: RwSignal<QueueFilter>, types: QueryTypes) -> impl IntoView {
    let options = move || {
        let chosen = draft.with(|d| d.types.first().copied());
        types
            .tree()
            .into_iter()
            .flat_map(|(parent, children)| {
                let parent_name = parent.name.clone();
                std::iter::once((parent.id, parent.name))
                    .chain(children.into_iter().map(move |child| (child.id, format!("{parent_name}: {}", child.name))))
            })
            .map(|(id, label)| view! { <option value=id.to_string() selected=chosen == Some(id)>{label}</option> })
            .collect_view()
    };
    view! {
        <div class="govuk-form-group">
            <label class="govuk-label govuk-label--m" for="filter-type">"Type"</label>
            <div class="govuk-hint" id="filter-type-hint">"A type includes its sub-types"</div>
            <select class="govuk-select" id="filter-type" name="filter-type" aria-describedby="filter-type-hint"
                prop:value=move || draft.with(|d| d.types.first().map(|t| t.to_string()).unwrap_or_default())
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    draft.update(|d| d.types = uuid::Uuid::parse_str(&value).ok().into_iter().collect());
                }>
                <option value="" selected=move || draft.with(|d| d.types.is_empty())>"Any type"</option>
                {options}
            </select>
        </div>
    }
}
