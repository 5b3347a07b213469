//! `/notifications`: the signed-in officer's notifications (assigned to them, or shared with
//! them), newest first. Opening one marks it read; "Mark as read" does so without opening.
//! The header's "Notifications (n unread)" link is [`NotificationsLink`].

use crate::tasks::{spawn, spawn_for_this_run};
use api_types::{Notification, NotificationKind, SubjectKind};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api::{self, Params};
use crate::dom;
use crate::forms::{SuccessBanner, describe};
use crate::pages::pagination::Pagination;
use crate::session::Session;
use crate::time;

/// How many unread notifications the header shows; pages that read some ask it to look again.
#[derive(Clone, Copy, Debug)]
pub struct Unread(pub RwSignal<Option<u64>>);

impl Unread {
    pub fn refresh(self, session: Session) {
        spawn(async move {
            if let Ok(page) = api::notifications::list(&Params::limit(1)).await {
                self.0.set(Some(page.unread));
            } else if session.me_untracked().is_none() {
                self.0.set(None);
            }
        });
    }
}

/// The header link, counted again on every change of page and whenever the server's live
/// stream says a notification has arrived (a colleague assigned or shared something).
#[component]
pub fn NotificationsLink() -> impl IntoView {
    let session = Session::expect();
    let unread = use_context::<Unread>().unwrap_or(Unread(RwSignal::new(None)));
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        unread.refresh(session);
    });
    listen_for_notifications(unread, session);
    let text = move || match unread.0.get() {
        Some(n) => format!("Notifications ({n} unread)"),
        None => "Notifications".to_owned(),
    };
    // Said politely to screen readers when more arrive (not on every page's recount).
    let announcement = RwSignal::new(String::new());
    Effect::new(move |before: Option<Option<u64>>| {
        let now = unread.0.get();
        if let (Some(Some(was)), Some(now)) = (before, now)
            && now > was
        {
            announcement.set(if now == 1 {
                "1 unread notification".to_owned()
            } else {
                format!("{now} unread notifications")
            });
        }
        now
    });
    view! {
        <a class="app-header-account__link" href="/notifications" id="notifications-link">{text}</a>
        <span class="govuk-visually-hidden" aria-live="polite" id="notifications-announcement">{move || announcement.get()}</span>
    }
}

/// Notifications per page, newest first; older ones are a "Older notifications" link away.
const PAGE_SIZE: u32 = 50;

/// Opens the server-sent event stream; each `notification` event refreshes the unread count.
/// The browser reconnects when the server ends a stream (every few minutes, so the session is
/// checked again) and gives up when the session has ended (the server answers 401).
fn listen_for_notifications(unread: Unread, session: Session) {
    use wasm_bindgen::{JsCast, closure::Closure};
    let Ok(source) = web_sys::EventSource::new(&api::notifications::stream_url()) else { return };
    let on_notification = Closure::<dyn Fn()>::new(move || unread.refresh(session));
    if source.add_event_listener_with_callback("notification", on_notification.as_ref().unchecked_ref()).is_err() {
        source.close();
        return;
    }
    // Both live as long as the header link; closing the stream ends the callbacks.
    let held = StoredValue::new_local((source, on_notification));
    on_cleanup(move || {
        held.try_with_value(|(source, _)| source.close());
    });
}

#[component]
pub fn Notifications() -> impl IntoView {
    let session = Session::expect();
    dom::set_title("Notifications", false);
    let unread = use_context::<Unread>();
    let list = RwSignal::new(None::<Result<Vec<Notification>, String>>);
    let older = RwSignal::new(None::<String>);
    // The page is in the address (`?cursor=`), so "Older notifications" is a link like any other.
    let query = use_query_map();
    let cursor = Memo::new(move |_| query.with(|q| q.get("cursor")));
    // The newest page follows the header's count, which the live stream keeps up to date: a
    // notification arriving while the page is open joins the list.
    let live = Memo::new(move |_| unread.and_then(|u| u.0.get()));
    Effect::new(move |before: Option<Option<String>>| {
        let cursor = cursor.get();
        if cursor.is_none() {
            // Read, not just `track()`ed: a memo that was never read has not subscribed to
            // what it derives from, so tracking it alone would never see a change.
            let _ = live.get();
        }
        if before.as_ref() != Some(&cursor) {
            list.set(None);
        }
        let shown = cursor.clone();
        spawn_for_this_run(async move {
            match api::notifications::list(&Params::limit(PAGE_SIZE).after(cursor.as_deref())).await {
                Ok(page) => {
                    older.set(page.next_cursor.map(|c| format!("/notifications?cursor={}", dom::url_encode(&c))));
                    list.set(Some(Ok(page.items)));
                }
                Err(problem) => {
                    session.notice(&problem);
                    list.set(Some(Err(describe(&problem))));
                }
            }
        });
        shown
    });
    let all_read = RwSignal::new(None::<String>);
    let mark_all = move |_| {
        spawn(async move {
            match api::notifications::mark_all_read().await {
                Ok(()) => {
                    let now = time::from_millis(time::now_millis());
                    list.update(|l| {
                        if let Some(Ok(items)) = l {
                            for n in items.iter_mut().filter(|n| n.read_at.is_none()) {
                                n.read_at = now;
                            }
                        }
                    });
                    all_read.set(Some("All your notifications are marked as read".to_owned()));
                    dom::focus_soon(crate::forms::BANNER_ID);
                    if let Some(unread) = unread {
                        unread.refresh(session);
                    }
                }
                Err(problem) => {
                    session.notice(&problem);
                    all_read.set(Some(describe(&problem)));
                }
            }
        });
    };
    let any_unread = move || list.with(|l| matches!(l, Some(Ok(items)) if items.iter().any(|n| n.read_at.is_none())));
    // Following an unread notification's link marks it read first and then goes there, so the
    // header's count (read again on every page change) already leaves it out: marked on the
    // way, the page's task ended with the page and the count could still show it.
    let navigate = StoredValue::new_local(use_navigate());
    let mark_read = move |id: uuid::Uuid, then_open: Option<String>| {
        spawn(async move {
            if api::notifications::mark_read(id).await.is_ok() {
                let now = time::from_millis(time::now_millis());
                list.try_update(|l| {
                    if let Some(Ok(items)) = l {
                        for n in items.iter_mut().filter(|n| n.id == id) {
                            n.read_at = now;
                        }
                    }
                });
                if let (Some(unread), None) = (unread, &then_open) {
                    unread.refresh(session);
                }
            }
            if let Some(href) = then_open {
                navigate.with_value(|navigate| navigate(&href, Default::default()));
            }
        });
    };
    let body = move || match list.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="govuk-body">"You have no notifications."</p> }.into_any()
        }
        Some(Ok(items)) => {
            let items = items.into_iter().map(|n| view! { <Item n mark_read/> }).collect_view();
            view! { <ul class="govuk-list" id="notifications">{items}</ul> }.into_any()
        }
    };
    let pagination = move || {
        let first = cursor.with(Option::is_some).then(|| "/notifications".to_owned());
        view! {
            <Pagination next=older.get() first label="Pages of notifications"
                next_text="Older notifications" first_text="Newest notifications"/>
        }
    };
    view! {
        {move || all_read.get().map(|message| view! { <SuccessBanner message/> })}
        <h1 class="govuk-heading-l">"Notifications"</h1>
        {move || any_unread().then(|| view! {
            <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                on:click=mark_all>"Mark all as read"</button>
        })}
        {body}
        {pagination}
    }
}

