//! One accessible autocomplete for every picker (customers, officers, teams): a text box that
//! suggests as you type, following the ARIA 1.2 combobox pattern as GOV.UK's
//! accessible-autocomplete does. The box is a `combobox` that owns a `listbox` of `option`s; the
//! arrow keys move through them (`aria-activedescendant`), Enter picks one, Escape closes the
//! list, and a polite status line says how many suggestions there are.
//!
//! The owner decides what to suggest for the text typed: a list filtered here ([`filter`]) or
//! an API search. Typing after a pick clears the pick, so what is shown is always what is chosen.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::forms::{ErrorMessage, FormErrors, FormGroup, described_by};

/// How many suggestions are shown at most.
pub const MAX_SUGGESTIONS: usize = 20;

/// One thing that can be picked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub id: Uuid,
    pub label: String,
    /// A second line that tells alike names apart (an email address and postcode, a team).
    pub hint: Option<String>,
}

impl Suggestion {
    pub fn new(id: Uuid, label: impl Into<String>) -> Self {
        Self { id, label: label.into(), hint: None }
    }
}

/// The suggestions whose label or hint contains every word typed (any case), in the order
/// given, at most [`MAX_SUGGESTIONS`]. Nothing typed: the first ones, so the list doubles as a
/// dropdown.
pub fn filter(all: &[Suggestion], typed: &str) -> Vec<Suggestion> {
    let words: Vec<String> = typed.split_whitespace().map(str::to_lowercase).collect();
    all.iter()
        .filter(|s| {
            let haystack = format!("{} {}", s.label, s.hint.as_deref().unwrap_or_default()).to_lowercase();
            words.iter().all(|word| haystack.contains(word))
        })
        .take(MAX_SUGGESTIONS)
        .cloned()
        .collect()
}

/// The status line read to screen-reader users while the list is open.
fn status_text(count: usize, typed: &str) -> String {
    match count {
        0 if typed.trim().is_empty() => String::new(),
        0 => "No results found".to_owned(),
        1 => "1 result is available. Use the down arrow to choose it.".to_owned(),
        n => format!("{n} results are available. Use the up and down arrows to choose one."),
    }
}

/// `id`: the text box's id (an error filed under it links here). `text`: what is typed (the
/// owner reads it to find suggestions). `chosen`: the pick, cleared when the text changes.
#[component]
pub fn Autocomplete(
    id: &'static str,
    label: &'static str,
    suggestions: Signal<Vec<Suggestion>>,
    text: RwSignal<String>,
    chosen: RwSignal<Option<Suggestion>>,
    errors: Signal<FormErrors>,
    #[prop(optional)] hint: Option<&'static str>,
    /// For example `govuk-label--s`.
    #[prop(optional)]
    label_class: &'static str,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let listbox_id = format!("{id}-listbox");
    let option_id = move |index: usize| format!("{id}-option-{index}");
    let hint = hint.filter(|h| !h.is_empty());
    let error = Memo::new(move |_| errors.with(|e| e.message(id)));
    // The list opens as the officer types, or on the arrow keys (then even for an empty box, as
    // a dropdown); never just because the box has focus, where it would cover what follows.
    let browsing = RwSignal::new(false);
    let shown = Memo::new(move |_| {
        open.get() && suggestions.with(|s| !s.is_empty()) && (browsing.get() || text.with(|t| !t.trim().is_empty()))
    });

    let pick = move |suggestion: Suggestion| {
        text.set(suggestion.label.clone());
        chosen.set(Some(suggestion));
        open.set(false);
        browsing.set(false);
        active.set(None);
    };
    let keydown = move |ev: KeyboardEvent| {
        let count = suggestions.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                ev.prevent_default();
                let down = ev.key() == "ArrowDown";
                let next = match (active.get_untracked(), down) {
                    (None, true) => 0,
                    (None, false) => count - 1,
                    (Some(i), true) => (i + 1) % count,
                    (Some(i), false) => (i + count - 1) % count,
                };
                open.set(true);
                browsing.set(true);
                active.set(Some(next));
            }
            "Enter" if shown.get_untracked() => {
                // Enter picks; it must not submit the form the picker sits in.
                ev.prevent_default();
                let index = active.get_untracked().unwrap_or(0);
                if let Some(suggestion) = suggestions.with_untracked(|s| s.get(index).cloned()) {
                    pick(suggestion);
                }
            }
            "Escape" if shown.get_untracked() => {
                ev.prevent_default();
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    let input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        chosen.set(None);
        active.set(None);
        browsing.set(false);
        open.set(true);
    };

    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    let options = move || {
        suggestions
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, suggestion)| {
                let selected = move || active.get() == Some(index);
                let class = move || {
                    if selected() { "app-autocomplete__option app-autocomplete__option--focused" } else { "app-autocomplete__option" }
                };
                let (label, hint) = (suggestion.label.clone(), suggestion.hint.clone());
                view! {
                    // Pressing the mouse must not blur the box (which would close the list first).
                    <li class=class id=option_id(index) role="option" aria-selected=move || selected().to_string()
                        on:mousedown=|ev| ev.prevent_default()
                        on:click=move |_| pick(suggestion.clone())>
                        <span class="app-wrap-anywhere">{label}</span>
                        {hint.map(|hint| view! { <span class="app-autocomplete__hint app-wrap-anywhere">{hint}</span> })}
                    </li>
                }
            })
            .collect_view()
    };
    let input_class = move || {
        if error.with(Option::is_some) {
            "govuk-input govuk-input--error app-autocomplete__input"
        } else {
            "govuk-input app-autocomplete__input"
        }
    };
    let status =
        move || if open.get() { text.with(|t| status_text(suggestions.with(Vec::len), t)) } else { String::new() };
    view! {
        <FormGroup error=error>
            <label class=format!("govuk-label {label_class}") for=id>{label}</label>
            {hint.map(|text| view! { <div class="govuk-hint" id=hint_id.clone()>{text}</div> })}
            {move || error.get().map(|message| view! { <ErrorMessage id=error_id.clone() message/> })}
            <div class="app-autocomplete">
                <input class=input_class id=id name=id type="text" role="combobox" autocomplete="off" spellcheck="false"
                    aria-autocomplete="list" aria-controls=listbox_id.clone() aria-describedby=described_by
                    aria-expanded=move || shown.get().to_string()
                    aria-activedescendant=move || active.get().filter(|_| shown.get()).map(option_id)
                    prop:value=move || text.get()
                    on:input=input on:keydown=keydown
                    on:blur=move |_| { open.set(false); browsing.set(false); active.set(None); }/>
                <ul class="app-autocomplete__menu" id=listbox_id role="listbox" aria-label=label hidden=move || !shown.get()>
                    {options}
                </ul>
                <div class="govuk-visually-hidden" role="status" aria-live="polite" aria-atomic="true">{status}</div>
            </div>
        </FormGroup>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(label: &str, hint: Option<&str>) -> Suggestion {
        Suggestion { id: Uuid::nil(), label: label.to_owned(), hint: hint.map(str::to_owned) }
    }

    #[test]
    fn filtering_matches_every_word_in_the_label_or_hint_in_any_case() {
        let all =
            [named("Olive Officer", Some("Refunds team")), named("Oscar Other", None), named("Ada Lovelace", None)];
        let labels = |typed: &str| filter(&all, typed).into_iter().map(|s| s.label).collect::<Vec<_>>();
        assert_eq!(labels("o"), ["Olive Officer", "Oscar Other", "Ada Lovelace"]);
        assert_eq!(labels("OLIVE"), ["Olive Officer"]);
        assert_eq!(labels("refunds olive"), ["Olive Officer"]);
        assert_eq!(labels("  "), ["Olive Officer", "Oscar Other", "Ada Lovelace"]);
        assert!(labels("nobody").is_empty());
    }

    #[test]
    fn the_status_line_counts_what_is_offered() {
        assert_eq!(status_text(0, ""), "");
        assert_eq!(status_text(0, "zz"), "No results found");
        assert!(status_text(1, "a").starts_with("1 result is available"));
        assert!(status_text(3, "a").starts_with("3 results are available"));
    }
}

