//! One hook for every list read a page at a time with "Load more" (users, customers): the rows
//! so far, the cursor of the next page, loading and failure state, and the button. Starting
//! again (a new search) discards answers still on their way for the list before.

use api_types::Problem;
use leptos::prelude::*;

use crate::api::{Page, Params};
use crate::dom;
use crate::session::Session;
use crate::tasks::spawn;

pub struct PagedList<T: Send + Sync + 'static> {
    /// Every row read so far, in the API's order.
    pub items: RwSignal<Vec<T>>,
    /// The first page has answered (rows or a failure).
    pub loaded: RwSignal<bool>,
    pub failure: RwSignal<Option<Problem>>,
    next_cursor: RwSignal<Option<String>>,
    pending: RwSignal<bool>,
    /// Bumped by [`PagedList::restart`]; an answer for an older round is dropped.
    round: RwSignal<u32>,
    load: Callback<Option<String>>,
}

impl<T: Send + Sync + 'static> Clone for PagedList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for PagedList<T> {}

/// A paged list of what `fetch` reads, `page_size` rows at a time; `row_id` is the element id
/// of a row's heading cell, which takes focus after "Load more" so reading continues there.
/// Nothing is read until [`PagedList::restart`].
pub fn use_paged_list<P, Fetch, Found>(
    session: Session,
    page_size: u32,
    fetch: Fetch,
    row_id: fn(&P::Item) -> String,
) -> PagedList<P::Item>
where
    P: Page + 'static,
    P::Item: Send + Sync + 'static,
    Fetch: Fn(Params) -> Found + Send + Sync + 'static,
    Found: Future<Output = Result<P, Problem>> + 'static,
{
    let items = RwSignal::new(Vec::new());
    let loaded = RwSignal::new(false);
    let failure = RwSignal::new(None);
    let next_cursor = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let round = RwSignal::new(0_u32);
    let load = Callback::new(move |cursor: Option<String>| {
        pending.set(true);
        let this_round = round.get_untracked();
        let answer = fetch(Params::limit(page_size).after(cursor.as_deref()));
        spawn(async move {
            let answer = answer.await;
            if round.get_untracked() != this_round {
                return;
            }
            match answer {
                Ok(page) => {
                    let (rows, next) = page.into_parts();
                    let first_new = rows.first().map(row_id);
                    items.update(|all: &mut Vec<P::Item>| all.extend(rows));
                    next_cursor.set(next);
                    if let (Some(id), Some(_)) = (first_new, cursor) {
                        dom::focus_soon(id);
                    }
                }
                Err(problem) => {
                    session.notice(&problem);
                    failure.set(Some(problem));
                }
            }
            loaded.set(true);
            pending.set(false);
        });
    });
    PagedList { items, loaded, failure, next_cursor, pending, round, load }
}

impl<T: Send + Sync + 'static> PagedList<T> {
    /// Empties the list and reads its first page (again).
    pub fn restart(&self) {
        self.round.update(|round| *round += 1);
        self.items.set(Vec::new());
        self.next_cursor.set(None);
        self.failure.set(None);
        self.loaded.set(false);
        self.load.run(None);
    }
}

/// "Load more", while there is more.
#[component]
pub fn LoadMore<T: Send + Sync + 'static>(list: PagedList<T>) -> impl IntoView {
    move || {
        list.next_cursor.get().map(|cursor| {
            view! {
                <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                    disabled=move || list.pending.get() on:click=move |_| list.load.run(Some(cursor.clone()))>
                    "Load more"
                </button>
            }
        })
    }
}