/// What the notification is about: "Q-000123 Council tax bill", a customer's name, or (when the
/// officer may no longer see it) "a query".
fn subject_name(n: &Notification) -> String {
    n.subject_title.clone().unwrap_or_else(|| match n.subject_kind {
        SubjectKind::Query => "a query".to_owned(),
        SubjectKind::Customer => "a customer".to_owned(),
        SubjectKind::Team => "your team".to_owned(),
    })
}

/// "Olive Officer shared Q-000123 Council tax bill with you".
pub fn headline(n: &Notification) -> String {
    let what = subject_name(n);
    let who = match (n.sender_id, &n.sender_name) {
        (None, _) => "Casedesk".to_owned(),
        (Some(_), Some(name)) => name.clone(),
        (Some(_), None) => "A colleague".to_owned(),
    };
    match n.kind {
        NotificationKind::Assigned => format!("{who} assigned you {what}"),
        NotificationKind::Shared => format!("{who} shared {what} with you"),
        NotificationKind::DueSoon => format!("{what} is due soon"),
        NotificationKind::Overdue => format!("{what} is overdue"),
        NotificationKind::Escalated => format!("{what} was escalated to your team"),
        NotificationKind::Digest => format!("Overdue work for {what}"),
        NotificationKind::DocumentQuarantined => format!("A document of {what} was quarantined"),
    }
}

#[component]
fn Item<F>(n: Notification, mark_read: F) -> impl IntoView
where
    F: Fn(uuid::Uuid, Option<String>) + Copy + Send + Sync + 'static,
{
    let (at, iso) = time::date_time(&n.created_at);
    let what = subject_name(&n);
    let headline = headline(&n);
    let id = n.id;
    let unread = n.read_at.is_none();
    let link_text = match n.subject_kind {
        SubjectKind::Query => "Open the query",
        SubjectKind::Customer => "Open the customer",
        SubjectKind::Team => "Open the team's queries",
    };
    // Only app-internal links are followed: the link comes from the server, but a
    // notification should never send an officer off-site.
    let href = if n.link.starts_with('/') && !n.link.starts_with("//") { n.link.clone() } else { "/".to_owned() };
    let hidden = headline.clone();
    view! {
        <li class="govuk-!-margin-bottom-6 app-notification">
            <h2 class="govuk-heading-s govuk-!-margin-bottom-1">
                {unread.then(|| view! { <strong class="govuk-tag govuk-tag--blue govuk-!-margin-right-2">"Unread"</strong> })}
                {headline.clone()}
            </h2>
            <p class="govuk-body-s govuk-!-margin-bottom-1"><time datetime=iso>{at}</time></p>
            {n.message.clone().map(|m| view! { <p class="govuk-body govuk-!-margin-bottom-1 app-wrap-anywhere app-pre-line">{m}</p> })}
            <p class="govuk-body govuk-!-margin-bottom-0">
                <a class="govuk-link" href=href.clone() on:click=move |ev| {
                    // A plain click; one that opens a new tab leaves this page as it is.
                    let plain = !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) && ev.button() == 0;
                    if unread && plain {
                        ev.prevent_default();
                        mark_read(id, Some(href.clone()));
                    }
                }>
                    {link_text}<span class="govuk-visually-hidden">": "{what.clone()}</span>
                </a>
                {unread.then(|| view! {
                    " "
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 app-beside-link"
                        data-module="govuk-button" on:click=move |_| mark_read(id, None)>
                        "Mark as read"<span class="govuk-visually-hidden">": "{hidden.clone()}</span>
                    </button>
                })}
            </p>
        </li>
    }
}
