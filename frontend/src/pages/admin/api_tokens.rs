//! `/admin/api-tokens`: every API token in the organisation, whose it is and what it may do,
//! with a way to revoke any of them at once.

use crate::tasks::spawn;
use api_types::{ApiToken, ApiTokenList, PermissionArea, PermissionLevel, Problem, User};
use leptos::prelude::*;

use crate::api;
use crate::directory::all_users;
use crate::dom;
use crate::forms::{BANNER_ID, ErrorSummary, FormErrors, SuccessBanner, describe};
use crate::pages::admin::permission_labels::summary;
use crate::pages::problem::NoAccess;
use crate::session::Session;
use crate::table::{ACTIONS, Column, Table, column};
use crate::time;

const ALL_API_TOKENS_COLUMNS: &[Column] = &[
    column("Name"),
    column("Owner"),
    column("May"),
    column("Expires"),
    column("Last used"),
    column("Status"),
    ACTIONS,
];

#[component]
pub fn AllApiTokens() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("API tokens", errors.with(|e| !e.is_empty())));
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let tokens = RwSignal::new(None::<Result<ApiTokenList, Problem>>);
    let users = RwSignal::new(Vec::<User>::new());
    let flash = RwSignal::new(None::<String>);
    let reload = move || {
        spawn(async move {
            let result = api::tokens::all().await;
            if let Err(problem) = &result {
                session.notice(problem);
            }
            tokens.set(Some(result));
        })
    };
    reload();
    spawn(async move { users.set(all_users(session).await) });
    let owner = move |token: &ApiToken| {
        let id = token.owner_id;
        users.with(|all| {
            all.iter().find(|u| u.id == id).map_or_else(|| "Unknown user".to_owned(), |u| u.display_name.clone())
        })
    };
    let revoke = move |token: ApiToken| {
        spawn(async move {
            match api::tokens::revoke(token.id).await {
                Ok(()) => {
                    flash.set(Some(format!("The token ‘{}’ has been revoked", token.name)));
                    dom::focus_soon(BANNER_ID);
                    reload();
                }
                Err(problem) => {
                    session.show_failure(errors, &problem);
                }
            }
        });
    };
    let can_revoke = level >= PermissionLevel::ReadWrite;
    let list = move || match tokens.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="govuk-body">"Nobody has an API token."</p> }.into_any()
        }
        Some(Ok(list)) => {
            let rows = list
                .items
                .into_iter()
                .map(|token| {
                    let (expires, expires_iso) = time::date(&token.expires_at);
                    let used = token.last_used_at.as_ref().map(time::date_time);
                    let status = if token.revoked_at.is_some() {
                        "Revoked"
                    } else if token.active {
                        "Active"
                    } else {
                        "Expired"
                    };
                    let who = {
                        let token = token.clone();
                        move || owner(&token)
                    };
                    let name = token.name.clone();
                    let target = token.clone();
                    view! {
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header app-wrap-anywhere">{token.name.clone()}</th>
                            <td class="govuk-table__cell app-wrap-anywhere">{who}</td>
                            <td class="govuk-table__cell">{summary(&token.scopes)}</td>
                            <td class="govuk-table__cell"><time datetime=expires_iso>{expires}</time></td>
                            <td class="govuk-table__cell">
                                {match used {
                                    Some((text, iso)) => view! { <time datetime=iso>{text}</time> }.into_any(),
                                    None => view! { "Never" }.into_any(),
                                }}
                            </td>
                            <td class="govuk-table__cell">{status}</td>
                            <td class="govuk-table__cell">
                                {(can_revoke && token.active).then(|| view! {
                                    <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                                        data-module="govuk-button" on:click=move |_| revoke(target.clone())>
                                        "Revoke"<span class="govuk-visually-hidden">" "{name.clone()}</span>
                                    </button>
                                })}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <Table id="all-api-tokens" caption="API tokens" columns=ALL_API_TOKENS_COLUMNS>
                    {rows}
                </Table>
            }
            .into_any()
        }
    };
    view! {
        {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
        <ErrorSummary errors=Signal::from(errors)/>
        <h1 class="govuk-heading-l">"API tokens"</h1>
        <p class="govuk-body">"Every token in the organisation. A token can do no more than its owner can; revoking one stops it at once."</p>
        {list}
    }
    .into_any()
}