/// A pick from a list the page already has (officers, teams): the autocomplete bound to an id.
/// `value` is the id chosen; clearing the box chooses nobody. `text` is what is in the box, so
/// the form can tell "nobody" from "typed a name but did not choose it" ([`unchosen`]).
#[component]
pub fn PickFromList(
    id: &'static str,
    label: &'static str,
    all: Signal<Vec<Suggestion>>,
    value: RwSignal<Option<Uuid>>,
    text: RwSignal<String>,
    errors: Signal<FormErrors>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] label_class: &'static str,
) -> impl IntoView {
    let picked = RwSignal::new(None::<Suggestion>);
    // The box shows the current choice once the list that names it has loaded.
    Effect::new(move |_| {
        let current = value.get_untracked();
        if let Some(found) = current.and_then(|id| all.with(|all| all.iter().find(|s| s.id == id).cloned()))
            && picked.with_untracked(Option::is_none)
            && text.with_untracked(String::is_empty)
        {
            text.set(found.label.clone());
            picked.set(Some(found));
        }
    });
    // The value follows the pick (typing clears the pick, so a half-typed name chooses nobody);
    // not on the first run, which would clear a value whose name has not loaded yet.
    Effect::new(move |previous: Option<()>| {
        let pick = picked.get().map(|p| p.id);
        if previous.is_some() {
            value.set(pick);
        }
    });
    let suggestions =
        Signal::derive(move || text.with(|typed| all.with(|all| filter(all, typed_filter(typed, picked)))));
    view! { <Autocomplete id label suggestions text chosen=picked errors hint=hint.unwrap_or_default() label_class/> }
}

/// While the box shows the pick, every option is offered (the list works as a dropdown).
fn typed_filter(typed: &str, picked: RwSignal<Option<Suggestion>>) -> &str {
    if picked.with(|p| p.as_ref().is_some_and(|p| p.label == typed)) { "" } else { typed }
}

/// Something typed into a [`PickFromList`] box that no suggestion was chosen for.
pub fn unchosen(text: RwSignal<String>, value: RwSignal<Option<Uuid>>) -> bool {
    !text.with_untracked(|t| t.trim().is_empty()) && value.get_untracked().is_none()
}
