//! Customers between the wire form and the domain.

use crate::problem::ApiResult;
use api_types as wire;
use domain::customer::{self, Consent, ContactChannel, CustomerDetails, RawAddress, RawCustomer};

/// Enough for any customer this service will see for years; paging comes with the SPA's
/// timeline view.
pub const TIMELINE_LIMIT: u32 = 2_000;

fn channel_in(channel: wire::ContactChannel) -> ContactChannel {
    match channel {
        wire::ContactChannel::Email => ContactChannel::Email,
        wire::ContactChannel::Phone => ContactChannel::Phone,
        wire::ContactChannel::Post => ContactChannel::Post,
    }
}

fn channel_out(channel: ContactChannel) -> wire::ContactChannel {
    match channel {
        ContactChannel::Email => wire::ContactChannel::Email,
        ContactChannel::Phone => wire::ContactChannel::Phone,
        ContactChannel::Post => wire::ContactChannel::Post,
    }
}

/// Validates input into domain details; every field at fault is reported (422).
pub fn details_from_input(input: &wire::CustomerInput) -> ApiResult<CustomerDetails> {
    let raw = RawCustomer {
        title: input.title.clone(),
        given_name: input.given_name.clone(),
        family_name: input.family_name.clone(),
        emails: input.emails.clone(),
        phones: input.phones.clone(),
        address: input.address.as_ref().map(|a| RawAddress {
            lines: a.lines.clone(),
            town: a.town.clone(),
            postcode: a.postcode.clone(),
            country: a.country.clone(),
        }),
        organisation: input.organisation.clone(),
        preferred_channel: input.preferred_channel.map(channel_in),
        contact_needs: input.contact_needs.clone(),
        notes: input.notes.clone(),
        consent: Consent {
            feedback_surveys: input.consent.feedback_surveys,
            updates_by_email: input.consent.updates_by_email,
        },
    };
    Ok(CustomerDetails::parse(&raw)?)
}

pub fn wire_customer(customer: &customer::Customer) -> wire::Customer {
    let d = &customer.details;
    wire::Customer {
        id: customer.id.as_uuid(),
        display_name: d.display_name(),
        title: d.title.clone(),
        given_name: d.given_name.clone(),
        family_name: d.family_name.clone(),
        emails: d.emails.iter().map(|e| e.as_str().to_owned()).collect(),
        phones: d.phones.iter().map(|p| p.as_str().to_owned()).collect(),
        phones_display: d.phones.iter().map(|p| p.for_display()).collect(),
        address: d.address.as_ref().map(|a| wire::Address {
            lines: a.lines.clone(),
            town: a.town.clone(),
            postcode: a.postcode.clone(),
            country: Some(a.country.clone()),
        }),
        organisation: d.organisation.clone(),
        preferred_channel: d.preferred_channel.map(channel_out),
        contact_needs: d.contact_needs.clone(),
        notes: d.notes.clone(),
        consent: wire::Consent {
            feedback_surveys: d.consent.feedback_surveys,
            updates_by_email: d.consent.updates_by_email,
        },
        version: customer.version,
        created_at: customer.created_at.as_datetime(),
        updated_at: customer.updated_at.as_datetime(),
    }
}
