//! Who a query is from, on "Log a query": the customer the officer came from, an existing
//! customer found by searching, a new customer typed in here, or nobody (anonymous). For a new customer, likely duplicates are shown first,
//! with a choice between one of them and a new record anyway.

use api_types::{Address, Customer, CustomerInput, DuplicateMatch};
use leptos::prelude::*;
use uuid::Uuid;

use crate::forms::{ErrorMessage, FormErrors, FormGroup, TextInput};
use crate::pages::customer_form::{postcode_of, reason_text};
use crate::pages::customer_search::CustomerSearch;

/// The API's field names for these inputs, in page order (`customer` and `duplicate_choice`
/// are the SPA's own, for "choose one" errors).
pub const FIELDS: [&str; 9] = [
    "customer",
    EXISTING,
    "given_name",
    "family_name",
    "emails[0]",
    "phones[0]",
    "address.postcode",
    "duplicate_choice",
    "customer_id",
];

pub const WARNING_ID: &str = "duplicate-warning";
/// The existing-customer search's radios (and its error).
pub const EXISTING: &str = "existing_customer";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// The customer named in the address (`?customer_id=`), or one created by this form.
    Known,
    /// A customer found with the search on the form.
    Existing,
    New,
    Anonymous,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateChoice {
    Existing(Uuid),
    CreateAnyway,
}

/// What the customer part of the form holds.
#[derive(Clone, Copy, Debug)]
pub struct CustomerChoice {
    pub who: RwSignal<Option<Who>>,
    /// The customer behind [`Who::Known`], once loaded.
    pub known: RwSignal<Option<Customer>>,
    /// The customer picked from the search, for [`Who::Existing`].
    pub existing: RwSignal<Option<Customer>>,
    given_name: RwSignal<String>,
    family_name: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
    postcode: RwSignal<String>,
    /// Likely duplicates of `checked`, the new customer as it was when checked.
    pub duplicates: RwSignal<Vec<DuplicateMatch>>,
    pub checked: RwSignal<Option<CustomerInput>>,
    pub duplicate_choice: RwSignal<Option<DuplicateChoice>>,
}

impl CustomerChoice {
    pub fn new(preselected: bool) -> Self {
        Self {
            who: RwSignal::new(preselected.then_some(Who::Known)),
            known: RwSignal::new(None),
            existing: RwSignal::new(None),
            given_name: RwSignal::new(String::new()),
            family_name: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            postcode: RwSignal::new(String::new()),
            duplicates: RwSignal::new(Vec::new()),
            checked: RwSignal::new(None),
            duplicate_choice: RwSignal::new(None),
        }
    }

    /// The new customer as typed.
    pub fn input(self) -> CustomerInput {
        let text = |signal: RwSignal<String>| signal.get_untracked().trim().to_owned();
        let optional = |signal: RwSignal<String>| Some(text(signal)).filter(|value| !value.is_empty());
        CustomerInput {
            given_name: text(self.given_name),
            family_name: text(self.family_name),
            emails: optional(self.email).into_iter().collect(),
            phones: optional(self.phone).into_iter().collect(),
            address: optional(self.postcode).map(|postcode| Address { postcode: Some(postcode), ..Address::default() }),
            ..CustomerInput::default()
        }
    }

    /// Whether the duplicates on screen are for the customer as now typed: if the officer has
    /// changed the details since, they are checked again.
    pub fn duplicates_current(self) -> bool {
        !self.duplicates.with_untracked(Vec::is_empty) && self.checked.get_untracked() == Some(self.input())
    }

    /// Whether the duplicate warning is on screen (reactive).
    pub fn duplicates_shown(self) -> bool {
        self.who.get() == Some(Who::New) && !self.duplicates.with(Vec::is_empty)
    }

    /// Problems a person can fix before anything is sent.
    pub fn check(self) -> Vec<(&'static str, String)> {
        match self.who.get_untracked() {
            None => vec![("customer", "Select who the query is from".to_owned())],
            Some(Who::Existing) if self.existing.with_untracked(Option::is_none) => {
                vec![(EXISTING, "Search for the customer and select them".to_owned())]
            }
            Some(Who::New) if self.duplicates_current() && self.duplicate_choice.get_untracked().is_none() => {
                vec![("duplicate_choice", "Select one of these customers, or create a new customer anyway".to_owned())]
            }
            _ => Vec::new(),
        }
    }

