//! The page frame: skip link, header (service name, account, sign out), service navigation and
//! footer. Casedesk is not on GOV.UK, so it uses the generic header: no crown, no GOV.UK logo.

use crate::tasks::spawn;
use api_types::{PermissionArea, PermissionLevel};
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_location, use_navigate},
};

use crate::api;
use crate::dom;
use crate::pages::notifications::NotificationsLink;
use crate::pages::queries::queue_filter::last_view_href;
use crate::session::{Auth, Session};

/// The first focusable element on every page.
#[component]
pub fn SkipLink() -> impl IntoView {
    let on_click = |ev: leptos::ev::MouseEvent| {
        // The router would treat "#main-content" as a navigation and only scroll; move focus too.
        ev.prevent_default();
        dom::focus_now("main-content");
    };
    view! { <a href="#main-content" class="govuk-skip-link" on:click=on_click>"Skip to main content"</a> }
}

#[component]
pub fn Header() -> impl IntoView {
    let session = Session::expect();
    let signed_in = Memo::new(move |_| session.me().map(|me| (me.user.display_name, me.tenant.name)));
    view! {
        <header class="govuk-template__header">
            <div class="govuk-generic-header">
                <div class="govuk-generic-header__container govuk-width-container app-header__container">
                    <div class="govuk-generic-header__logo">
                        <a href="/" class="govuk-generic-header__homepage-link">"Casedesk"</a>
                    </div>
                    {move || signed_in.get().map(|(name, tenant)| view! { <Account name tenant/> })}
                </div>
            </div>
            {move || signed_in.with(Option::is_some).then(|| view! { <ServiceNavigation/> })}
        </header>
    }
}

/// Who is signed in, to which tenant, and the sign-out button.
#[component]
fn Account(name: String, tenant: String) -> impl IntoView {
    let session = Session::expect();
    let navigate = use_navigate();
    let pending = RwSignal::new(false);
    let sign_out = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn(async move {
            match api::auth::sign_out().await {
                // 401: the session had already ended, which is what the user wanted.
                Ok(()) => {}
                Err(problem) if problem.status == 401 => {}
                Err(problem) => {
                    // Still signed in as far as we know; the page says the service has a problem.
                    session.auth.set(Auth::Unavailable(problem));
                    pending.set(false);
                    return;
                }
            }
            session.auth.set(Auth::SignedOut);
            navigate("/sign-in", NavigateOptions::default());
        });
    };
    view! {
        <div class="app-header-account">
            <span class="app-wrap-anywhere">
                <span class="govuk-visually-hidden">"Signed in as "</span>
                <strong>{name}</strong>
                ", "
                {tenant}
            </span>
            <NotificationsLink/>
            <button type="button" class="app-header-account__sign-out" on:click=sign_out>"Sign out"</button>
        </div>
    }
}

