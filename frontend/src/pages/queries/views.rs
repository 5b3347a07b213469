//! The work queue's ready-made views ("My queries (3)", "Unassigned (12)", …) as MoJ sub
//! navigation. Each view is only a filter in the address bar, so its link is the work queue's
//! own address for that filter, and the view whose filter is applied is marked current.

use crate::tasks::spawn_for_this_run;
use api_types::View;
use leptos::prelude::*;

use crate::api;
use crate::pages::queries::columns;
use crate::pages::queries::queue_filter::QueueFilter;
use crate::session::Session;

#[component]
pub fn ViewLinks(applied: Memo<QueueFilter>) -> impl IntoView {
    let session = Session::expect();
    let views = RwSignal::new(None::<Vec<View>>);
    // Counts change as queries are assigned and closed: ask again whenever the address does.
    Effect::new(move |_| {
        applied.track();
        spawn_for_this_run(async move {
            match api::views::list().await {
                Ok(list) => views.set(Some(list.items)),
                Err(problem) => {
                    // The queue still works without the shortcuts; only a 401 matters.
                    session.notice(&problem);
                    if views.with_untracked(Option::is_none) {
                        views.set(Some(Vec::new()));
                    }
                }
            }
        });
    });
    move || {
        let list = views.get().unwrap_or_default();
        (!list.is_empty()).then(|| {
            let shown = applied.with(QueueFilter::unsorted);
            let items = list
                .into_iter()
                .map(|view| {
                    let filter = QueueFilter::from_query_string(&view.filter);
                    let current = filter.unsorted() == shown;
                    // A saved view brings its sort and columns; a built-in one its sort if it
                    // has one (Due soon and Overdue: soonest due first), else keeps the
                    // officer's, and the officer's columns.
                    let href = match &view.saved {
                        Some(saved) => {
                            let columns = columns::chosen(saved.columns.iter().map(String::as_str));
                            QueueFilter { sort: saved.sort.clone(), columns, ..filter }.href(None)
                        }
                        None => applied
                            .with_untracked(|f| QueueFilter {
                                sort: if filter.sort.is_empty() { f.sort.clone() } else { filter.sort.clone() },
                                columns: f.columns.clone(),
                                ..filter
                            })
                            .href(None),
                    };
                    let noun = if view.count == 1 { "query" } else { "queries" };
                    view! {
                        <li class="moj-sub-navigation__item">
                            <a class="moj-sub-navigation__link" href=href aria-current=current.then_some("page")
                                id=format!("view-{}", view.id)>
                                {view.name}" ("{view.count}<span class="govuk-visually-hidden">" "{noun}</span>")"
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <nav class="moj-sub-navigation" aria-label="Work queue views">
                    <ul class="moj-sub-navigation__list">{items}</ul>
                </nav>
            }
        })
    }
}
