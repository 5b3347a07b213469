//! A page's background work (its API calls). Each task runs under the page that started it and
//! is dropped when that page goes away: when the user navigates, or the session ends under the
//! page. So an answer never reaches a signal that has been disposed (which panics), and a page
//! that is gone sends nothing more (a queue signed out of used to fire dozens of requests, all
//! 401).
//!
//! Tasks belong to the page, not to the reactive closure that happened to start them: a form's
//! submit handler lives in the closure that draws the form, and saving usually redraws it. Tied
//! to that closure, a save that goes on to reload the record would be cancelled half-way.

use leptos::prelude::*;
use std::future::Future;

/// The owner that a page's tasks live under (provided where a signed-in page is drawn).
#[derive(Clone)]
struct PageTasks(Owner);

/// Makes the current reactive owner the one that tasks started below it live and die with.
pub fn provide_page_scope() {
    if let Some(owner) = Owner::current() {
        provide_context(PageTasks(owner));
    }
}

/// Runs `task` in the background until it finishes or its page is cleaned up (outside a page,
/// until the current owner is).
pub fn spawn(task: impl Future<Output = ()> + 'static) {
    match use_context::<PageTasks>() {
        Some(PageTasks(owner)) => owner.with(|| leptos::task::spawn_local_scoped_with_cancellation(task)),
        None => leptos::task::spawn_local_scoped_with_cancellation(task),
    }
}

/// Runs `task` until it finishes or the current reactive owner is cleaned up: in an effect,
/// when the effect runs again. For loads whose newer run must win (a list following the
/// address), so a slow answer for an old filter never replaces the new one.
pub fn spawn_for_this_run(task: impl Future<Output = ()> + 'static) {
    leptos::task::spawn_local_scoped_with_cancellation(task);
}
