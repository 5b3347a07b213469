//! Keyboard shortcuts for working a queue all day, and the help page that lists them. One table
//! ([`SHORTCUTS`]) feeds both, so the page cannot drift from what the keys do.
//!
//! Shortcuts are single keys, so they never act while the officer is typing in a field, and
//! never with Ctrl, Alt or Cmd (the browser's and screen readers' own keys).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::dom;
use crate::layout::HEADER_SEARCH_ID;
use crate::table::{Caption, Column, Table, column};

/// Marks a link that opens one row's record, in a list the `j` and `k` keys move through.
pub const ROW_LINK: &str = "data-row-link";
/// The help page.
pub const HELP_PATH: &str = "/help/keyboard";

/// What a key does.
#[derive(Clone, Copy)]
enum Action {
    Search,
    NextRow,
    PreviousRow,
    ToggleRow,
    Help,
}

/// Every shortcut: key, what it does (for the help page), and the action.
const SHORTCUTS: [(&str, &str, Action); 5] = [
    ("/", "Go to the search box", Action::Search),
    ("j", "Move to the next query or customer in a list", Action::NextRow),
    ("k", "Move to the previous one", Action::PreviousRow),
    ("x", "Select or deselect the query you are on, in the work queue", Action::ToggleRow),
    ("?", "Show this list of shortcuts", Action::Help),
];

const SHORTCUTS_COLUMNS: &[Column] = &[column("Key"), column("What it does")];

/// The row links on the page, in order.
fn row_links() -> Vec<web_sys::HtmlElement> {
    let Ok(found) = document().query_selector_all(&format!("a[{ROW_LINK}]")) else { return Vec::new() };
    (0..found.length()).filter_map(|i| found.item(i)).filter_map(|node| node.dyn_into().ok()).collect()
}

/// Focuses the next (or previous) row link after the one with focus, the first (or last) if
/// none has it.
fn move_row(step: isize) {
    let links = row_links();
    if links.is_empty() {
        return;
    }
    let active = document().active_element();
    let here =
        links.iter().position(|link| active.as_ref().is_some_and(|a| a == link.unchecked_ref::<web_sys::Element>()));
    let last = links.len() as isize - 1;
    let next = match here {
        None if step > 0 => 0,
        None => last,
        Some(i) => (i as isize + step).clamp(0, last),
    };
    // Focus cannot fail in a way the officer could act on.
    let _ = links[next as usize].focus();
}

/// Ticks (or unticks) the selection box in the row whose link has focus.
fn toggle_row() {
    let checkbox = document()
        .active_element()
        .filter(|a| a.has_attribute(ROW_LINK))
        .and_then(|a| a.closest("tr").ok().flatten())
        .and_then(|row| row.query_selector("input[type=checkbox]").ok().flatten())
        .and_then(|input| input.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(checkbox) = checkbox {
        checkbox.click();
    }
}

/// Listens for the shortcuts while the app runs (inside the router, to open the help page).
#[component]
pub fn KeyboardShortcuts() -> impl IntoView {
    let navigate = use_navigate();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.has_attribute("contenteditable")
        });
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let Some((_, _, action)) = SHORTCUTS.iter().find(|(key, _, _)| *key == ev.key()) else { return };
        ev.prevent_default();
        match action {
            Action::Search => dom::focus_now(HEADER_SEARCH_ID),
            Action::NextRow => move_row(1),
            Action::PreviousRow => move_row(-1),
            Action::ToggleRow => toggle_row(),
            Action::Help => navigate(HELP_PATH, Default::default()),
        }
    });
    on_cleanup(move || handle.remove());
}

/// `/help/keyboard`: the shortcuts, as a table.
#[component]
pub fn KeyboardHelp() -> impl IntoView {
    dom::set_title("Keyboard shortcuts", false);
    let rows = SHORTCUTS
        .iter()
        .map(|(key, what, _)| {
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header"><kbd class="app-kbd">{*key}</kbd></th>
                    <td class="govuk-table__cell">{*what}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Keyboard shortcuts"</h1>
                <p class="govuk-body">
                    "These keys work anywhere in Casedesk except while you are typing in a box. Everything can also be \
                     done with Tab, Shift and Tab, Enter and Space."
                </p>
                <Table id="shortcuts" caption="Shortcuts" caption_size=Caption::Medium columns=SHORTCUTS_COLUMNS>
                    {rows}
                </Table>
                <p class="govuk-body">
                    "In a list of suggestions (a customer, officer or team), the up and down arrows move, Enter chooses and \
                     Escape closes the list."
                </p>
            </div>
        </div>
    }
}
