//! `/search?q=…`: what the header's search box finds. A query reference (`Q-001234`, `q1234`,
//! `1234` after a `Q`) opens that query straight away; anything else lists the matching queries
//! and customers, each list linking on to its full page, and documents whose text holds the
//! words (letters found by a phrase in them).

use api_types::{PermissionArea, PermissionLevel, Query, queries::reference_number};
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};

use crate::api::{self, Params};
use crate::dom;
use crate::forms::describe;
use crate::pages::customer_form::postcode_of;
use crate::pages::documents::FoundInDocuments;
use crate::pages::queries::words::StatusBadge;
use crate::session::Session;
use crate::tasks::{spawn, spawn_for_this_run};

/// How many of each kind the page lists before "see all".
const SHOWN: u32 = 10;

fn number_of(query: &Query) -> Option<u64> {
    reference_number(&query.reference)
}

#[derive(Clone, Debug)]
enum Found<T> {
    Loading,
    Failed(String),
    Items(Vec<T>),
}

#[component]
pub fn SearchResults() -> impl IntoView {
    let session = Session::expect();
    let me = session.me_untracked();
    let can = |area| me.as_ref().is_some_and(|me| me.level(area) >= PermissionLevel::Read);
    let (sees_queries, sees_customers) = (can(PermissionArea::Queries), can(PermissionArea::Customers));
    let sees_documents = can(PermissionArea::Documents) && (sees_queries || sees_customers);
    let params = use_query_map();
    let text = Memo::new(move |_| params.with(|p| p.get("q").unwrap_or_default().trim().to_owned()));
    let queries = RwSignal::new(Found::<Query>::Loading);
    let customers = RwSignal::new(Found::<api_types::Customer>::Loading);
    let navigate = use_navigate();
    Effect::new(move |_| dom::set_title(&format!("Search results for ‘{}’", text.get()), false));

    Effect::new(move |_| {
        let q = text.get();
        queries.set(Found::Loading);
        customers.set(Found::Loading);
        if q.is_empty() {
            queries.set(Found::Items(Vec::new()));
            customers.set(Found::Items(Vec::new()));
            return;
        }
        let navigate = navigate.clone();
        if sees_queries {
            let q = q.clone();
            spawn_for_this_run(async move {
                match api::queries::list(&Params::limit(SHOWN).with("q", &q)).await {
                    Ok(page) => {
                        // A reference opens its query: the search box is also "go to query".
                        let wanted = reference_number(&q);
                        if let Some(query) =
                            page.items.iter().find(|item| wanted.is_some() && number_of(item) == wanted)
                        {
                            navigate(
                                &format!("/queries/{}", query.id),
                                NavigateOptions { replace: true, ..Default::default() },
                            );
                            return;
                        }
                        queries.set(Found::Items(page.items));
                    }
                    Err(problem) => {
                        session.notice(&problem);
                        queries.set(Found::Failed(describe(&problem)));
                    }
                }
            });
        }
        if sees_customers {
            spawn(async move {
                match api::customers::list(&Params::limit(SHOWN).with("q", &q)).await {
                    Ok(page) => customers.set(Found::Items(page.items)),
                    Err(problem) => {
                        session.notice(&problem);
                        customers.set(Found::Failed(describe(&problem)));
                    }
                }
            });
        }
    });

    let query_list = move || match queries.get() {
        Found::Loading => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Found::Failed(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
        Found::Items(items) if items.is_empty() => {
            view! { <p class="govuk-body" id="query-results">"No queries match."</p> }.into_any()
        }
        Found::Items(items) => {
            let rows = items
                .into_iter()
                .map(|query| {
                    let status = query.status.clone();
                    view! {
                        <li>
                            <a class="govuk-link" href=format!("/queries/{}", query.id) data-row-link="">{query.reference.clone()}</a>
                            " "{query.subject.clone()}" "
                            <StatusBadge status/>
                            {query.customer_name.clone().map(|name| view! { <span class="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{name}</span> })}
                        </li>
                    }
                })
                .collect_view();
            let all = format!("/queries?q={}", dom::url_encode(&text.get_untracked()));
            view! {
                <ul class="govuk-list govuk-list--spaced" id="query-results">{rows}</ul>
                <p class="govuk-body"><a class="govuk-link" href=all>"See every matching query in the work queue"</a></p>
            }
            .into_any()
        }
    };
    let customer_list = move || match customers.get() {
        Found::Loading => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Found::Failed(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
        Found::Items(items) if items.is_empty() => {
            view! { <p class="govuk-body" id="customer-results">"No customers match."</p> }.into_any()
        }
        Found::Items(items) => {
            let rows = items
                .into_iter()
                .map(|customer| {
                    let detail = [customer.emails.first().cloned(), postcode_of(&customer)]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <li>
                            <a class="govuk-link" href=format!("/customers/{}", customer.id) data-row-link="">{customer.display_name.clone()}</a>
                            {(!detail.is_empty()).then(|| view! { <span class="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{detail}</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="govuk-list govuk-list--spaced" id="customer-results">{rows}</ul> }.into_any()
        }
    };
    view! {
        <h1 class="govuk-heading-l">"Search results for ‘"{move || text.get()}"’"</h1>
        <div class="govuk-grid-row">
            {sees_queries.then(|| view! {
                <section class="govuk-grid-column-one-half" aria-labelledby="queries-found">
                    <h2 class="govuk-heading-m" id="queries-found">"Queries"</h2>
                    {query_list}
                </section>
            })}
            {sees_customers.then(|| view! {
                <section class="govuk-grid-column-one-half" aria-labelledby="customers-found">
                    <h2 class="govuk-heading-m" id="customers-found">"Customers"</h2>
                    {customer_list}
                </section>
            })}
        </div>
        {sees_documents.then(|| view! {
            <section aria-labelledby="documents-found">
                <h2 class="govuk-heading-m" id="documents-found">"In documents"</h2>
                <FoundInDocuments text/>
            </section>
        })}
    }
}
