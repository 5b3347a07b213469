//! `/admin/query-types`: the query-type taxonomy — types, each with its sub-types — with a
//! form to add a type or sub-type, and per type a way to rename it and to retire or restore
//! it (retired types stay on old queries but cannot be chosen). Changes use `If-Match`.

use crate::tasks::spawn;
use api_types::{CreateQueryTypeRequest, QueryType, UpdateQueryTypeRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::dom;
use crate::forms::{
    BANNER_ID, ErrorSummary, FormErrors, Select, SuccessBanner, TextInput, focus_error_summary, write_errors,
};
use crate::pages::admin::can_administer;
use crate::pages::problem::NoAccess;
use crate::pages::queries::types::QueryTypes;
use crate::session::Session;

#[component]
pub fn QueryTypesAdmin() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Query types", errors.with(|e| !e.is_empty())));
    if !can_administer(session) {
        return view! { <NoAccess/> }.into_any();
    }
    let types = QueryTypes::load(session);
    let flash = RwSignal::new(None::<String>);
    // One type is being renamed at a time, in place.
    let renaming = RwSignal::new(None::<Uuid>);
    let saved = Callback::new(move |message: String| {
        errors.set(FormErrors::default());
        renaming.set(None);
        flash.set(Some(message));
        dom::focus_soon(BANNER_ID);
        types.reload(session);
    });
    let failed = Callback::new(move |problem: api_types::Problem| {
        session.notice(&problem);
        errors.set(write_errors(&problem, &["name", "parent_id", "rename"], "query type"));
        focus_error_summary();
    });
    let list = move || {
        let tree = types.tree();
        if tree.is_empty() {
            return view! { <p class="govuk-body">"There are no query types yet."</p> }.into_any();
        }
        let items = tree
            .into_iter()
            .map(|(parent, children)| {
                let kids = children
                    .into_iter()
                    .map(|child| view! { <li class="app-indent"><TypeRow t=child renaming saved failed/></li> })
                    .collect_view();
                view! {
                    <li><TypeRow t=parent renaming saved failed/></li>
                    {kids}
                }
            })
            .collect_view();
        view! { <ul class="govuk-list" id="query-types">{items}</ul> }.into_any()
    };
    view! {
        {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
        <ErrorSummary errors=errors.into()/>
        <h1 class="govuk-heading-l">"Query types"</h1>
        <p class="govuk-body">"Types and their sub-types, used to say what a query is about."</p>
        {list}
        <AddType types errors saved failed/>
    }
    .into_any()
}

/// One type: its name (with "Retired" if so), "Rename" and "Retire" or "Restore".
#[component]
fn TypeRow(
    t: QueryType,
    renaming: RwSignal<Option<Uuid>>,
    saved: Callback<String>,
    failed: Callback<api_types::Problem>,
) -> impl IntoView {
    let (id, version, active) = (t.id, t.version, t.active);
    let name = RwSignal::new(t.name.clone());
    let put = move |request: UpdateQueryTypeRequest, message: String| {
        spawn(async move {
            match api::queries::update_type(id, version, &request).await {
                Ok(_) => saved.run(message),
                Err(problem) => failed.run(problem),
            }
        });
    };
    let original = t.name.clone();
    let toggle = {
        let original = original.clone();
        move |_| {
            let verb = if active { "retired" } else { "restored" };
            let request = UpdateQueryTypeRequest { name: original.clone(), active: !active };
            put(request, format!("{original} has been {verb}"));
        }
    };
    let rename = move |ev: SubmitEvent| {
        ev.prevent_default();
        let new_name = name.get_untracked().trim().to_owned();
        put(UpdateQueryTypeRequest { name: new_name.clone(), active }, format!("Renamed to {new_name}"));
    };
    let no_errors = Signal::derive(FormErrors::default);
    let label = original.clone();
    view! {
        <div class="app-type-row">
            <span class="govuk-body govuk-!-font-weight-bold app-wrap-anywhere">{t.name.clone()}</span>
            {(!active).then(|| view! { " " <strong class="govuk-tag govuk-tag--grey">"Retired"</strong> })}
            " "
            <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" data-module="govuk-button"
                aria-expanded=move || (renaming.get() == Some(id)).to_string()
                on:click=move |_| renaming.update(|r| *r = if *r == Some(id) { None } else { Some(id) })>
                "Rename"<span class="govuk-visually-hidden">" "{label.clone()}</span>
            </button>
            " "
            <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" data-module="govuk-button"
                on:click=toggle>
                {if active { "Retire" } else { "Restore" }}<span class="govuk-visually-hidden">" "{label}</span>
            </button>
            {move || (renaming.get() == Some(id)).then(|| view! {
                <form method="post" novalidate=true on:submit=rename class="govuk-!-margin-bottom-4">
                    <TextInput id="rename" label="New name" value=name errors=no_errors class="govuk-!-width-two-thirds"/>
                    <button type="submit" class="govuk-button" data-module="govuk-button">"Save name"</button>
                </form>
            })}
        </div>
    }
}

/// "Add a type or sub-type": a name and, for a sub-type, the type it belongs to.
#[component]
fn AddType(
    types: QueryTypes,
    errors: RwSignal<FormErrors>,
    saved: Callback<String>,
    failed: Callback<api_types::Problem>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let parents = Signal::derive(move || {
        std::iter::once((String::new(), "None: a new type".to_owned()))
            .chain(types.tree().into_iter().filter(|(p, _)| p.active).map(|(p, _)| (p.id.to_string(), p.name)))
            .collect()
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = CreateQueryTypeRequest {
            name: name.get_untracked().trim().to_owned(),
            parent_id: Uuid::parse_str(&parent.get_untracked()).ok(),
        };
        if request.name.is_empty() {
            errors.set(FormErrors::field("name", "Enter the name of the type"));
            focus_error_summary();
            return;
        }
        spawn(async move {
            match api::queries::create_type(&request).await {
                Ok(added) => {
                    name.set(String::new());
                    saved.run(format!("{} has been added", added.name));
                }
                Err(problem) => failed.run(problem),
            }
        });
    };
    let errors = Signal::from(errors);
    view! {
        <form method="post" novalidate=true on:submit=submit>
            <h2 class="govuk-heading-m">"Add a type or sub-type"</h2>
            <TextInput id="name" label="Name" value=name errors class="govuk-!-width-two-thirds"/>
            <Select id="parent_id" label="Sub-type of (optional)" value=parent options=parents errors
                hint="Leave as ‘None’ for a top-level type"/>
            <button type="submit" class="govuk-button" data-module="govuk-button">"Add type"</button>
        </form>
    }
}
