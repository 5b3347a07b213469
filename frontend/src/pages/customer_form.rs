//! The customer form shared by `/customers/new` and `/customers/:id/edit`, and the words for a
//! customer's details shared by the customer pages.

use api_types::{Address, Consent, ContactChannel, Customer, CustomerInput, DuplicateReason};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::forms::{FormErrors, RadioOption, Radios, TextArea, TextInput};

/// How many email addresses, phone numbers and address lines the form offers (the API's limits
/// for lines; emails and phones beyond three are kept as they are).
const MORE: usize = 3;

/// The API's field paths for the form's inputs, in page order (the error summary follows it).
pub const FIELDS: [&str; 19] = [
    "title",
    "given_name",
    "family_name",
    "organisation",
    "emails[0]",
    "emails[1]",
    "emails[2]",
    "phones[0]",
    "phones[1]",
    "phones[2]",
    "address.lines[0]",
    "address.lines[1]",
    "address.lines[2]",
    "address.lines[3]",
    "address.town",
    "address.postcode",
    "preferred_channel",
    "contact_needs",
    "notes",
];

/// "No preference" among the preferred channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Preference {
    Channel(ContactChannel),
    None,
}

/// What the form holds; each input edits one signal.
#[derive(Clone, Copy)]
pub struct CustomerFields {
    title: RwSignal<String>,
    given_name: RwSignal<String>,
    family_name: RwSignal<String>,
    organisation: RwSignal<String>,
    emails: [RwSignal<String>; MORE],
    phones: [RwSignal<String>; MORE],
    lines: [RwSignal<String>; 4],
    town: RwSignal<String>,
    postcode: RwSignal<String>,
    preferred: RwSignal<Option<Preference>>,
    contact_needs: RwSignal<String>,
    notes: RwSignal<String>,
    feedback_surveys: RwSignal<bool>,
    updates_by_email: RwSignal<bool>,
}

impl CustomerFields {
    pub fn empty() -> Self {
        Self::from_input(&CustomerInput::default())
    }

    /// The form filled in from what is stored.
    pub fn from_input(input: &CustomerInput) -> Self {
        let address = input.address.clone().unwrap_or_default();
        let nth = |list: &[String], i: usize| RwSignal::new(list.get(i).cloned().unwrap_or_default());
        let text = |value: &Option<String>| RwSignal::new(value.clone().unwrap_or_default());
        Self {
            title: text(&input.title),
            given_name: RwSignal::new(input.given_name.clone()),
            family_name: RwSignal::new(input.family_name.clone()),
            organisation: text(&input.organisation),
            emails: std::array::from_fn(|i| nth(&input.emails, i)),
            phones: std::array::from_fn(|i| nth(&input.phones, i)),
            lines: std::array::from_fn(|i| nth(&address.lines, i)),
            town: text(&address.town),
            postcode: text(&address.postcode),
            preferred: RwSignal::new(Some(input.preferred_channel.map_or(Preference::None, Preference::Channel))),
            contact_needs: text(&input.contact_needs),
            notes: text(&input.notes),
            feedback_surveys: RwSignal::new(input.consent.feedback_surveys),
            updates_by_email: RwSignal::new(input.consent.updates_by_email),
        }
    }

