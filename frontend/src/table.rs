//! The one GOV.UK table every list in the app is drawn with: a caption, a row of column
//! headings and the rows a page gives it, inside a region that scrolls on its own when the
//! table is wider than the screen (WCAG 1.4.10 allows that for data tables; the region takes
//! focus so it can be scrolled from the keyboard, and is named by the caption).

use leptos::prelude::*;

/// How big the caption is; a hidden caption still names the table for screen readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caption {
    Hidden,
    Small,
    Medium,
}

/// One column heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    text: &'static str,
    hidden: bool,
    numeric: bool,
}

/// A column headed `text`.
pub const fn column(text: &'static str) -> Column {
    Column { text, hidden: false, numeric: false }
}

impl Column {
    /// A column of numbers (right-aligned, heading too).
    pub const fn numeric(text: &'static str) -> Column {
        Column { text, hidden: false, numeric: true }
    }

    /// A column whose heading is for screen readers only (the buttons of each row).
    pub const fn unseen(text: &'static str) -> Column {
        Column { text, hidden: true, numeric: false }
    }
}

/// The column of row actions (change, delete), whose heading only screen readers need.
pub const ACTIONS: Column = Column::unseen("Actions");

#[component]
pub fn Table(
    /// The table's id (pages and tests find it by this).
    #[prop(into)]
    id: String,
    #[prop(into)] caption: String,
    #[prop(default = Caption::Hidden)] caption_size: Caption,
    columns: &'static [Column],
    /// Further classes for the table (`app-queue-table`).
    #[prop(optional)]
    class: &'static str,
    /// The rows (`<tr>`s).
    children: Children,
) -> impl IntoView {
    let caption_id = format!("{id}-caption");
    let caption_class = match caption_size {
        Caption::Hidden => "govuk-table__caption govuk-visually-hidden",
        Caption::Small => "govuk-table__caption govuk-table__caption--s",
        Caption::Medium => "govuk-table__caption govuk-table__caption--m",
    };
    let table_class = if class.is_empty() { "govuk-table".to_owned() } else { format!("govuk-table {class}") };
    let headings = columns
        .iter()
        .map(|column| {
            let class =
                if column.numeric { "govuk-table__header govuk-table__header--numeric" } else { "govuk-table__header" };
            let text = if column.hidden {
                view! { <span class="govuk-visually-hidden">{column.text}</span> }.into_any()
            } else {
                column.text.into_any()
            };
            view! { <th scope="col" class=class>{text}</th> }
        })
        .collect_view();
    let region_named_by = caption_id.clone();
    view! {
        <div class="app-table-container" role="region" aria-labelledby=region_named_by tabindex="0">
            <table class=table_class id=id>
                <caption class=caption_class id=caption_id>{caption}</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">{headings}</tr>
                </thead>
                <tbody class="govuk-table__body">{children()}</tbody>
            </table>
        </div>
    }
}
