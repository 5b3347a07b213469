//! `/notifications`: the signed-in officer's notifications (assigned to them, or shared with
//! them), newest first. Opening one marks it read; "Mark as read" does so without opening.
//! The header's "Notifications (n unread)" link is [`NotificationsLink`].

use api_types::{Notification, NotificationKind, NotificationPage, SubjectKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_query_map};

use crate::api;
use crate::directory::Directory;
use crate::dom;
use crate::forms::describe;
use crate::pages::pagination::Pagination;
use crate::session::Session;
use crate::time;

/// How many unread notifications the header shows; pages that read some ask it to look again.
#[derive(Clone, Copy, Debug)]
pub struct Unread(pub RwSignal<Option<u64>>);

impl Unread {
    pub fn refresh(self, session: Session) {
        spawn_local(async move {
            if let Ok(page) = api::get::<NotificationPage>("/api/v1/notifications?limit=1").await {
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
    view! { <a class="app-header-account__link" href="/notifications" id="notifications-link">{text}</a> }
}

/// Notifications per page, newest first; older ones are a "Older notifications" link away.
const PAGE_SIZE: u32 = 50;

/// Opens the server-sent event stream; each `notification` event refreshes the unread count.
/// The browser reconnects when the server ends a stream (every few minutes, so the session is
/// checked again) and gives up when the session has ended (the server answers 401).
fn listen_for_notifications(unread: Unread, session: Session) {
    use wasm_bindgen::{JsCast, closure::Closure};
    let Ok(source) = web_sys::EventSource::new("/api/v1/notifications/stream") else { return };
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
    let directory = Directory::load(session);
    let list = RwSignal::new(None::<Result<Vec<Notification>, String>>);
    let older = RwSignal::new(None::<String>);
    // The page is in the address (`?cursor=`), so "Older notifications" is a link like any other.
    let query = use_query_map();
    let cursor = Memo::new(move |_| query.with(|q| q.get("cursor")));
    Effect::new(move |_| {
        let cursor = cursor.get();
        list.set(None);
        spawn_local(async move {
            let mut path = format!("/api/v1/notifications?limit={PAGE_SIZE}");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={}", api::query_value(cursor)));
            }
            match api::get::<NotificationPage>(&path).await {
                Ok(page) => {
                    older.set(page.next_cursor.map(|c| format!("/notifications?cursor={}", api::query_value(&c))));
                    list.set(Some(Ok(page.items)));
                }
                Err(problem) => {
                    session.notice(&problem);
                    list.set(Some(Err(describe(&problem))));
                }
            }
        });
    });
    let mark_read = move |id: uuid::Uuid| {
        spawn_local(async move {
            if api::post_empty(&format!("/api/v1/notifications/{id}/read")).await.is_ok() {
                let now = time::from_millis(time::now_millis());
                // The officer may have followed the link: the list may be gone by now.
                list.try_update(|l| {
                    if let Some(Ok(items)) = l {
                        for n in items.iter_mut().filter(|n| n.id == id) {
                            n.read_at = now;
                        }
                    }
                });
                if let Some(unread) = unread {
                    unread.refresh(session);
                }
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
            let items = items.into_iter().map(|n| view! { <Item n directory mark_read/> }).collect_view();
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
        <h1 class="govuk-heading-l">"Notifications"</h1>
        {body}
        {pagination}
    }
}

#[component]
fn Item<F>(n: Notification, directory: Directory, mark_read: F) -> impl IntoView
where
    F: Fn(uuid::Uuid) + Copy + Send + Sync + 'static,
{
    let (at, iso) = time::date_time(&n.created_at);
    let what = match n.subject_kind {
        SubjectKind::Query => "a query",
        SubjectKind::Customer => "a customer",
    };
    let sender = n.sender_id;
    let who = move || sender.map_or_else(|| "Casedesk".to_owned(), |id| directory.user_name(id));
    let headline = move || match n.kind {
        NotificationKind::Assigned => format!("{} assigned you {what}", who()),
        NotificationKind::Shared => format!("{} shared {what} with you", who()),
    };
    let id = n.id;
    let unread = n.read_at.is_none();
    let link_text = match n.subject_kind {
        SubjectKind::Query => "Open the query",
        SubjectKind::Customer => "Open the customer",
    };
    // Only app-internal links are followed: the link comes from the server, but a
    // notification should never send an officer off-site.
    let href = if n.link.starts_with('/') && !n.link.starts_with("//") { n.link.clone() } else { "/".to_owned() };
    view! {
        <li class="govuk-!-margin-bottom-6 app-notification">
            <h2 class="govuk-heading-s govuk-!-margin-bottom-1">
                {unread.then(|| view! { <strong class="govuk-tag govuk-tag--blue govuk-!-margin-right-2">"Unread"</strong> })}
                {headline}
            </h2>
            <p class="govuk-body-s govuk-!-margin-bottom-1"><time datetime=iso>{at}</time></p>
            {n.message.clone().map(|m| view! { <p class="govuk-body govuk-!-margin-bottom-1 app-wrap-anywhere app-pre-line">{m}</p> })}
            <p class="govuk-body govuk-!-margin-bottom-0">
                <a class="govuk-link" href=href on:click=move |_| if unread { mark_read(id) }>{link_text}</a>
                {unread.then(|| view! {
                    " "
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-3"
                        data-module="govuk-button" on:click=move |_| mark_read(id)>
                        "Mark as read"<span class="govuk-visually-hidden">": "{headline}</span>
                    </button>
                })}
            </p>
        </li>
    }
}
