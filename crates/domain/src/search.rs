//! Full-text search (FR-003): one tokeniser for what is indexed and what is searched, so that
//! PostgreSQL (`tsvector` with the `simple` configuration) and SQLite (FTS5 with `unicode61`)
//! see the same words and return the same results.
//!
//! Text is cut into lower-case runs of letters and digits: `John.Smith@Example.com` becomes
//! `john smith example com`, `Q-000123` becomes `q 000123`. A search term is matched as a
//! phrase of its words with the last one as a prefix, so a full email only finds that address,
//! `Thom` finds Thompson, and `Q-000123` finds that reference. Every term must match.

use crate::{customer::Customer, query::QueryReference};

/// The most terms one search may have; more would only slow the database down.
const MAX_TERMS: usize = 8;
/// The most words one term may have (a long pasted sentence is cut here).
const MAX_WORDS_PER_TERM: usize = 8;

/// Lower-case runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// What is indexed for a record: its words, space-separated, ready for either backend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDocument(String);

impl SearchDocument {
    /// The words of every part, in order.
    pub fn from_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut document = String::new();
        for word in parts.into_iter().flat_map(words) {
            if !document.is_empty() {
                document.push(' ');
            }
            document.push_str(&word);
        }
        Self(document)
    }

    /// A query's document: its reference (as printed and as a bare number), subject,
    /// description and, when it has one, its customer's names, emails and postcode.
    pub fn for_query(
        reference: QueryReference,
        subject: &str,
        description: &str,
        customer: Option<&CustomerSearchParts>,
    ) -> Self {
        let printed = reference.to_string();
        let number = reference.number().to_string();
        let mut parts: Vec<&str> = vec![&printed, &number, subject, description];
        if let Some(customer) = customer {
            parts.extend(customer.parts());
        }
        Self::from_parts(parts)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn from_stored(raw: String) -> Self {
        Self(raw)
    }
}

/// The parts of a customer that make their queries findable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerSearchParts {
    values: Vec<String>,
}

impl CustomerSearchParts {
    pub fn of(customer: &Customer) -> Self {
        let details = &customer.details;
        let mut values = vec![details.given_name.clone(), details.family_name.clone()];
        values.extend(details.organisation.clone());
        values.extend(details.emails.iter().map(|e| e.as_str().to_owned()));
        if let Some(postcode) = details.address.as_ref().and_then(|a| a.postcode.as_ref()) {
            // Both as printed ("BS1 6PN": words bs1, 6pn) and run together ("bs16pn"), so a
            // postcode is found however it is typed.
            values.push(postcode.clone());
            values.push(postcode.replace(' ', ""));
        }
        Self { values }
    }

    pub fn parts(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(String::as_str)
    }

    /// The customer's own document, for finding customers.
    pub fn document(&self) -> SearchDocument {
        SearchDocument::from_parts(self.parts())
    }
}

/// A parsed search: terms that must all match, each a phrase of words whose last word is a
/// prefix. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms(Vec<Vec<String>>);

impl SearchTerms {
    /// None when the text has no letters or digits to search for.
    pub fn parse(raw: &str) -> Option<Self> {
        let terms: Vec<Vec<String>> = raw
            .split_whitespace()
            .map(|term| words(term).take(MAX_WORDS_PER_TERM).collect::<Vec<_>>())
            .filter(|term| !term.is_empty())
            .take(MAX_TERMS)
            .collect();
        (!terms.is_empty()).then_some(Self(terms))
    }

    /// Text that is not blank yet holds no letters or digits: a search for it finds nothing
    /// (it is not refused, since no schema can say which characters are letters everywhere).
    pub fn finds_nothing(raw: Option<&str>) -> bool {
        raw.is_some_and(|q| !q.trim().is_empty() && Self::parse(q).is_none())
    }

    pub fn terms(&self) -> &[Vec<String>] {
        &self.0
    }

    /// A PostgreSQL `to_tsquery('simple', …)` argument: `'q' <-> '000123':* & 'thom':*`.
    /// Words are letters and digits only, so quoting them cannot be escaped from.
    pub fn to_tsquery(&self) -> String {
        self.0
            .iter()
            .map(|term| {
                let last = term.len() - 1;
                let phrase: Vec<String> = term
                    .iter()
                    .enumerate()
                    .map(|(i, word)| if i == last { format!("'{word}':*") } else { format!("'{word}'") })
                    .collect();
                format!("({})", phrase.join(" <-> "))
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// An SQLite FTS5 MATCH expression: `"q 000123"* AND "thom"*`.
    pub fn to_fts5(&self) -> String {
        self.0.iter().map(|term| format!("\"{}\"*", term.join(" "))).collect::<Vec<_>>().join(" AND ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_runs_of_letters_and_digits() {
        let got: Vec<String> = words("John.Smith@Example.com, Q-000123; O'Brien Zoë").collect();
        assert_eq!(got, ["john", "smith", "example", "com", "q", "000123", "o", "brien", "zoë"]);
    }

    #[test]
    fn a_query_document_holds_its_reference_both_ways() {
        let doc = SearchDocument::for_query(QueryReference::new(123), "Bins", "Missed twice", None);
        assert_eq!(doc.as_str(), "q 000123 123 bins missed twice");
    }

    #[test]
    fn terms_become_phrases_with_a_prefix_last_word() {
        let terms = SearchTerms::parse("  Q-000123 thom  ").expect("terms");
        assert_eq!(terms.to_tsquery(), "('q' <-> '000123':*) & ('thom':*)");
        assert_eq!(terms.to_fts5(), "\"q 000123\"* AND \"thom\"*");
    }

    #[test]
    fn punctuation_only_is_no_search_and_sql_cannot_be_injected() {
        assert_eq!(SearchTerms::parse(" '--; ) "), None);
        let terms = SearchTerms::parse("a'b\" OR 1=1").expect("terms");
        assert_eq!(terms.to_tsquery(), "('a' <-> 'b':*) & ('or':*) & ('1' <-> '1':*)");
        assert_eq!(terms.to_fts5(), "\"a b\"* AND \"or\"* AND \"1 1\"*");
    }

    #[test]
    fn long_searches_are_bounded() {
        let terms = SearchTerms::parse(&"word ".repeat(50)).expect("terms");
        assert_eq!(terms.terms().len(), MAX_TERMS);
    }
}
