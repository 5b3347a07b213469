//! Find a customer by typing (`GET /api/v1/customers?q=`): an autocomplete that suggests as
//! you type, on "Log a query" (an existing customer), on changing a query's customer, and on
//! "Merge into another customer" (the survivor).
//!
//! It asks once typing pauses (a quarter of a second). Each keystroke runs the lookup again and
//! cancels the one before (`spawn_for_this_run`), so a slow reply to an earlier prefix never
//! replaces a newer one.

use crate::tasks::spawn_for_this_run;
use api_types::Customer;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::{self, Params};
use crate::autocomplete::{Autocomplete, MAX_SUGGESTIONS, Suggestion};
use crate::forms::FormErrors;
use crate::pages::customer_form::postcode_of;
use crate::session::Session;

/// How long typing must pause before the search is sent.
const PAUSE_MS: u32 = 250;
/// Fewer characters than this match too much to be worth a request.
const MIN_CHARS: usize = 2;

/// A customer as a suggestion: their name, told apart by email address and postcode.
fn suggestion(customer: &Customer) -> Suggestion {
    let hint =
        [customer.emails.first().cloned(), postcode_of(customer)].into_iter().flatten().collect::<Vec<_>>().join(", ");
    Suggestion {
        id: customer.id,
        label: customer.display_name.clone(),
        hint: Some(if hint.is_empty() { "No email address or postcode".to_owned() } else { hint }),
    }
}

/// `field` is the text box's id (an error filed under it links there). `exclude`: a customer
/// not to offer (the one being merged away).
#[component]
pub fn CustomerSearch(
    field: &'static str,
    legend: &'static str,
    chosen: RwSignal<Option<Customer>>,
    errors: Signal<FormErrors>,
    #[prop(default = None)] exclude: Option<Uuid>,
) -> impl IntoView {
    let session = Session::expect();
    let text = RwSignal::new(chosen.with_untracked(|c| c.as_ref().map(|c| c.display_name.clone())).unwrap_or_default());
    let found = RwSignal::new(Vec::<Customer>::new());
    let picked = RwSignal::new(chosen.with_untracked(|c| c.as_ref().map(suggestion)));
    Effect::new(move |_| {
        let typed = text.get().trim().to_owned();
        if picked.with_untracked(|p| p.as_ref().is_some_and(|p| p.label == typed)) {
            return;
        }
        if typed.chars().count() < MIN_CHARS {
            found.set(Vec::new());
            return;
        }
        spawn_for_this_run(async move {
            gloo_timers::future::TimeoutFuture::new(PAUSE_MS).await;
            match api::customers::list(&Params::limit(MAX_SUGGESTIONS as u32).with("q", &typed)).await {
                Ok(page) => found.set(page.items.into_iter().filter(|c| Some(c.id) != exclude).collect()),
                Err(problem) => session.notice(&problem),
            }
        });
    });
    // The pick, as the customer it names.
    Effect::new(move |_| {
        let id = picked.with(|p| p.as_ref().map(|p| p.id));
        let customer = id.and_then(|id| found.with_untracked(|f| f.iter().find(|c| c.id == id).cloned()));
        if id.is_none() || customer.is_some() {
            chosen.set(customer);
        }
    });
    let suggestions = Signal::derive(move || found.with(|f| f.iter().map(suggestion).collect()));
    view! {
        <Autocomplete id=field label=legend suggestions text chosen=picked errors label_class="govuk-label--s"
            hint="Start typing a name, email address, phone number or postcode, then choose from the list"/>
    }
}