/// Home, Customers and Queries (the work queue) for those who may see them, and Users for
/// administrators; the current section is marked for all users.
#[component]
fn ServiceNavigation() -> impl IntoView {
    let session = Session::expect();
    let location = use_location();
    let can_see_users = Memo::new(move |_| {
        session.me().is_some_and(|me| me.level(PermissionArea::Administration) >= PermissionLevel::Read)
    });
    let can_see_customers =
        Memo::new(move |_| session.me().is_some_and(|me| me.level(PermissionArea::Customers) >= PermissionLevel::Read));
    let customers_section = Memo::new(move |_| {
        let path = location.pathname.get();
        path == "/customers" || path.starts_with("/customers/")
    });
    let customers_current = Memo::new(move |_| location.pathname.get() == "/customers");
    let can_see_queries =
        Memo::new(move |_| session.me().is_some_and(|me| me.level(PermissionArea::Queries) >= PermissionLevel::Read));
    let queries_section = Memo::new(move |_| {
        let path = location.pathname.get();
        path == "/queries" || path.starts_with("/queries/")
    });
    let queries_current = Memo::new(move |_| location.pathname.get() == "/queries");
    let home_current = Memo::new(move |_| location.pathname.get() == "/");
    let users_section = Memo::new(move |_| {
        let path = location.pathname.get();
        path == "/users" || path.starts_with("/users/")
    });
    let can_administer = Memo::new(move |_| {
        session.me().is_some_and(|me| me.level(PermissionArea::Administration) >= PermissionLevel::ReadWrite)
    });
    let sessions_current = Memo::new(move |_| location.pathname.get() == "/admin/sessions");
    let entra_current = Memo::new(move |_| location.pathname.get() == "/admin/entra");
    let groups_section = Memo::new(move |_| location.pathname.get().starts_with("/admin/groups"));
    let teams_section = Memo::new(move |_| location.pathname.get().starts_with("/admin/teams"));
    let types_current = Memo::new(move |_| location.pathname.get() == "/admin/query-types");
    let calendars_current = Memo::new(move |_| location.pathname.get() == "/admin/calendars");
    let jobs_current = Memo::new(move |_| location.pathname.get() == "/admin/jobs");
    let service_levels_current = Memo::new(move |_| location.pathname.get().starts_with("/admin/service-levels"));
    let workflows_current = Memo::new(move |_| location.pathname.get().starts_with("/admin/workflows"));
    let tokens_current = Memo::new(move |_| location.pathname.get() == "/admin/api-tokens");
    let admin_current = Memo::new(move |_| location.pathname.get() == ADMIN_HOME);
    let admin_section = Memo::new(move |_| {
        let path = location.pathname.get();
        path == ADMIN_HOME || path.starts_with("/admin/") || users_section.get()
    });
    // The queue opens on the officer's last view; read again on every page change, so a filter
    // just applied is where "Queries" leads.
    let queue_href = Signal::derive(move || {
        // Read (not only tracked): see the notifications page on memos that were never read.
        let _ = (location.pathname.get(), location.search.get());
        session.me().map_or_else(|| "/queries".to_owned(), |me| last_view_href(me.user.id))
    });
    view! {
        <section aria-label="Service information" class="govuk-service-navigation">
            <div class="govuk-width-container">
                <div class="govuk-service-navigation__container">
                    <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
                        <ul class="govuk-service-navigation__list" id="navigation">
                            <NavItem href="/" text="Home" active=home_current.into() current=home_current.into()/>
                            {move || can_see_queries.get().then(|| view! {
                                <NavItem href=queue_href text="Queries" active=queries_section.into()
                                    current=queries_current.into()/>
                            })}
                            {move || can_see_customers.get().then(|| view! {
                                <NavItem href="/customers" text="Customers" active=customers_section.into()
                                    current=customers_current.into()/>
                            })}
                            // Administration is one item: its pages have their own menu (below).
                            {move || can_see_users.get().then(|| view! {
                                <NavItem href=ADMIN_HOME text="Administration" active=admin_section.into()
                                    current=admin_current.into()/>
                            })}
                        </ul>
                    </nav>
                    <HeaderSearch/>
                </div>
            </div>
        </section>
        {move || (admin_section.get() && can_see_users.get()).then(|| view! {
            <div class="govuk-width-container">
                <nav class="moj-sub-navigation govuk-!-margin-top-4 govuk-!-margin-bottom-0" aria-label="Administration">
                    <ul class="moj-sub-navigation__list">
                        <SubNavItem href="/users" text="Users" current=users_section.into()/>
                        <SubNavItem href="/admin/groups" text="Groups" current=groups_section.into()/>
                        <SubNavItem href="/admin/sessions" text="Sessions" current=sessions_current.into()/>
                        <SubNavItem href="/admin/entra" text="Entra ID" current=entra_current.into()/>
                        {move || can_administer.get().then(|| view! {
                            <SubNavItem href="/admin/teams" text="Teams" current=teams_section.into()/>
                            <SubNavItem href="/admin/query-types" text="Query types" current=types_current.into()/>
                            <SubNavItem href="/admin/workflows" text="Workflows" current=workflows_current.into()/>
                        })}
                        <SubNavItem href="/admin/calendars" text="Calendars" current=calendars_current.into()/>
                        <SubNavItem href="/admin/service-levels" text="Service levels" current=service_levels_current.into()/>
                        <SubNavItem href="/admin/jobs" text="Scheduled jobs" current=jobs_current.into()/>
                        <SubNavItem href="/admin/api-tokens" text="API tokens" current=tokens_current.into()/>
                    </ul>
                </nav>
            </div>
        })}
    }
}

