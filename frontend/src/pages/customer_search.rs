//! Find a customer (`GET /api/v1/customers?q=`) and pick one from radio results: on "Log a
//! query" (an existing customer) and on "Merge into another customer" (the survivor).
//!
//! It sits inside the page's form, so its button is `type="button"` and Enter in the search
//! box searches rather than submitting the whole form.

use api_types::{Customer, CustomerPage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api;
use crate::forms::{ErrorMessage, FormErrors, describe};
use crate::pages::customer_form::postcode_of;
use crate::session::Session;

const RESULTS: u32 = 20;

/// `field` names the search box (`{field}-q`) and the radios (the first has the id `field`, so
/// an error filed under `field` links to it). `exclude`: a customer not to offer (the one being
/// merged away).
#[component]
pub fn CustomerSearch(
    field: &'static str,
    legend: &'static str,
    chosen: RwSignal<Option<Customer>>,
    errors: Signal<FormErrors>,
    #[prop(default = None)] exclude: Option<Uuid>,
) -> impl IntoView {
    let session = Session::expect();
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Result<Vec<Customer>, String>>);
    let search = move || {
        let text = query.get_untracked().trim().to_owned();
        if text.is_empty() {
            results.set(Some(Err("Enter a name, email address or postcode to search for".to_owned())));
            return;
        }
        spawn_local(async move {
            let path = format!("/api/v1/customers?limit={RESULTS}&q={}", api::query_value(&text));
            let shown = match api::get::<CustomerPage>(&path).await {
                Ok(page) => Ok(page.items.into_iter().filter(|c| Some(c.id) != exclude).collect()),
                Err(problem) => {
                    session.notice(&problem);
                    Err(describe(&problem))
                }
            };
            results.set(Some(shown));
        });
    };
    let error = Memo::new(move |_| errors.with(|e| e.message(field)));
    let search_id = format!("{field}-q");
    let list = move || {
        results.get().map(|result| match result {
            Err(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
            Ok(found) if found.is_empty() => {
                view! { <p class="govuk-body" role="status">"No customers match your search."</p> }.into_any()
            }
            Ok(found) => {
                let count = found.len();
                let items = found
                    .into_iter()
                    .enumerate()
                    .map(|(index, customer)| {
                        let id = if index == 0 { field.to_owned() } else { format!("{field}-{}", index + 1) };
                        let hint_id = format!("{id}-hint");
                        let hint = [customer.emails.first().cloned(), postcode_of(&customer)]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", ");
                        let customer_id = customer.id;
                        let name = customer.display_name.clone();
                        view! {
                            <div class="govuk-radios__item">
                                <input class="govuk-radios__input" id=id.clone() name=field type="radio"
                                    value=customer_id.to_string() aria-describedby=hint_id.clone()
                                    prop:checked=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == customer_id))
                                    on:change=move |_| chosen.set(Some(customer.clone()))/>
                                <label class="govuk-label govuk-radios__label app-wrap-anywhere" for=id>{name}</label>
                                <div class="govuk-hint govuk-radios__hint app-wrap-anywhere" id=hint_id>
                                    {if hint.is_empty() { "No email address or postcode".to_owned() } else { hint }}
                                </div>
                            </div>
                        }
                    })
                    .collect_view();
                let summary = if count == 1 { "1 customer found".to_owned() } else { format!("{count} customers found") };
                view! {
                    <p class="govuk-body" role="status">{summary}</p>
                    <div class="govuk-radios" data-module="govuk-radios">{items}</div>
                }
                .into_any()
            }
        })
    };
    view! {
        <div class=move || if error.with(Option::is_some) { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" }>
            <fieldset class="govuk-fieldset" aria-describedby=move || error.with(Option::is_some).then(|| format!("{field}-error"))>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
                {move || error.get().map(|message| view! { <ErrorMessage id=format!("{field}-error") message/> })}
                <div class="govuk-form-group">
                    <label class="govuk-label" for=search_id.clone()>"Name, email address or postcode"</label>
                    <input class="govuk-input govuk-!-width-two-thirds" id=search_id.clone() name=search_id type="search"
                        spellcheck="false" autocomplete="off"
                        prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" {
                            ev.prevent_default();
                            search();
                        }/>
                    " "
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                        data-module="govuk-button" on:click=move |_| search()>"Search"</button>
                </div>
                {list}
            </fieldset>
        </div>
    }
}
