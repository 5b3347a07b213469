//! `/customers/:id`: one customer's details, their queries and their timeline (the single
//! customer view, FR-013).

use crate::tasks::spawn;
use api_types::ProblemCode;
use api_types::{Customer, CustomerOverview, PermissionArea, PermissionLevel, Problem};
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map},
};

use crate::api;
use crate::dom;
use crate::forms::{BANNER_ID, SuccessBanner};
use crate::pages::customer_queries::CustomerQueries;
use crate::pages::customer_timeline::CustomerTimeline;
use crate::pages::documents::{DocumentOwner, DocumentsPanel};
use crate::pages::not_found::NotFound;
use crate::pages::problem::{NoAccess, ServiceProblem};
use crate::pages::queries::words::Statuses;
use crate::session::Session;
use uuid::Uuid;

/// The customer, once loaded, or why they could not be.
pub type Loaded = Option<Result<Customer, Problem>>;

/// Loads the customer named by the `:id` in the address into a signal.
pub fn load_customer(session: Session) -> RwSignal<Loaded> {
    load_by_id(session, |id| async move { api::customers::get(id).await }, |customer: &Customer| customer.id)
}

/// Loads what `fetch` finds for the customer `:id` in the address. A customer merged into
/// another answers with the survivor (the API redirects, and fetch follows): the address is
/// then replaced with the survivor's, so an old link "lands on" the record that lives on.
fn load_by_id<T, Found>(
    session: Session,
    fetch: fn(String) -> Found,
    id_of: fn(&T) -> Uuid,
) -> RwSignal<Option<Result<T, Problem>>>
where
    T: Send + Sync + 'static,
    Found: Future<Output = Result<T, Problem>> + 'static,
{
    let loaded = RwSignal::new(None);
    let id = use_params_map().with_untracked(|params| params.get("id").unwrap_or_default());
    let navigate = use_navigate();
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    spawn(async move {
        let result = fetch(id.clone()).await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        if let Ok(found) = &result
            && id_of(found).to_string() != id.to_lowercase()
        {
            let survivor = path.replacen(&id, &id_of(found).to_string(), 1);
            navigate(&survivor, NavigateOptions { replace: true, ..Default::default() });
        }
        loaded.set(Some(result));
    });
    loaded
}

/// The page to show when a customer could not be loaded.
pub fn load_failure(problem: Problem) -> AnyView {
    match problem.code {
        ProblemCode::NotFound => view! { <NotFound/> }.into_any(),
        ProblemCode::Forbidden => view! { <NoAccess/> }.into_any(),
        _ => view! { <ServiceProblem problem/> }.into_any(),
    }
}

#[component]
pub fn CustomerDetails() -> impl IntoView {
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Customers));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let flash = session.take_flash();
    // One request for the whole page: details, the first queries and the timeline.
    let loaded = load_by_id(
        session,
        |id| async move {
            let found = api::customers::overview(id).await;
            if let Ok(overview) = &found {
                // For Home's "Recently viewed"; the page does not wait for it.
                let id = overview.customer.id;
                spawn(async move { api::views::visited_customer(id).await.unwrap_or_default() });
            }
            found
        },
        |overview: &CustomerOverview| overview.customer.id,
    );
    let can_change = level >= PermissionLevel::ReadWrite;
    let can_merge = level >= PermissionLevel::Full;
    let queries_level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Queries));
    // Status names in the timeline; only those who may see queries may ask for them.
    let statuses = (queries_level >= PermissionLevel::Read).then(|| Statuses::load(session));
    let can_log_queries = queries_level >= PermissionLevel::ReadWrite;
    let documents_level =
        session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Documents));
    let page = move || match loaded.get() {
        None => {
            dom::set_title("Customer", false);
            view! { <p class="govuk-body">"Loading…"</p> }.into_any()
        }
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(CustomerOverview { customer, queries, timeline })) => {
            dom::set_title(&customer.display_name, false);
            let flash = flash.clone();
            // The banner focused by `take_flash` only exists now the customer has loaded.
            if flash.is_some() {
                dom::focus_soon(BANNER_ID);
            }
            view! {
                {flash.map(|message| view! { <SuccessBanner message/> })}
                <div class="govuk-grid-row">
                    <div class="govuk-grid-column-two-thirds">
                        <span class="govuk-caption-l">"Customer"</span>
                        <h1 class="govuk-heading-l app-wrap-anywhere">{customer.display_name.clone()}</h1>
                        <Summary customer=customer.clone() can_change/>
                        <ul class="govuk-list" id="customer-actions" aria-label="Customer actions">
                            <li><a class="govuk-link" href=format!("/customers/{}/history", customer.id)>"History of changes"</a></li>
                            <li><a class="govuk-link" href=format!("/customers/{}/share", customer.id)>"Share with a colleague"</a></li>
                            {can_merge.then(|| view! {
                                <li><a class="govuk-link" href=format!("/customers/{}/merge", customer.id)>"Merge into another customer"</a></li>
                            })}
                        </ul>
                        {queries.filter(|_| statuses.is_some()).map(|first| view! {
                            <CustomerQueries customer_id=customer.id first can_log=can_log_queries/>
                        })}
                        {(documents_level >= PermissionLevel::Read).then(|| view! {
                            <DocumentsPanel owner=DocumentOwner::Customer(customer.id)
                                can_upload={documents_level >= PermissionLevel::ReadWrite}
                                can_delete={documents_level >= PermissionLevel::Full}/>
                        })}
                        <CustomerTimeline timeline statuses=statuses.unwrap_or_else(Statuses::empty)/>
                        <p class="govuk-body"><a class="govuk-link" href="/customers">"Back to customers"</a></p>
                    </div>
                </div>
            }
            .into_any()
        }
    };
    page.into_any()
}

/// The customer's details as a GOV.UK summary card, with "Change" for those who may.
#[component]
fn Summary(customer: Customer, can_change: bool) -> impl IntoView {
    let address = customer.address.clone().unwrap_or_default();
    let address_lines: Vec<String> =
        address.lines.iter().cloned().chain(address.town.clone()).chain(address.postcode.clone()).collect();
    let rows = [
        ("Name", vec![customer.display_name.clone()]),
        ("Email address", customer.emails.clone()),
        ("Phone number", customer.phones_display.clone()),
        ("Address", address_lines),
        ("Contact needs", customer.contact_needs.clone().into_iter().collect()),
    ];
    let rows = rows
        .into_iter()
        .map(|(key, values)| {
            let value = if values.is_empty() {
                view! { <span class="govuk-hint govuk-!-margin-bottom-0">"Not given"</span> }.into_any()
            } else {
                let lines = values.into_iter().map(|v| view! { <span class="app-summary-line">{v}</span> });
                lines.collect_view().into_any()
            };
            view! {
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{key}</dt>
                    <dd class="govuk-summary-list__value app-wrap-anywhere">{value}</dd>
                </div>
            }
        })
        .collect_view();
    let edit_href = format!("/customers/{}/edit", customer.id);
    view! {
        <div class="govuk-summary-card">
            <div class="govuk-summary-card__title-wrapper">
                <h2 class="govuk-summary-card__title">"Details"</h2>
                {can_change.then(|| view! {
                    <ul class="govuk-summary-card__actions">
                        <li class="govuk-summary-card__action">
                            <a class="govuk-link" href=edit_href>
                                "Change"<span class="govuk-visually-hidden">" details"</span>
                            </a>
                        </li>
                    </ul>
                })}
            </div>
            <div class="govuk-summary-card__content">
                <dl class="govuk-summary-list">{rows}</dl>
            </div>
        </div>
    }
}