    /// The new customer now exists (or was chosen from the duplicates): from here on the form
    /// is about them, so a retry does not create them again.
    pub fn settle(self, customer: Customer) {
        self.known.set(Some(customer));
        self.who.set(Some(Who::Known));
        self.duplicates.set(Vec::new());
        self.checked.set(None);
        self.duplicate_choice.set(None);
    }
}

/// The "Who is the query from?" radios, with the new customer's details revealed under their
/// option (the GOV.UK conditional reveal, done here since GOV.UK's JavaScript is not loaded).
#[component]
pub fn CustomerInputs(choice: CustomerChoice, errors: Signal<FormErrors>) -> impl IntoView {
    let error = Memo::new(move |_| errors.with(|e| e.message("customer")));
    let is = move |who: Who| move || choice.who.get() == Some(who);
    let pick = move |who: Who| move |_| choice.who.set(Some(who));
    let known = move || {
        choice.known.get().map(|customer| {
            let hint =
                [customer.emails.first().cloned(), postcode_of(&customer)].into_iter().flatten().collect::<Vec<_>>();
            view! {
                <div class="govuk-radios__item">
                    <input class="govuk-radios__input" id="customer" name="customer" type="radio" value="known"
                        aria-describedby="customer-known-hint" prop:checked=is(Who::Known) on:change=pick(Who::Known)/>
                    <label class="govuk-label govuk-radios__label app-wrap-anywhere" for="customer">
                        {customer.display_name.clone()}
                    </label>
                    <div class="govuk-hint govuk-radios__hint app-wrap-anywhere" id="customer-known-hint">
                        {if hint.is_empty() { "An existing customer".to_owned() } else { hint.join(", ") }}
                    </div>
                </div>
            }
        })
    };
    // The first radio carries the id the error summary links to.
    let existing_id = move || if choice.known.with(Option::is_some) { "customer-existing" } else { "customer" };
    let reveal_class = move |who: Who| {
        move || {
            if choice.who.get() == Some(who) {
                "govuk-radios__conditional"
            } else {
                "govuk-radios__conditional govuk-radios__conditional--hidden"
            }
        }
    };
    view! {
        <FormGroup error=error>
            <fieldset class="govuk-fieldset" aria-describedby=move || error.with(Option::is_some).then_some("customer-error")>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Who is the query from?"</legend>
                {move || error.get().map(|message| view! { <ErrorMessage id="customer-error".to_owned() message/> })}
                <div class="govuk-radios" data-module="govuk-radios">
                    {known}
                    <div class="govuk-radios__item">
                        <input class="govuk-radios__input" id=existing_id name="customer" type="radio"
                            value="existing" aria-controls="customer-existing-search"
                            prop:checked=is(Who::Existing) on:change=pick(Who::Existing)/>
                        <label class="govuk-label govuk-radios__label" for=existing_id>"An existing customer"</label>
                    </div>
                    <div class=reveal_class(Who::Existing) id="customer-existing-search">
                        <CustomerSearch field=EXISTING legend="Find the customer" chosen=choice.existing errors/>
                    </div>
                    <div class="govuk-radios__item">
                        <input class="govuk-radios__input" id="customer-new" name="customer" type="radio" value="new"
                            aria-controls="customer-new-details"
                            prop:checked=is(Who::New) on:change=pick(Who::New)/>
                        <label class="govuk-label govuk-radios__label" for="customer-new">"A new customer"</label>
                    </div>
                    <div class=reveal_class(Who::New) id="customer-new-details">
                        <TextInput id="given_name" label="Given name" value=choice.given_name errors autocomplete="off"/>
                        <TextInput id="family_name" label="Family name" value=choice.family_name errors autocomplete="off"/>
                        <TextInput id="emails[0]" label="Email address (optional)" value=choice.email errors
                            input_type="email"/>
                        <TextInput id="phones[0]" label="Phone number (optional)" value=choice.phone errors
                            input_type="tel" class="govuk-input--width-20"/>
                        <TextInput id="address.postcode" label="Postcode (optional)" value=choice.postcode errors
                            class="govuk-input--width-10"/>
                    </div>
                    <div class="govuk-radios__item">
                        <input class="govuk-radios__input" id="customer-anonymous" name="customer" type="radio"
                            value="anonymous" aria-describedby="customer-anonymous-hint"
                            prop:checked=is(Who::Anonymous) on:change=pick(Who::Anonymous)/>
                        <label class="govuk-label govuk-radios__label" for="customer-anonymous">"Anonymous"</label>
                        <div class="govuk-hint govuk-radios__hint" id="customer-anonymous-hint">
                            "They did not give their details"
                        </div>
                    </div>
                </div>
            </fieldset>
        </FormGroup>
    }
}

