//! Generated customers: UK names, example-domain emails, UK phone numbers and addresses, all
//! normalised by `domain::customer` exactly as if an officer had typed them in.

use super::words::{
    EMAIL_DOMAINS, FAMILY, FEMALE_GIVEN, FEMALE_TITLES, MALE_GIVEN, MALE_TITLES, RARE_FAMILY, RARE_FAMILY_PER_MILLION,
    STREET_KINDS, STREETS, TOWNS, UNIT_LETTERS,
};
use domain::customer::{Consent, ContactChannel, CustomerDetails, PhoneNumber, RawAddress, RawCustomer};
use rand::{Rng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;

/// Draws family names by weight, with [`RARE_FAMILY`] at a fixed share.
#[derive(Debug)]
pub struct FamilyNames {
    cumulative: Vec<u32>,
}

impl FamilyNames {
    pub fn new() -> Self {
        let mut total = 0;
        let cumulative = FAMILY
            .iter()
            .map(|(_, weight)| {
                total += weight;
                total
            })
            .collect();
        Self { cumulative }
    }

    pub fn draw(&self, rng: &mut ChaCha8Rng) -> &'static str {
        if rng.random_range(0..1_000_000) < RARE_FAMILY_PER_MILLION {
            return RARE_FAMILY;
        }
        let total = self.cumulative.last().copied().unwrap_or(1);
        let pick = rng.random_range(0..total);
        let index = self.cumulative.partition_point(|&c| c <= pick);
        FAMILY.get(index).map_or("Smith", |(name, _)| name)
    }
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    *items.choose(rng).unwrap_or(&items[0])
}

pub fn street(rng: &mut ChaCha8Rng) -> String {
    format!("{} {}", pick(rng, STREETS), pick(rng, STREET_KINDS))
}

/// A UK mobile (071–073…) or a geographic number; drawn again until `phonenumber` calls it
/// valid, since not every range is allocated (the retries come from the same seeded stream).
fn phone(rng: &mut ChaCha8Rng) -> String {
    loop {
        let raw = if rng.random_bool(0.6) {
            format!(
                "07{}{:02} {:06}",
                rng.random_range(1..=3),
                rng.random_range(0..100),
                rng.random_range(0..1_000_000)
            )
        } else {
            let area = pick(rng, &["0117", "0113", "0161", "0121", "0114", "0115", "0116"]);
            format!("{area} {:03} {:04}", rng.random_range(200..1000), rng.random_range(0..10_000))
        };
        if PhoneNumber::parse("phone", &raw).is_ok() {
            return raw;
        }
    }
}

/// `BS1 6PN`-shaped: the town's area and a district, a digit and two unit letters.
fn postcode(rng: &mut ChaCha8Rng, area: &str, districts: &[u8]) -> String {
    let letter = |rng: &mut ChaCha8Rng| char::from(pick(rng, UNIT_LETTERS));
    let district = pick(rng, districts);
    let digit = rng.random_range(0..10);
    format!("{area}{district} {digit}{}{}", letter(rng), letter(rng))
}

/// Raw details as an officer might key them in (postcodes in lower case without a space now
/// and then), parsed by the domain so they are stored normalised.
pub fn customer(rng: &mut ChaCha8Rng, families: &FamilyNames, serial: usize) -> CustomerDetails {
    // The title agrees with the given name: no "Mrs Oliver" or "Mr Olivia" in the demo data.
    let female = rng.random_bool(0.5);
    let given = pick(rng, if female { FEMALE_GIVEN } else { MALE_GIVEN });
    let family = families.draw(rng);
    let local = format!("{}.{}", given.to_lowercase(), family.to_lowercase().replace([' ', '\''], ""));
    let mut emails = Vec::new();
    if rng.random_bool(0.8) {
        emails.push(format!("{local}{}@{}", serial % 1000, pick(rng, EMAIL_DOMAINS)));
        if rng.random_bool(0.1) {
            emails.push(format!("{}{}@{}", given.to_lowercase(), serial, pick(rng, EMAIL_DOMAINS)));
        }
    }
    let mut phones = Vec::new();
    if rng.random_bool(0.7) {
        phones.push(phone(rng));
    }
    let address = rng.random_bool(0.95).then(|| {
        let (town, area, districts) = pick(rng, TOWNS);
        let mut code = postcode(rng, area, districts);
        if rng.random_bool(0.2) {
            code = code.replace(' ', "").to_lowercase();
        }
        let mut lines = vec![format!("{} {}", rng.random_range(1..200), street(rng))];
        if rng.random_bool(0.15) {
            lines.insert(0, format!("Flat {}", rng.random_range(1..40)));
        }
        RawAddress { lines, town: Some(town.to_owned()), postcode: Some(code), country: None }
    });
    let raw = RawCustomer {
        title: pick(rng, if female { FEMALE_TITLES } else { MALE_TITLES }).map(str::to_owned),
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        emails,
        phones,
        address,
        organisation: None,
        preferred_channel: *[
            None,
            Some(ContactChannel::Email),
            Some(ContactChannel::Phone),
            Some(ContactChannel::Post),
        ]
        .choose(rng)
        .unwrap_or(&None),
        contact_needs: rng.random_bool(0.03).then(|| "Large print letters, please".to_owned()),
        notes: None,
        consent: Consent { feedback_surveys: rng.random_bool(0.6), updates_by_email: rng.random_bool(0.4) },
    };
    // Every generated value is valid; a failure here is a bug in this generator.
    CustomerDetails::parse(&raw).unwrap_or_else(|errors| panic!("generated customer is invalid: {errors:?}"))
}

#[cfg(test)]
mod tests {
    use super::{FamilyNames, customer};
    use crate::seed::words::{FEMALE_GIVEN, MALE_GIVEN};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn titles_agree_with_given_names() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let families = FamilyNames::new();
        let mut titled = 0;
        for serial in 0..2_000 {
            let details = customer(&mut rng, &families, serial);
            let given = details.given_name.as_str();
            match details.title.as_deref() {
                Some("Mr") => assert!(MALE_GIVEN.contains(&given), "Mr {given}"),
                Some("Mrs" | "Ms" | "Miss") => assert!(FEMALE_GIVEN.contains(&given), "a woman's title for {given}"),
                _ => continue,
            }
            titled += 1;
        }
        assert!(titled > 1_000, "only {titled} of 2,000 customers have a gendered title");
    }
}
