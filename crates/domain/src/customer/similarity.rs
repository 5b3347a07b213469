//! Likely-duplicate names: "Jon Smith" and "John Smyth" are probably one person, especially
//! at the same postcode. Jaro-Winkler similarity favours shared prefixes, which suits names.

/// How alike two names are, from 0 (nothing shared) to 1 (identical), ignoring case, spacing
/// and punctuation.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(&fold(a), &fold(b))
}

/// Whether two full names are close enough to ask the officer before creating a second record:
/// the family names alike and the given names alike (or one an initial of the other).
pub fn likely_same_person(given_a: &str, family_a: &str, given_b: &str, family_b: &str) -> bool {
    const THRESHOLD: f64 = 0.85;
    let (ga, gb) = (fold(given_a), fold(given_b));
    let initial_match = (ga.len() == 1 || gb.len() == 1) && ga.chars().next() == gb.chars().next();
    name_similarity(family_a, family_b) >= THRESHOLD && (initial_match || strsim::jaro_winkler(&ga, &gb) >= THRESHOLD)
}

fn fold(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_are_likely_the_same_person() {
        assert!(likely_same_person("Jon", "Smith", "John", "Smith"));
        assert!(likely_same_person("John", "Smyth", "Jon", "Smith"));
        assert!(likely_same_person("J", "O'Brien", "Jane", "OBrien"));
        assert!(likely_same_person("Catherine", "Jones", "Katherine", "Jones"));
    }

    #[test]
    fn different_people_are_not() {
        assert!(!likely_same_person("John", "Smith", "Mary", "Smith"));
        assert!(!likely_same_person("John", "Smith", "John", "Patel"));
        assert!(!likely_same_person("Ann", "Lee", "Bob", "Leeds"));
    }
}