/// The likely duplicates, as a warning with a choice: one of them, or a new customer anyway.
#[component]
pub fn DuplicateWarning(choice: CustomerChoice, errors: Signal<FormErrors>) -> impl IntoView {
    const FIELD: &str = "duplicate_choice";
    let error = Memo::new(move |_| errors.with(|e| e.message(FIELD)));
    let picked = move |value: DuplicateChoice| move || choice.duplicate_choice.get() == Some(value);
    let items = move || {
        choice
            .duplicates
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, m)| {
                let customer = m.customer;
                let id = if index == 0 { FIELD.to_owned() } else { format!("{FIELD}-{}", index + 1) };
                let hint_id = format!("{id}-hint");
                let reasons: Vec<&str> = m.reasons.into_iter().map(reason_text).collect();
                let details = [customer.emails.first().map(|e| format!("Email address: {e}")), postcode_of(&customer).map(|p| format!("Postcode: {p}"))]
                    .into_iter()
                    .flatten()
                    .chain(std::iter::once(format!("Has {}", join(&reasons))))
                    .collect::<Vec<_>>()
                    .join(". ");
                let value = DuplicateChoice::Existing(customer.id);
                view! {
                    <div class="govuk-radios__item">
                        <input class="govuk-radios__input" id=id.clone() name=FIELD type="radio" value=customer.id.to_string()
                            aria-describedby=hint_id.clone() prop:checked=picked(value)
                            on:change=move |_| choice.duplicate_choice.set(Some(value))/>
                        <label class="govuk-label govuk-radios__label app-wrap-anywhere" for=id>
                            {customer.display_name.clone()}
                        </label>
                        <div class="govuk-hint govuk-radios__hint app-wrap-anywhere" id=hint_id>
                            {details}". "
                            <a class="govuk-link" href=format!("/customers/{}", customer.id) target="_blank" rel="noopener">
                                "View "{customer.display_name.clone()}" (opens in new tab)"
                            </a>
                        </div>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <div class="govuk-notification-banner" role="region" aria-labelledby="duplicate-warning-title"
            id=WARNING_ID tabindex="-1">
            <div class="govuk-notification-banner__header">
                <h2 class="govuk-notification-banner__title" id="duplicate-warning-title">"Important"</h2>
            </div>
            <div class="govuk-notification-banner__content">
                <p class="govuk-notification-banner__heading">"This may be a customer who already exists"</p>
                <FormGroup error=error>
                    <fieldset class="govuk-fieldset" aria-describedby=move || error.with(Option::is_some).then_some("duplicate_choice-error")>
                        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
                            "Is the query from one of these customers?"
                        </legend>
                        {move || error.get().map(|message| view! { <ErrorMessage id="duplicate_choice-error".to_owned() message/> })}
                        <div class="govuk-radios" data-module="govuk-radios">
                            {items}
                            <div class="govuk-radios__divider">"or"</div>
                            <div class="govuk-radios__item">
                                <input class="govuk-radios__input" id="duplicate_choice-new" name=FIELD type="radio" value="new"
                                    prop:checked=picked(DuplicateChoice::CreateAnyway)
                                    on:change=move |_| choice.duplicate_choice.set(Some(DuplicateChoice::CreateAnyway))/>
                                <label class="govuk-label govuk-radios__label" for="duplicate_choice-new">
                                    "Create a new customer anyway"
                                </label>
                            </div>
                        </div>
                    </fieldset>
                </FormGroup>
            </div>
        </div>
    }
}

/// "a, b and c".
fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
