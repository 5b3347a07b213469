//! `/admin/entra`: Microsoft Entra ID sign-in for the organisation (directory, app registration,
//! secret, callback, API audience) and which Entra groups and app roles make people members of
//! which groups. Mappings take effect at each person's next sign-in.

use crate::tasks::spawn;
use api_types::{
    EntraClaim, EntraMapping, EntraMappingList, EntraSettings, EntraSettingsRequest, NewEntraMapping, PermissionArea,
    PermissionLevel, Problem,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::dom;
use crate::forms::{
    BANNER_ID, ErrorSummary, FormErrors, RadioOption, Radios, Select, SuccessBanner, TextInput, describe,
    focus_error_summary, write_errors,
};
use crate::pages::problem::NoAccess;
use crate::session::Session;
use crate::table::{ACTIONS, Caption, Column, Table, column};

const SETTINGS_FIELDS: [&str; 5] = ["directory_id", "client_id", "client_secret", "redirect_url", "api_audience"];
const MAPPING_FIELDS: [&str; 3] = ["claim", "value", "group_id"];

const MAPPINGS_COLUMNS: &[Column] = &[column("Claim"), column("Value"), column("Member of"), ACTIONS];

#[component]
pub fn EntraAdmin() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Microsoft Entra ID", errors.with(|e| !e.is_empty())));
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let can_change = level >= PermissionLevel::Full;
    let settings = RwSignal::new(None::<EntraSettings>);
    let mappings = RwSignal::new(None::<Result<EntraMappingList, Problem>>);
    let groups = RwSignal::new(Vec::<(String, String)>::new());
    let flash = RwSignal::new(None::<String>);
    let reload_mappings = move || {
        spawn(async move {
            let result = api::settings::entra_mappings().await;
            if let Err(problem) = &result {
                session.notice(problem);
            }
            mappings.set(Some(result));
        })
    };
    reload_mappings();
    spawn(async move {
        match api::settings::entra().await {
            Ok(found) => settings.set(Some(found)),
            Err(problem) => session.notice(&problem),
        }
        if let Ok(list) = api::users::groups().await {
            let mut options = vec![(String::new(), "Choose a group".to_owned())];
            options.extend(list.items.into_iter().map(|g| (g.id.to_string(), g.name)));
            groups.set(options);
        }
    });
    let remove = move |mapping: EntraMapping| {
        spawn(async move {
            match api::settings::remove_entra_mapping(mapping.id).await {
                Ok(()) => {
                    flash.set(Some(format!(
                        "The mapping of {} to {} has been removed",
                        mapping.value, mapping.group.name
                    )));
                    dom::focus_soon(BANNER_ID);
                    reload_mappings();
                }
                Err(problem) => {
                    session.show_failure(errors, &problem);
                }
            }
        });
    };
    let list = move || {
        match mappings.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="govuk-body" id="no-mappings">"No mappings yet: Entra ID sign-in gives nobody any access until you add one."</p> }
                .into_any()
        }
        Some(Ok(list)) => {
            let rows = list
                .items
                .into_iter()
                .map(|m| {
                    let kind = match m.claim {
                        EntraClaim::Group => "Entra group",
                        EntraClaim::Role => "App role",
                    };
                    let target = m.clone();
                    let label = format!("{} to {}", m.value, m.group.name);
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{kind}</td>
                            <th scope="row" class="govuk-table__header app-wrap-anywhere">{m.value.clone()}</th>
                            <td class="govuk-table__cell">{m.group.name.clone()}</td>
                            <td class="govuk-table__cell">
                                {can_change.then(|| view! {
                                    <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                                        data-module="govuk-button" on:click=move |_| remove(target.clone())>
                                        "Remove"<span class="govuk-visually-hidden">" the mapping of "{label.clone()}</span>
                                    </button>
                                })}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <Table id="mappings" caption="Group and role mappings" caption_size=Caption::Medium columns=MAPPINGS_COLUMNS>
                    {rows}
                </Table>
            }
            .into_any()
        }
    }
    };
    let settings_form = move || settings.get().map(|found| view! { <SettingsForm found can_change errors flash/> });
    view! {
        {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=Signal::from(errors)/>
                <h1 class="govuk-heading-l">"Microsoft Entra ID"</h1>
                <p class="govuk-body">"People sign in with their organisation’s Microsoft account. Their groups and app roles in Entra ID decide which groups they belong to here, checked at every sign-in."</p>
                {settings_form}
                {list}
                {can_change.then(|| view! { <MappingForm groups=Signal::from(groups) errors flash reload=Callback::new(move |()| reload_mappings())/> })}
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn SettingsForm(
    found: EntraSettings,
    can_change: bool,
    errors: RwSignal<FormErrors>,
    flash: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = Session::expect();
    let directory_id = RwSignal::new(found.directory_id.clone());
    let client_id = RwSignal::new(found.client_id.clone());
    let client_secret = RwSignal::new(String::new());
    let redirect_url = RwSignal::new(if found.configured {
        found.redirect_url.clone()
    } else {
        api::auth::entra_callback_url(&dom::origin())
    });
    let api_audience = RwSignal::new(found.api_audience.clone());
    let version = RwSignal::new(found.version);
    let secret_set = RwSignal::new(found.client_secret_set);
    let pending = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let secret = client_secret.get_untracked();
        let request = EntraSettingsRequest {
            directory_id: directory_id.get_untracked(),
            client_id: client_id.get_untracked(),
            client_secret: (!secret.trim().is_empty()).then_some(secret),
            redirect_url: redirect_url.get_untracked(),
            api_audience: api_audience.get_untracked(),
        };
        pending.set(true);
        spawn(async move {
            match api::settings::set_entra(version.get_untracked(), &request).await {
                Ok(saved) => {
                    version.set(saved.version);
                    secret_set.set(saved.client_secret_set);
                    // The secret is never shown again; clear it from the page.
                    client_secret.set(String::new());
                    errors.set(FormErrors::default());
                    flash.set(Some("The Entra ID settings have been saved".to_owned()));
                    dom::focus_soon(BANNER_ID);
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(write_errors(&problem, &SETTINGS_FIELDS, "configuration"));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let errors_signal = Signal::from(errors);
    let secret_hint = move || {
        if secret_set.get() {
            "A secret is saved and never shown. Leave this empty to keep it."
        } else {
            "From the app registration’s Certificates & secrets page"
        }
    };
    if !can_change {
        return view! {
            <dl class="govuk-summary-list" id="entra-settings">
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">"Directory (tenant) ID"</dt>
                    <dd class="govuk-summary-list__value">{if found.configured { found.directory_id.clone() } else { "Not set up".to_owned() }}</dd>
                </div>
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">"Application (client) ID"</dt>
                    <dd class="govuk-summary-list__value">{found.client_id.clone()}</dd>
                </div>
            </dl>
        }
        .into_any();
    }
    view! {
        <form method="post" novalidate=true on:submit=submit id="entra-settings">
            <h2 class="govuk-heading-m">"Sign-in"</h2>
            <TextInput id="directory_id" label="Directory (tenant) ID" value=directory_id errors=errors_signal
                hint="A GUID, from the Entra admin centre’s Overview page"/>
            <TextInput id="client_id" label="Application (client) ID" value=client_id errors=errors_signal
                hint="The app registration for Casedesk"/>
            <div class="govuk-form-group">
                <p class="govuk-hint" id="client_secret-state">{secret_hint}</p>
            </div>
            <TextInput id="client_secret" label="Client secret" value=client_secret errors=errors_signal
                input_type="password" autocomplete="new-password"/>
            <TextInput id="redirect_url" label="Redirect URL" value=redirect_url errors=errors_signal
                hint="Register this exact address as a Web redirect URI in the app registration"/>
            <TextInput id="api_audience" label="API audience" value=api_audience errors=errors_signal
                hint="For integrators’ access tokens: the application ID or Application ID URI (api://…) they request"/>
            <button type="submit" class="govuk-button" data-module="govuk-button"
                aria-disabled=move || pending.get().then_some("true")>"Save Entra ID settings"</button>
        </form>
    }
    .into_any()
}

#[component]
fn MappingForm(
    groups: Signal<Vec<(String, String)>>,
    errors: RwSignal<FormErrors>,
    flash: RwSignal<Option<String>>,
    reload: Callback<()>,
) -> impl IntoView {
    let session = Session::expect();
    let claim = RwSignal::new(Some(EntraClaim::Group));
    let value = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Ok(group_id) = uuid::Uuid::parse_str(&group.get_untracked()) else {
            errors.set(FormErrors::field("group_id", "Choose a group"));
            focus_error_summary();
            return;
        };
        let request = NewEntraMapping {
            claim: claim.get_untracked().unwrap_or(EntraClaim::Group),
            value: value.get_untracked().trim().to_owned(),
            group_id,
        };
        pending.set(true);
        spawn(async move {
            match api::settings::add_entra_mapping(&request).await {
                Ok(added) => {
                    value.set(String::new());
                    errors.set(FormErrors::default());
                    flash.set(Some(format!("{} now makes people members of {}", added.value, added.group.name)));
                    dom::focus_soon(BANNER_ID);
                    reload.run(());
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(FormErrors::from_problem(&problem, &MAPPING_FIELDS));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let options = vec![
        RadioOption {
            value: EntraClaim::Group,
            label: "Entra group".to_owned(),
            hint: Some("Its object ID, a GUID (from the group’s Overview page)".to_owned()),
        },
        RadioOption {
            value: EntraClaim::Role,
            label: "App role".to_owned(),
            hint: Some("The role’s value, as defined in the app registration, like Case.Read".to_owned()),
        },
    ];
    let errors_signal = Signal::from(errors);
    view! {
        <form method="post" novalidate=true on:submit=submit id="add-mapping">
            <h2 class="govuk-heading-m">"Add a mapping"</h2>
            <Radios name="claim" legend="People who have this" options value=claim errors=errors_signal inline=true/>
            <TextInput id="value" label="Group object ID or role value" value errors=errors_signal/>
            <Select id="group_id" label="Are members of" value=group options=groups errors=errors_signal/>
            <button type="submit" class="govuk-button" data-module="govuk-button"
                aria-disabled=move || pending.get().then_some("true")>"Add mapping"</button>
        </form>
    }
}
