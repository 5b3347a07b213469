//! `/admin/sessions`: who is signed in now, a way to end a session, and the one-session
//! setting (end the other session, or refuse the new sign-in).

use crate::tasks::spawn;
use api_types::{
    AccessSettings, AccessSettingsRequest, LocalSignIn, OneSessionPolicy, PermissionArea, PermissionLevel, Problem,
    SessionInfo, SessionList, User,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::directory::all_users;
use crate::dom;
use crate::forms::{
    BANNER_ID, ErrorSummary, FormErrors, RadioOption, Radios, SuccessBanner, describe, focus_error_summary,
    write_errors,
};
use crate::pages::problem::NoAccess;
use crate::session::Session;
use crate::table::{ACTIONS, Caption, Column, Table, column};
use crate::time;

const SESSIONS_COLUMNS: &[Column] =
    &[column("Who"), column("Signed in"), column("Last active"), column("From"), ACTIONS];

#[component]
pub fn Sessions() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Sessions", errors.with(|e| !e.is_empty())));
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let sessions = RwSignal::new(None::<Result<SessionList, Problem>>);
    let settings = RwSignal::new(None::<AccessSettings>);
    let users = RwSignal::new(Vec::<User>::new());
    let flash = RwSignal::new(None::<String>);
    let reload = move || {
        spawn(async move {
            let result = api::settings::sessions().await;
            if let Err(problem) = &result {
                session.notice(problem);
            }
            sessions.set(Some(result));
        })
    };
    reload();
    spawn(async move {
        match api::settings::access().await {
            Ok(found) => settings.set(Some(found)),
            Err(problem) => session.notice(&problem),
        }
        users.set(all_users(session).await);
    });
    let name_of = move |id: uuid::Uuid| {
        users.with(|all| {
            all.iter().find(|u| u.id == id).map_or_else(|| "Unknown user".to_owned(), |u| u.display_name.clone())
        })
    };
    let end = move |target: SessionInfo| {
        spawn(async move {
            match api::settings::end_session(target.id).await {
                Ok(()) => {
                    flash.set(Some(format!("{}’s session has been ended", name_of(target.user_id))));
                    dom::focus_soon(BANNER_ID);
                    reload();
                }
                Err(problem) => {
                    session.show_failure(errors, &problem);
                }
            }
        });
    };
    let can_end = level >= PermissionLevel::ReadWrite;
    let list = move || match sessions.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any(),
        Some(Ok(list)) => {
            let rows = list
                .items
                .into_iter()
                .map(|s| {
                    let (started, started_iso) = time::date_time(&s.created_at);
                    let (seen, seen_iso) = time::date_time(&s.last_seen_at);
                    let who = move || name_of(s.user_id);
                    let target = s.clone();
                    view! {
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header app-wrap-anywhere">{who}</th>
                            <td class="govuk-table__cell"><time datetime=started_iso>{started}</time></td>
                            <td class="govuk-table__cell"><time datetime=seen_iso>{seen}</time></td>
                            <td class="govuk-table__cell app-wrap-anywhere">{s.from_address.clone().unwrap_or_default()}</td>
                            <td class="govuk-table__cell">
                                {if s.current {
                                    view! { <strong class="govuk-tag govuk-tag--blue">"This session"</strong> }.into_any()
                                } else if can_end {
                                    view! {
                                        <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                                            data-module="govuk-button" on:click=move |_| end(target.clone())>
                                            "End session"<span class="govuk-visually-hidden">" of "{who}</span>
                                        </button>
                                    }
                                    .into_any()
                                } else {
                                    ().into_any()
                                }}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <Table id="sessions" caption="Signed in now" caption_size=Caption::Medium columns=SESSIONS_COLUMNS>
                    {rows}
                </Table>
            }
            .into_any()
        }
    };
    let settings_form = move || {
        settings
            .get()
            .filter(|_| level >= PermissionLevel::Full)
            .map(|found| view! { <OneSessionForm found errors flash/> })
    };
    view! {
        {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-full">
                <ErrorSummary errors=Signal::from(errors)/>
                <h1 class="govuk-heading-l">"Sessions"</h1>
                <p class="govuk-body">"Machines sign in with API tokens instead: see " <a class="govuk-link" href="/admin/api-tokens">"every API token"</a> "."</p>
                {list}
                {settings_form}
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn OneSessionForm(
    found: AccessSettings,
    errors: RwSignal<FormErrors>,
    flash: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = Session::expect();
    let choice = RwSignal::new(Some(found.one_session));
    let local = RwSignal::new(Some(found.local_sign_in));
    let version = RwSignal::new(found.version);
    let pending = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = AccessSettingsRequest {
            one_session: choice.get_untracked().unwrap_or(OneSessionPolicy::EndOthers),
            local_sign_in: local.get_untracked().unwrap_or(LocalSignIn::Everyone),
        };
        pending.set(true);
        spawn(async move {
            match api::settings::set_access(version.get_untracked(), &request).await {
                Ok(saved) => {
                    version.set(saved.version);
                    errors.set(FormErrors::default());
                    flash.set(Some("The sign-in settings have been saved".to_owned()));
                    dom::focus_soon(BANNER_ID);
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(write_errors(&problem, &["one_session", "local_sign_in"], "setting"));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let options = vec![
        RadioOption {
            value: OneSessionPolicy::EndOthers,
            label: "End the other session".to_owned(),
            hint: Some(
                "The other browser is told it was signed out because the person signed in somewhere else".to_owned(),
            ),
        },
        RadioOption {
            value: OneSessionPolicy::Refuse,
            label: "Refuse the new sign-in".to_owned(),
            hint: Some("Until the other session is signed out, idle long enough to end, or ended here".to_owned()),
        },
    ];
    let local_options = vec![
        RadioOption { value: LocalSignIn::Everyone, label: "Everyone with a password".to_owned(), hint: None },
        RadioOption {
            value: LocalSignIn::BreakGlassOnly,
            label: "Break-glass accounts only".to_owned(),
            hint: Some("Everyone else signs in with the organisation’s Microsoft account".to_owned()),
        },
    ];
    view! {
        <form method="post" novalidate=true on:submit=submit>
            <Radios name="one_session" legend="When someone signs in while already signed in elsewhere" options value=choice
                errors=Signal::from(errors)/>
            <Radios name="local_sign_in" legend="Who may sign in with a password" options=local_options value=local
                errors=Signal::from(errors)/>
            <button type="submit" class="govuk-button" data-module="govuk-button"
                aria-disabled=move || pending.get().then_some("true")>"Save settings"</button>
        </form>
    }
}
