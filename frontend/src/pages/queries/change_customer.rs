//! The "Customer" part of "Change details": keep the query's customer, move it to another
//! customer found by searching (a query logged against the wrong record), or make it anonymous.

use crate::tasks::spawn;
use api_types::Customer;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::forms::{FormErrors, RadioOption, Radios};
use crate::pages::customer_search::CustomerSearch;

/// The radios' name, and the field an error about the choice is filed under.
pub const FIELD: &str = "customer_choice";
/// The search's radios (and its error).
pub const OTHER: &str = "other_customer";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Keep,
    Other,
    Nobody,
}

/// What the officer chose, read when the form is saved.
#[derive(Clone, Copy, Debug)]
pub struct CustomerChange {
    current: Option<Uuid>,
    choice: RwSignal<Option<Choice>>,
    other: RwSignal<Option<Customer>>,
}

impl CustomerChange {
    pub fn new(current: Option<Uuid>) -> Self {
        let choice = if current.is_some() { Choice::Keep } else { Choice::Nobody };
        Self { current, choice: RwSignal::new(Some(choice)), other: RwSignal::new(None) }
    }

    /// The customer to save, or the error to show (another customer chosen but none picked).
    pub fn customer_id(self) -> Result<Option<Uuid>, FormErrors> {
        match self.choice.get_untracked() {
            Some(Choice::Keep) | None => Ok(self.current),
            Some(Choice::Nobody) => Ok(None),
            Some(Choice::Other) => match self.other.get_untracked() {
                Some(customer) => Ok(Some(customer.id)),
                None => Err(FormErrors::field(OTHER, "Search for the customer and select them")),
            },
        }
    }
}

#[component]
pub fn CustomerChangeInputs(change: CustomerChange, errors: Signal<FormErrors>) -> impl IntoView {
    // The current customer's name, for the "keep" option.
    let name = RwSignal::new(None::<String>);
    if let Some(id) = change.current {
        spawn(async move {
            let found = api::customers::get(id).await;
            name.set(Some(found.map_or_else(|_| "The current customer".to_owned(), |c| c.display_name)));
        });
    }
    let options = move || {
        let mut options = Vec::new();
        if change.current.is_some() {
            let label = name.get().unwrap_or_else(|| "The current customer".to_owned());
            options.push(RadioOption { value: Choice::Keep, label, hint: Some("No change".to_owned()) });
        }
        options.push(RadioOption { value: Choice::Other, label: "Another customer".to_owned(), hint: None });
        options.push(RadioOption {
            value: Choice::Nobody,
            label: "Nobody (anonymous)".to_owned(),
            hint: Some("The query will no longer be on any customer’s page".to_owned()),
        });
        view! { <Radios name=FIELD legend="Customer" options value=change.choice errors/> }
    };
    view! {
        {options}
        {move || (change.choice.get() == Some(Choice::Other)).then(|| view! {
            <div class="govuk-inset-text">
                <CustomerSearch field=OTHER legend="Find the customer" chosen=change.other errors exclude=change.current/>
            </div>
        })}
    }
}
