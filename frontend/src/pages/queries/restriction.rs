//! Who can see a query: when it is restricted, the groups it is restricted to; for those with
//! full rights on queries, a form to restrict it to groups they belong to or lift the
//! restriction. Saved with `If-Match` (restricting changes the query's version).

use crate::tasks::spawn;
use api_types::{GroupRef, Query, QueryRestriction, RestrictionRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::forms::{Choice, FormErrors, IdCheckboxes, focus_error_summary, write_errors};
use crate::session::Session;

#[component]
pub fn Restriction(
    query: Query,
    can_restrict: bool,
    errors: RwSignal<FormErrors>,
    /// Called after a change, with the query as it now is.
    on_saved: Callback<Query>,
) -> impl IntoView {
    let session = Session::expect();
    let restriction = RwSignal::new(None::<QueryRestriction>);
    let chosen = RwSignal::new(Vec::<Uuid>::new());
    let id = query.id;
    {
        spawn(async move {
            match api::queries::restriction(id).await {
                Ok(found) => {
                    chosen.set(found.group_ids.clone());
                    restriction.set(Some(found));
                }
                Err(problem) => session.notice(&problem),
            }
        });
    }
    let pending = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(current) = restriction.get_untracked() else { return };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn(async move {
            let request = RestrictionRequest { group_ids: chosen.get_untracked() };
            match api::queries::restrict(id, current.version, &request).await {
                Ok(saved) => {
                    chosen.set(saved.group_ids.clone());
                    restriction.set(Some(saved));
                    errors.set(FormErrors::default());
                    if let Ok(query) = api::queries::get(id).await {
                        on_saved.run(query);
                    }
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(write_errors(&problem, &["group_ids"], "query"));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let names = |groups: &[GroupRef]| groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>().join(", ");
    move || {
        restriction.get().map(|found| {
            let notice = (!found.groups.is_empty()).then(|| {
                view! {
                    <div class="govuk-inset-text" id="restricted-to">
                        <strong class="govuk-tag govuk-tag--red">"Restricted"</strong>
                        " Only members of " {names(&found.groups)} " can see this query."
                    </div>
                }
            });
            let mut options = found.choices.clone();
            for group in &found.groups {
                if !options.iter().any(|o| o.id == group.id) {
                    options.push(group.clone());
                }
            }
            let form = (can_restrict && !options.is_empty()).then(|| {
                let choices: Vec<Choice> =
                    options.into_iter().map(|g| Choice { id: g.id, label: g.name, hint: None }).collect();
                view! {
                    <form method="post" novalidate=true on:submit=submit>
                        <div class="govuk-form-group">
                            <fieldset class="govuk-fieldset" aria-describedby="group_ids-hint">
                                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Who can see this query"</legend>
                                <div class="govuk-hint" id="group_ids-hint">
                                    "Tick groups to restrict it to their members, for example a complaint about a member of staff. Untick all to let everyone who works queries see it."
                                </div>
                                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                                    <IdCheckboxes name="group_ids" choices chosen/>
                                </div>
                            </fieldset>
                        </div>
                        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                            aria-disabled=move || pending.get().then_some("true")>"Save who can see it"</button>
                    </form>
                }
            });
            view! { {notice} {form} }
        })
    }
}
