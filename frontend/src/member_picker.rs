//! Who is in a team or group, for administrators: the members as a list with a Remove button
//! each, and one autocomplete to add someone by typing their name or email address. It scales
//! to any number of users, where a checkbox per user did not past a few dozen.

use api_types::{User, UserStatus};
use leptos::prelude::*;
use uuid::Uuid;

use crate::autocomplete::{Autocomplete, Suggestion, filter};
use crate::forms::FormErrors;

/// `members` is what is saved; `users` every user (`None` while loading). `id` is the add box's
/// id, under which a member error is filed. With `leaders` (teams), each member has a "Team
/// leader" checkbox too; removing a member ends their leading.
#[component]
pub fn MemberPicker(
    id: &'static str,
    users: RwSignal<Option<Vec<User>>>,
    members: RwSignal<Vec<Uuid>>,
    errors: Signal<FormErrors>,
    #[prop(optional)] leaders: Option<RwSignal<Vec<Uuid>>>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let picked = RwSignal::new(None::<Suggestion>);
    let said = RwSignal::new(String::new());
    // Disabled users can stay members (and be removed) but are not offered.
    let addable = move || {
        let all: Vec<Suggestion> = users.with(|users| {
            users
                .iter()
                .flatten()
                .filter(|u| u.status == UserStatus::Active && members.with(|m| !m.contains(&u.id)))
                .map(|u| Suggestion { id: u.id, label: u.display_name.clone(), hint: Some(u.email.clone()) })
                .collect()
        });
        typed.with(|text| filter(&all, text))
    };
    // Picking someone adds them at once and empties the box for the next.
    Effect::new(move |_| {
        if let Some(person) = picked.get() {
            members.update(|m| m.push(person.id));
            said.set(format!("{} added", person.label));
            picked.set(None);
            typed.set(String::new());
        }
    });
    let name_of = move |id: Uuid| {
        users.with(|users| {
            users.iter().flatten().find(|u| u.id == id).map(|u| (u.display_name.clone(), u.email.clone()))
        })
    };
    let rows = move || {
        members
            .get()
            .into_iter()
            .map(|member| {
                let (name, email) = name_of(member).unwrap_or_else(|| ("Unknown user".to_owned(), String::new()));
                let remove_label = name.clone();
                let remove = move |_| {
                    members.update(|m| m.retain(|x| *x != member));
                    if let Some(leaders) = leaders {
                        leaders.update(|l| l.retain(|x| *x != member));
                    }
                    said.set(format!("{remove_label} removed"));
                    crate::dom::focus_soon(id);
                };
                view! {
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key app-wrap-anywhere">{name.clone()}</dt>
                        <dd class="govuk-summary-list__value app-wrap-anywhere">
                            {email}
                            {leaders.map(|leaders| view! { <LeaderCheckbox member name=name.clone() leaders/> })}
                        </dd>
                        <dd class="govuk-summary-list__actions">
                            <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                                data-module="govuk-button" on:click=remove>
                                "Remove"<span class="govuk-visually-hidden">{format!(" {name}")}</span>
                            </button>
                        </dd>
                    </div>
                }
            })
            .collect_view()
    };
    let count = move || match members.with(Vec::len) {
        0 => "No members yet.".to_owned(),
        1 => "1 member".to_owned(),
        n => format!("{n} members"),
    };
    view! {
        <h2 class="govuk-heading-m">"Members"</h2>
        <p class="govuk-body" id=format!("{id}-count")>{count}</p>
        <dl class="govuk-summary-list" id=format!("{id}-members")>{rows}</dl>
        <Autocomplete id label="Add a member" label_class="govuk-label--s" hint="Type a name or email address"
            suggestions=Signal::derive(addable) text=typed chosen=picked errors/>
        <div class="govuk-visually-hidden" role="status" aria-live="polite">{move || said.get()}</div>
    }
}

/// Whether a member leads the team (a small GOV.UK checkbox in their row).
#[component]
fn LeaderCheckbox(member: Uuid, name: String, leaders: RwSignal<Vec<Uuid>>) -> impl IntoView {
    let id = format!("leader-{member}");
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        leaders.update(|l| {
            l.retain(|x| *x != member);
            if on {
                l.push(member);
            }
        });
    };
    view! {
        <div class="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-top-2" data-module="govuk-checkboxes">
            <div class="govuk-checkboxes__item">
                <input class="govuk-checkboxes__input" id=id.clone() type="checkbox"
                    prop:checked=move || leaders.with(|l| l.contains(&member)) on:change=toggle/>
                <label class="govuk-label govuk-checkboxes__label" for=id>
                    "Team leader"<span class="govuk-visually-hidden">{format!(": {name}")}</span>
                </label>
            </div>
        </div>
    }
}