/// Where "Administration" leads: the list of administration pages.
pub const ADMIN_HOME: &str = "/admin";

/// One item of the administration menu (MoJ sub navigation).
#[component]
fn SubNavItem(href: &'static str, text: &'static str, current: Signal<bool>) -> impl IntoView {
    view! {
        <li class="moj-sub-navigation__item">
            <a class="moj-sub-navigation__link" href=href aria-current=move || current.get().then_some("page")>{text}</a>
        </li>
    }
}

/// The id of the header's search box (the `/` shortcut focuses it).
pub const HEADER_SEARCH_ID: &str = "header-search";

/// "Search": a query reference opens that query; anything else lists matching queries and
/// customers (`/search`).
#[component]
fn HeaderSearch() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = text.get_untracked().trim().to_owned();
        if q.is_empty() {
            dom::focus_now(HEADER_SEARCH_ID);
            return;
        }
        text.set(String::new());
        navigate(&format!("/search?q={}", dom::url_encode(&q)), NavigateOptions::default());
    };
    view! {
        <form class="app-header-search" role="search" action="/search" method="get" on:submit=submit>
            <label class="govuk-label govuk-visually-hidden" for=HEADER_SEARCH_ID>"Search queries, customers and documents"</label>
            <span class="govuk-visually-hidden" id="header-search-hint">"A reference such as Q-001234 opens that query; a name, email, phone or postcode lists what matches"</span>
            <input class="govuk-input app-header-search__input" id=HEADER_SEARCH_ID name="q" type="search"
                placeholder="Reference, name, email or postcode" spellcheck="false" autocomplete="off"
                aria-keyshortcuts="/" aria-describedby="header-search-hint" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            <button type="submit" class="govuk-button govuk-button--secondary app-header-search__button" data-module="govuk-button">
                "Search"<span class="govuk-visually-hidden">" queries and customers"</span>
            </button>
        </form>
    }
}

/// One service navigation link. `active`: in this section; `current`: on this very page.
#[component]
fn NavItem(
    #[prop(into)] href: Signal<String>,
    text: &'static str,
    active: Signal<bool>,
    current: Signal<bool>,
) -> impl IntoView {
    let item_class = move || {
        if active.get() {
            "govuk-service-navigation__item govuk-service-navigation__item--active"
        } else {
            "govuk-service-navigation__item"
        }
    };
    let aria_current = move || match (current.get(), active.get()) {
        (true, _) => Some("page"),
        (false, true) => Some("true"),
        (false, false) => None,
    };
    view! {
        <li class=item_class>
            <a class="govuk-service-navigation__link" href=move || href.get() aria-current=aria_current>
                // Bold text marks the active item even where colours are overridden.
                {move || if active.get() {
                    view! { <strong class="govuk-service-navigation__active-fallback">{text}</strong> }.into_any()
                } else {
                    text.into_any()
                }}
            </a>
        </li>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="govuk-template__footer">
            <div class="govuk-footer">
                <div class="govuk-width-container">
                    <div class="govuk-footer__meta">
                        <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                            <p class="govuk-body-s govuk-!-margin-bottom-0">"Casedesk case management"</p>
                            <p class="govuk-body-s govuk-!-margin-bottom-0">
                                <a class="govuk-footer__link" href=crate::shortcuts::HELP_PATH>"Keyboard shortcuts"</a>
                            </p>
                        </div>
                    </div>
                </div>
            </div>
        </footer>
    }
}
