//! `/account/api-tokens`: the signed-in user's API tokens. A new token's secret is shown once,
//! on this page, right after it is created; after that only its name, scope and dates.

use crate::tasks::spawn;
use api_types::{
    ApiToken, ApiTokenList, CreateApiTokenRequest, CreatedApiToken, Permission, PermissionArea, PermissionLevel,
    Problem,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::dom;
use crate::forms::{
    ErrorSummary, FormErrors, RadioOption, Radios, Select, SubmitOrCancel, SuccessBanner, TextInput, describe,
    focus_error_summary,
};
use crate::pages::admin::permission_labels::{AREAS, LEVELS, area_field, area_label, level_label, summary};
use crate::session::Session;
use crate::table::{ACTIONS, Caption, Column, Table, column};

const LIFETIMES: [(&str, &str); 4] = [("30", "30 days"), ("90", "90 days"), ("180", "180 days"), ("366", "A year")];

const API_TOKENS_COLUMNS: &[Column] =
    &[column("Name"), column("May"), column("Expires"), column("Last used"), column("Status"), ACTIONS];

#[component]
pub fn ApiTokens() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Your API tokens", errors.with(|e| !e.is_empty())));
    let tokens = RwSignal::new(None::<Result<ApiTokenList, Problem>>);
    let reload = move || {
        spawn(async move {
            let result = api::tokens::mine().await;
            if let Err(problem) = &result {
                session.notice(problem);
            }
            tokens.set(Some(result));
        })
    };
    reload();
    let created = RwSignal::new(None::<CreatedApiToken>);
    let flash = RwSignal::new(None::<String>);
    let my_level =
        move |area: PermissionArea| session.me_untracked().map_or(PermissionLevel::None, |me| me.level(area));

    let name = RwSignal::new(String::new());
    let lifetime = RwSignal::new("90".to_owned());
    // Offered only up to the user's own level in each area: a token never does more.
    let levels: Vec<(PermissionArea, RwSignal<Option<PermissionLevel>>)> =
        AREAS.iter().map(|area| (*area, RwSignal::new(Some(PermissionLevel::None)))).collect();
    let pending = RwSignal::new(false);
    let scopes_now = {
        let levels = levels.clone();
        move || -> Vec<Permission> {
            levels
                .iter()
                .filter_map(|(area, level)| {
                    let level = level.get_untracked().unwrap_or(PermissionLevel::None);
                    (level > PermissionLevel::None).then_some(Permission { area: *area, level, own_teams: false })
                })
                .collect()
        }
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = CreateApiTokenRequest {
            name: name.get_untracked().trim().to_owned(),
            scopes: scopes_now(),
            expires_in_days: lifetime.get_untracked().parse().ok(),
        };
        if request.name.is_empty() {
            errors.set(FormErrors::field("name", "Enter a name for the token"));
            focus_error_summary();
            return;
        }
        pending.set(true);
        spawn(async move {
            match api::tokens::create_mine(&request).await {
                Ok(token) => {
                    errors.set(FormErrors::default());
                    name.set(String::new());
                    created.set(Some(token));
                    dom::focus_soon("new-token");
                    reload();
                }
                Err(problem) => {
                    session.notice(&problem);
                    let mut order = vec!["name", "expires_in_days"];
                    order.extend(AREAS.map(area_field));
                    errors.set(FormErrors::from_problem(&problem, &order));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let revoke = move |token: ApiToken| {
        spawn(async move {
            match api::tokens::revoke_mine(token.id).await {
                Ok(()) => {
                    flash.set(Some(format!("The token ‘{}’ has been revoked", token.name)));
                    dom::focus_soon(crate::forms::BANNER_ID);
                    reload();
                }
                Err(problem) => {
                    session.show_failure(errors, &problem);
                }
            }
        });
    };
    let errors_signal = Signal::from(errors);
    let radios = levels
        .iter()
        .filter(|(area, _)| my_level(*area) > PermissionLevel::None)
        .map(|(area, level)| {
            let options = LEVELS
                .iter()
                .filter(|l| **l <= my_level(*area))
                .map(|l| RadioOption { value: *l, label: level_label(*l).to_owned(), hint: None })
                .collect();
            view! { <Radios name=area_field(*area) legend=area_label(*area) options value=*level errors=errors_signal inline=true/> }
        })
        .collect_view();
    let list = move || match tokens.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="govuk-body">"You have no API tokens."</p> }.into_any()
        }
        Some(Ok(list)) => {
            let rows = list.items.into_iter().map(|token| view! { <TokenRow token revoke/> }).collect_view();
            view! {
                <Table id="api-tokens" caption="Your tokens" caption_size=Caption::Medium columns=API_TOKENS_COLUMNS>
                    {rows}
                </Table>
            }
            .into_any()
        }
    };
    let lifetimes = Signal::derive(|| {
        LIFETIMES.iter().map(|(value, label)| ((*value).to_owned(), (*label).to_owned())).collect::<Vec<_>>()
    });
    view! {
        {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors_signal/>
                <h1 class="govuk-heading-l">"Your API tokens"</h1>
                <p class="govuk-body">"A token lets a script or Power BI use Casedesk as you. It can do no more than you can, and no more than you allow it below. Send it as " <code>"Authorization: Bearer"</code> " followed by the token."</p>
                {move || created.get().map(|token| view! {
                    <div class="govuk-panel govuk-panel--confirmation" id="new-token" tabindex="-1">
                        <h2 class="govuk-panel__title">"Token created"</h2>
                        <div class="govuk-panel__body">
                            "Copy it now: you will not see it again."<br/>
                            <code class="app-wrap-anywhere" id="new-token-secret">{token.secret}</code>
                        </div>
                    </div>
                })}
                {list}
                <h2 class="govuk-heading-m">"Create a token"</h2>
                <form method="post" novalidate=true on:submit=submit>
                    <TextInput id="name" label="Name" value=name errors=errors_signal hint="What it is for, for example ‘Power BI reports’" class="govuk-!-width-two-thirds"/>
                    <Select id="expires_in_days" label="Expires after" value=lifetime options=lifetimes errors=errors_signal/>
                    <h3 class="govuk-heading-s">"What it may do"</h3>
                    {radios}
                    <SubmitOrCancel label="Create token" pending cancel="/".to_owned()/>
                </form>
            </div>
        </div>
    }
}

#[component]
fn TokenRow(token: ApiToken, revoke: impl Fn(ApiToken) + Copy + Send + Sync + 'static) -> impl IntoView {
    let (expires, expires_iso) = dom::london_date(token.expires_at.timestamp_millis());
    let used = token.last_used_at.map(|at| dom::london_date(at.timestamp_millis()));
    let status = if token.revoked_at.is_some() {
        ("govuk-tag govuk-tag--grey", "Revoked")
    } else if token.active {
        ("govuk-tag govuk-tag--green", "Active")
    } else {
        ("govuk-tag govuk-tag--grey", "Expired")
    };
    let name = token.name.clone();
    let active = token.active;
    view! {
        <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header app-wrap-anywhere">{token.name.clone()}</th>
            <td class="govuk-table__cell">{summary(&token.scopes)}</td>
            <td class="govuk-table__cell app-nowrap"><time datetime=expires_iso>{expires}</time></td>
            <td class="govuk-table__cell app-nowrap">
                {match used {
                    Some((text, iso)) => view! { <time datetime=iso>{text}</time> }.into_any(),
                    None => view! { "Never" }.into_any(),
                }}
            </td>
            <td class="govuk-table__cell"><strong class=status.0>{status.1}</strong></td>
            <td class="govuk-table__cell">
                {active.then(|| view! {
                    <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-module="govuk-button"
                        on:click=move |_| revoke(token.clone())>
                        "Revoke"<span class="govuk-visually-hidden">" "{name.clone()}</span>
                    </button>
                })}
            </td>
        </tr>
    }
}