    /// `base` (what is stored, so what the form does not show is kept: emails and phones after
    /// the third, the address's country) with the form's values in place of the ones it shows.
    pub fn to_input(self, base: &CustomerInput) -> CustomerInput {
        let text = |signal: RwSignal<String>| signal.get_untracked().trim().to_owned();
        let optional = |signal: RwSignal<String>| Some(text(signal)).filter(|value| !value.is_empty());
        let listed = |shown: [RwSignal<String>; MORE], stored: &[String]| {
            let mut list: Vec<String> = shown.into_iter().filter_map(optional).collect();
            list.extend(stored.iter().skip(MORE).cloned());
            list
        };
        let old = base.address.clone().unwrap_or_default();
        let lines: Vec<String> = self.lines.into_iter().filter_map(optional).collect();
        let address =
            Address { lines, town: optional(self.town), postcode: optional(self.postcode), country: old.country };
        let blank = address.lines.is_empty() && address.town.is_none() && address.postcode.is_none();
        CustomerInput {
            title: optional(self.title),
            given_name: text(self.given_name),
            family_name: text(self.family_name),
            organisation: optional(self.organisation),
            emails: listed(self.emails, &base.emails),
            phones: listed(self.phones, &base.phones),
            address: (!blank || address.country.is_some()).then_some(address),
            preferred_channel: match self.preferred.get_untracked() {
                Some(Preference::Channel(channel)) => Some(channel),
                _ => None,
            },
            contact_needs: optional(self.contact_needs),
            notes: optional(self.notes),
            consent: Consent {
                feedback_surveys: self.feedback_surveys.get_untracked(),
                updates_by_email: self.updates_by_email.get_untracked(),
            },
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
    let preferences = [
        (Preference::Channel(ContactChannel::Email), "Email"),
        (Preference::Channel(ContactChannel::Phone), "Phone"),
        (Preference::Channel(ContactChannel::Post), "Post"),
        (Preference::None, "No preference"),
    ]
    .into_iter()
    .map(|(value, label)| RadioOption { value, label: label.to_owned(), hint: None })
    .collect::<Vec<_>>();
    view! {
        <form method="post" novalidate=true on:submit=submit>
            <TextInput id="title" label="Title (optional)" value=fields.title errors autocomplete="honorific-prefix"
                class="govuk-input--width-5" hint="For example, Mr, Ms, Dr or Mx"/>
            <TextInput id="given_name" label="Given name" value=fields.given_name errors autocomplete="given-name"/>
            <TextInput id="family_name" label="Family name" value=fields.family_name errors autocomplete="family-name"/>
            <TextInput id="organisation" label="Organisation (optional)" value=fields.organisation errors
                autocomplete="organization" hint="When the customer writes for a business or another body"/>
            <fieldset class="govuk-fieldset">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Contact details"</legend>
                <TextInput id="emails[0]" label="Email address (optional)" value=fields.emails[0] errors input_type="email"
                    autocomplete="email"/>
                <TextInput id="emails[1]" label="Email address 2 (optional)" value=fields.emails[1] errors input_type="email"/>
                <TextInput id="emails[2]" label="Email address 3 (optional)" value=fields.emails[2] errors input_type="email"/>
                <TextInput id="phones[0]" label="Phone number (optional)" value=fields.phones[0] errors input_type="tel"
                    autocomplete="tel" class="govuk-input--width-20"
                    hint="For international numbers include the country code"/>
                <TextInput id="phones[1]" label="Phone number 2 (optional)" value=fields.phones[1] errors input_type="tel"
                    class="govuk-input--width-20"/>
                <TextInput id="phones[2]" label="Phone number 3 (optional)" value=fields.phones[2] errors input_type="tel"
                    class="govuk-input--width-20"/>
            </fieldset>
            <fieldset class="govuk-fieldset">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Address (optional)"</legend>
                <TextInput id="address.lines[0]" label="Address line 1" value=fields.lines[0] errors
                    autocomplete="address-line1"/>
                <TextInput id="address.lines[1]" label="Address line 2 (optional)" value=fields.lines[1] errors
                    autocomplete="address-line2"/>
                <TextInput id="address.lines[2]" label="Address line 3 (optional)" value=fields.lines[2] errors
                    autocomplete="address-line3"/>
                <TextInput id="address.lines[3]" label="Address line 4 (optional)" value=fields.lines[3] errors/>
                <TextInput id="address.town" label="Town or city" value=fields.town errors
                    autocomplete="address-level2" class="govuk-!-width-two-thirds"/>
                <TextInput id="address.postcode" label="Postcode" value=fields.postcode errors
                    autocomplete="postal-code" class="govuk-input--width-10"/>
            </fieldset>
            <Radios name="preferred_channel" legend="How do they prefer us to reply?" options=preferences
                value=fields.preferred errors inline=true/>
            <TextArea id="contact_needs" label="Contact needs (optional)" value=fields.contact_needs errors
                hint="For example, large print, or calls only after 5pm"/>
            <TextArea id="notes" label="Notes (optional)" value=fields.notes errors
                hint="Anything colleagues should know about this customer"/>
            <div class="govuk-form-group">
                <fieldset class="govuk-fieldset" aria-describedby="consent-hint">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Consent"</legend>
                    <div class="govuk-hint" id="consent-hint">"Select all they have agreed to"</div>
                    <div class="govuk-checkboxes" data-module="govuk-checkboxes">
                        <ConsentBox id="consent.feedback_surveys" label="Feedback surveys about how we handled their query"
                            value=fields.feedback_surveys/>
                        <ConsentBox id="consent.updates_by_email" label="Updates by email" value=fields.updates_by_email/>
                    </div>
                </fieldset>
            </div>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button" data-module="govuk-button">{submit_label}</button>
                <a class="govuk-link" href=cancel_href>"Cancel"</a>
            </div>
        </form>
    }
}

/// One consent checkbox.
#[component]
fn ConsentBox(id: &'static str, label: &'static str, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="govuk-checkboxes__item">
            <input class="govuk-checkboxes__input" id=id name=id type="checkbox" prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))/>
            <label class="govuk-label govuk-checkboxes__label" for=id>{label}</label>
        </div>
    }
}
