//! `/customers` (optionally `?q=`): the tenant's customers, a page at a time, or those matching a
//! search by name, email address, phone number or postcode. The search is in the address, so
//! Back and a shared link show the same results.

use api_types::ProblemCode;
use api_types::{Customer, PermissionArea, PermissionLevel};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, Params};
use crate::dom;
use crate::forms::{SuccessBanner, describe};
use crate::paged_list::{LoadMore, use_paged_list};
use crate::pages::customer_form::postcode_of;
use crate::pages::problem::NoAccess;
use crate::session::Session;
use crate::table::{Column, Table, column};

const PAGE_SIZE: u32 = 50;

const CUSTOMERS_COLUMNS: &[Column] =
    &[column("Name"), column("Email address"), column("Phone number"), column("Postcode")];

#[component]
pub fn Customers() -> impl IntoView {
    Effect::new(|_| dom::set_title("Customers", false));
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Customers));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let flash = session.take_flash();

    let searched = use_query_map();
    let searched_for =
        Memo::new(move |_| searched.with(|p| p.get("q")).map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()));
    let typed = RwSignal::new(searched_for.get_untracked().unwrap_or_default());
    let fetch = move |params: Params| {
        let params = match searched_for.get_untracked() {
            Some(q) => params.with("q", q),
            None => params,
        };
        async move { api::customers::list(&params).await }
    };
    let customers = use_paged_list(session, PAGE_SIZE, fetch, row_id);
    // A new search starts the list again.
    Effect::new(move |_| {
        typed.set(searched_for.get().unwrap_or_default());
        customers.restart();
    });
    let navigate = use_navigate();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked().trim().to_owned();
        let href =
            if text.is_empty() { "/customers".to_owned() } else { format!("/customers?q={}", dom::url_encode(&text)) };
        navigate(&href, NavigateOptions::default());
    };

    let can_add = level >= PermissionLevel::ReadWrite;
    let body = move || {
        if let Some(problem) = customers.failure.get() {
            return if problem.code == ProblemCode::Forbidden {
                view! { <NoAccess/> }.into_any()
            } else {
                view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any()
            };
        }
        if !customers.loaded.get() {
            return view! { <p class="govuk-body">"Loading…"</p> }.into_any();
        }
        if customers.items.with(Vec::is_empty) {
            let none = if searched_for.with(Option::is_some) {
                "No customers match your search."
            } else {
                "There are no customers yet."
            };
            return view! { <p class="govuk-body" id="no-customers">{none}</p> }.into_any();
        }
        view! {
            <CustomerTable customers=customers.items.into()/>
            <LoadMore list=customers/>
        }
        .into_any()
    };

    view! {
        {flash.map(|message| view! { <SuccessBanner message/> })}
        <h1 class="govuk-heading-l">"Customers"</h1>
        {can_add.then(|| view! {
            <a href="/customers/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">
                "Add a customer"
            </a>
        })}
        <form class="app-inline-form govuk-!-margin-bottom-6" role="search" action="/customers" method="get" on:submit=search>
            <div class="govuk-form-group">
                <label class="govuk-label govuk-label--s" for="customer-search">"Search customers"</label>
                <div class="govuk-hint" id="customer-search-hint">"Name, email address, phone number or postcode"</div>
                <input class="govuk-input govuk-!-width-one-half" id="customer-search" name="q" type="search"
                    spellcheck="false" autocomplete="off" aria-describedby="customer-search-hint"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
                "Search"<span class="govuk-visually-hidden">" customers"</span>
            </button>
        </form>
        {move || searched_for.get().map(|_| view! {
            <p class="govuk-body"><a class="govuk-link" href="/customers">"Show all customers"</a></p>
        })}
        {body}
    }
    .into_any()
}

#[component]
fn CustomerTable(customers: Signal<Vec<Customer>>) -> impl IntoView {
    view! {
        // At 320px the table may be wider than the screen: it scrolls on its own (WCAG 1.4.10
        // allows that for data tables) and the region can be scrolled from the keyboard.
        <Table id="customers" caption="Customers" columns=CUSTOMERS_COLUMNS>
            <For each=move || customers.get() key=|customer| customer.id let:customer>
                    <CustomerRow customer/>
                </For>
        </Table>
        <p class="govuk-body" aria-live="polite">
            {move || match customers.with(Vec::len) {
                1 => "Showing 1 customer".to_owned(),
                n => format!("Showing {n} customers"),
            }}
        </p>
    }
}

#[component]
fn CustomerRow(customer: Customer) -> impl IntoView {
    let id = row_id(&customer);
    let postcode = postcode_of(&customer).unwrap_or_default();
    view! {
        <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header" id=id tabindex="-1">
                <a class="govuk-link app-wrap-anywhere" href=format!("/customers/{}", customer.id) data-row-link="">{customer.display_name}</a>
            </th>
            <td class="govuk-table__cell app-wrap-anywhere">{customer.emails.first().cloned().unwrap_or_default()}</td>
            <td class="govuk-table__cell app-nowrap">{customer.phones_display.first().cloned().unwrap_or_default()}</td>
            <td class="govuk-table__cell app-nowrap">{postcode}</td>
        </tr>
    }
}

fn row_id(customer: &Customer) -> String {
    format!("customer-{}", customer.id)
}
