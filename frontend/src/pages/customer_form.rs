//! The customer form shared by `/customers/new` and `/customers/:id/edit`, and the words for a
//! customer's details shared by the customer pages.

use api_types::{Address, Customer, CustomerInput, DuplicateReason};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::forms::{FormErrors, TextArea, TextInput};

/// The API's field paths for the form's inputs, in page order (the error summary follows it).
pub const FIELDS: [&str; 9] = [
    "given_name",
    "family_name",
    "emails[0]",
    "phones[0]",
    "address.lines[0]",
    "address.lines[1]",
    "address.town",
    "address.postcode",
    "contact_needs",
];

/// What the form holds; each input edits one signal.
#[derive(Clone, Copy)]
pub struct CustomerFields {
    given_name: RwSignal<String>,
    family_name: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
    line1: RwSignal<String>,
    line2: RwSignal<String>,
    town: RwSignal<String>,
    postcode: RwSignal<String>,
    contact_needs: RwSignal<String>,
}

impl CustomerFields {
    pub fn empty() -> Self {
        Self::from_input(&CustomerInput::default())
    }

    /// The form filled in from what is stored (the first email, phone and two address lines).
    pub fn from_input(input: &CustomerInput) -> Self {
        let address = input.address.clone().unwrap_or_default();
        let line = |i: usize| RwSignal::new(address.lines.get(i).cloned().unwrap_or_default());
        Self {
            given_name: RwSignal::new(input.given_name.clone()),
            family_name: RwSignal::new(input.family_name.clone()),
            email: RwSignal::new(input.emails.first().cloned().unwrap_or_default()),
            phone: RwSignal::new(input.phones.first().cloned().unwrap_or_default()),
            line1: line(0),
            line2: line(1),
            town: RwSignal::new(address.town.clone().unwrap_or_default()),
            postcode: RwSignal::new(address.postcode.clone().unwrap_or_default()),
            contact_needs: RwSignal::new(input.contact_needs.clone().unwrap_or_default()),
        }
    }

    /// `base` (what is stored, so details the form does not show are kept) with the form's
    /// values in place of the ones it shows.
    pub fn to_input(self, base: &CustomerInput) -> CustomerInput {
        let text = |signal: RwSignal<String>| signal.get_untracked().trim().to_owned();
        let optional = |signal: RwSignal<String>| Some(text(signal)).filter(|value| !value.is_empty());
        let replace_first = |mut list: Vec<String>, value: Option<String>| {
            if !list.is_empty() {
                list.remove(0);
            }
            if let Some(value) = value {
                list.insert(0, value);
            }
            list
        };
        let old = base.address.clone().unwrap_or_default();
        let mut lines: Vec<String> = [optional(self.line1), optional(self.line2)].into_iter().flatten().collect();
        lines.extend(old.lines.iter().skip(2).cloned());
        let address =
            Address { lines, town: optional(self.town), postcode: optional(self.postcode), country: old.country };
        let blank = address.lines.is_empty() && address.town.is_none() && address.postcode.is_none();
        CustomerInput {
            given_name: text(self.given_name),
            family_name: text(self.family_name),
            emails: replace_first(base.emails.clone(), optional(self.email)),
            phones: replace_first(base.phones.clone(), optional(self.phone)),
            address: (!blank || address.country.is_some()).then_some(address),
            contact_needs: optional(self.contact_needs),
            ..base.clone()
        }
    }
}

/// What is stored for a customer, as the API takes it back.
pub fn input_of(customer: &Customer) -> CustomerInput {
    CustomerInput {
        title: customer.title.clone(),
        given_name: customer.given_name.clone(),
        family_name: customer.family_name.clone(),
        emails: customer.emails.clone(),
        phones: customer.phones.clone(),
        address: customer.address.clone(),
        organisation: customer.organisation.clone(),
        preferred_channel: customer.preferred_channel,
        contact_needs: customer.contact_needs.clone(),
        notes: customer.notes.clone(),
        consent: customer.consent,
    }
}

/// Why a customer may be a duplicate, in plain English.
pub fn reason_text(reason: DuplicateReason) -> &'static str {
    match reason {
        DuplicateReason::SameEmail => "the same email address",
        DuplicateReason::SamePhone => "the same phone number",
        DuplicateReason::SimilarNameSamePostcode => "a similar name and the same postcode",
    }
}

/// The customer's postcode, if they have one.
pub fn postcode_of(customer: &Customer) -> Option<String> {
    customer.address.as_ref().and_then(|a| a.postcode.clone())
}

/// The form itself; the page supplies the heading, error summary and what submitting does.
#[component]
pub fn CustomerForm(
    fields: CustomerFields,
    errors: Signal<FormErrors>,
    on_submit: Callback<()>,
    submit_label: &'static str,
    cancel_href: String,
) -> impl IntoView {
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit.run(());
    };
    view! {
        <form method="post" novalidate=true on:submit=submit>
            <TextInput id="given_name" label="Given name" value=fields.given_name errors autocomplete="given-name"/>
            <TextInput id="family_name" label="Family name" value=fields.family_name errors autocomplete="family-name"/>
            <TextInput id="emails[0]" label="Email address (optional)" value=fields.email errors input_type="email"
                autocomplete="email"/>
            <TextInput id="phones[0]" label="Phone number (optional)" value=fields.phone errors input_type="tel"
                autocomplete="tel" class="govuk-input--width-20"
                hint="For international numbers include the country code"/>
            <fieldset class="govuk-fieldset">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Address (optional)"</legend>
                <TextInput id="address.lines[0]" label="Address line 1" value=fields.line1 errors
                    autocomplete="address-line1"/>
                <TextInput id="address.lines[1]" label="Address line 2 (optional)" value=fields.line2 errors
                    autocomplete="address-line2"/>
                <TextInput id="address.town" label="Town or city" value=fields.town errors
                    autocomplete="address-level2" class="govuk-!-width-two-thirds"/>
                <TextInput id="address.postcode" label="Postcode" value=fields.postcode errors
                    autocomplete="postal-code" class="govuk-input--width-10"/>
            </fieldset>
            <TextArea id="contact_needs" label="Contact needs (optional)" value=fields.contact_needs errors
                hint="For example, large print, or calls only after 5pm"/>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button" data-module="govuk-button">{submit_label}</button>
                <a class="govuk-link" href=cancel_href>"Cancel"</a>
            </div>
        </form>
    }
}
