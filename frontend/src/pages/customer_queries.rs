//! The customer page's "Queries" section: every query from this customer, open and closed
//! (FR-003), newest first, with a way to log another.

use crate::tasks::spawn;
use api_types::{Query, QueryPage};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::{self, Params};
use crate::forms::describe;
use crate::pages::queries::words::{StatusBadge, channel_name};
use crate::session::Session;
use crate::table::{Column, Table, column};
use crate::time;

/// The API's largest page: a customer rarely has more, and the loop below follows the cursor
/// to the end if they do.
const PAGE_SIZE: u32 = 200;

const CUSTOMER_QUERIES_COLUMNS: &[Column] =
    &[column("Reference"), column("Subject"), column("Channel"), column("Status"), column("Received")];

/// `first` is the page that came with the customer (`GET /customers/{id}/overview`); any
/// further pages are fetched here.
#[component]
pub fn CustomerQueries(customer_id: Uuid, first: QueryPage, can_log: bool) -> impl IntoView {
    let session = Session::expect();
    let queries = RwSignal::new(None::<Result<Vec<Query>, String>>);
    spawn(async move {
        let mut all = first.items;
        let mut cursor = first.next_cursor;
        while let Some(after) = cursor.take() {
            let params = Params::limit(PAGE_SIZE).with("customer_id", customer_id).after(Some(&after));
            match api::queries::list(&params).await {
                Ok(page) => {
                    all.extend(page.items);
                    cursor = page.next_cursor;
                }
                Err(problem) => {
                    session.notice(&problem);
                    queries.set(Some(Err(describe(&problem))));
                    return;
                }
            }
        }
        // The API lists oldest first; on a customer's page the latest matters most.
        all.reverse();
        queries.set(Some(Ok(all)));
    });

    let body = move || match queries.get() {
        None => view! { <p class="govuk-body">"Loading queries…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="govuk-body">"There are no queries from this customer yet."</p> }.into_any()
        }
        Some(Ok(list)) => {
            let rows = list.into_iter().map(|query| view! { <Row query/> }).collect_view();
            view! {
                <Table id="customer-queries" caption="Queries from this customer, newest first" columns=CUSTOMER_QUERIES_COLUMNS>
                    {rows}
                </Table>
            }
            .into_any()
        }
    };
    view! {
        <h2 class="govuk-heading-m" id="queries-heading">"Queries"</h2>
        {can_log.then(|| view! {
            <a href=format!("/queries/new?customer_id={customer_id}") role="button" draggable="false"
                class="govuk-button govuk-button--secondary" data-module="govuk-button">
                "Log a query for this customer"
            </a>
        })}
        {body}
    }
}

#[component]
fn Row(query: Query) -> impl IntoView {
    let (received, iso) = time::date(&query.received_at);
    view! {
        <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header app-nowrap">
                <a class="govuk-link" href=format!("/queries/{}", query.id)>{query.reference}</a>
            </th>
            <td class="govuk-table__cell app-wrap-anywhere">{query.subject}</td>
            <td class="govuk-table__cell">{channel_name(query.channel)}</td>
            <td class="govuk-table__cell"><StatusBadge status=query.status/></td>
            <td class="govuk-table__cell app-nowrap"><time datetime=iso>{received}</time></td>
        </tr>
    }
}
