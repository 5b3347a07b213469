//! GOV.UK form building blocks: the error summary, text inputs with inline errors, and the
//! mapping from API problems to field errors.

use api_types::ProblemCode;
use api_types::{FieldProblem, Problem};
use leptos::prelude::*;

use crate::dom;

/// The id of the error summary, which gets focus when a submission fails.
pub const ERROR_SUMMARY_ID: &str = "error-summary";

/// The errors a form shows: one per field, plus at most one not tied to a field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub fields: Vec<FieldProblem>,
    pub general: Option<String>,
}

impl FormErrors {
    /// One error against one field.
    pub fn field(field: &str, message: &str) -> Self {
        Self::fields([(field, message.to_owned())])
    }

    /// Problems a page found itself, each `(field, message)`, in the order given.
    pub fn fields<'a>(problems: impl IntoIterator<Item = (&'a str, String)>) -> Self {
        let fields = problems
            .into_iter()
            .map(|(field, message)| FieldProblem { field: field.to_owned(), code: String::new(), message })
            .collect();
        Self { fields, general: None }
    }

    /// The field errors of a 422 problem, in the order the fields appear on the page (`order`;
    /// the error summary must follow the form), or the problem as a general error.
    pub fn from_problem(problem: &Problem, order: &[&str]) -> Self {
        if problem.errors.is_empty() {
            return Self { fields: Vec::new(), general: Some(describe(problem)) };
        }
        let mut fields = problem.errors.clone();
        // Stable sort: several errors on one field keep the server's order; unknown fields go last.
        fields.sort_by_key(|f| order.iter().position(|name| *name == f.field).unwrap_or(order.len()));
        Self { fields, general: None }
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    /// The message to show against a field, if it has one.
    pub fn message(&self, field: &str) -> Option<String> {
        self.fields.iter().find(|f| f.field == field).map(|f| f.message.clone())
    }
}

/// A sentence for a problem that is not about one field.
pub fn describe(problem: &Problem) -> String {
    if problem.status == 0 || problem.status >= 500 {
        "Sorry, there is a problem with the service. Try again later.".to_owned()
    } else {
        problem.detail.clone().unwrap_or_else(|| problem.title.clone())
    }
}

/// Call after a failed submission: the summary takes focus, as GOV.UK Frontend's own JS does.
pub fn focus_error_summary() {
    dom::focus_soon(ERROR_SUMMARY_ID);
}

/// The GOV.UK error summary; each field error links to (and focuses) its field.
#[component]
pub fn ErrorSummary(errors: Signal<FormErrors>) -> impl IntoView {
    move || {
        let errors = errors.get();
        (!errors.is_empty()).then(|| {
            let links = errors
                .fields
                .into_iter()
                .map(|f| {
                    let target = f.field.clone();
                    let on_click = move |ev: leptos::ev::MouseEvent| {
                        // Focus the field itself (a plain #fragment would only scroll to it).
                        ev.prevent_default();
                        dom::focus_now(&target);
                    };
                    view! { <li><a href=format!("#{}", f.field) on:click=on_click>{f.message}</a></li> }
                })
                .collect_view();
            view! {
                <div class="govuk-error-summary" id=ERROR_SUMMARY_ID tabindex="-1">
                    <div role="alert">
                        <h2 class="govuk-error-summary__title">"There is a problem"</h2>
                        <div class="govuk-error-summary__body">
                            {errors.general.map(|text| view! { <p>{text}</p> })}
                            <ul class="govuk-list govuk-error-summary__list">{links}</ul>
                        </div>
                    </div>
                </div>
            }
        })
    }
}

/// An inline error message, with the visually hidden "Error:" prefix GOV.UK uses.
#[component]
pub fn ErrorMessage(id: String, message: String) -> impl IntoView {
    view! {
        <p class="govuk-error-message" id=id>
            <span class="govuk-visually-hidden">"Error: "</span>
            {message}
        </p>
    }
}

/// A labelled GOV.UK text input whose error comes from `errors` under the field name `id`.
#[component]
pub fn TextInput(
    /// The element id, `name`, and the API's field name.
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: Signal<FormErrors>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// An extra class for the input, e.g. a width override.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let error = Memo::new(move |_| errors.with(|e| e.message(id)));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    let input_class = move || {
        let error_class = if error.with(Option::is_some) { " govuk-input--error" } else { "" };
        format!("govuk-input{error_class} {class}")
    };
    // Names, email addresses and passwords are not prose: no spellcheck; no capitals forced on
    // email addresses and passwords.
    let plain = matches!(input_type, "email" | "password");
    view! {
        <FormGroup error=error>
            <label class="govuk-label" for=id>{label}</label>
            {hint.map(|text| view! { <div class="govuk-hint" id=hint_id>{text}</div> })}
            {move || error.get().map(|message| view! { <ErrorMessage id=error_id.clone() message/> })}
            <input
                class=input_class
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                spellcheck="false"
                autocapitalize=plain.then_some("none")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </FormGroup>
    }
}

/// A labelled GOV.UK textarea whose error comes from `errors` under the field name `id`.
#[component]
pub fn TextArea(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: Signal<FormErrors>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let error = Memo::new(move |_| errors.with(|e| e.message(id)));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    let textarea_class =
        move || if error.with(Option::is_some) { "govuk-textarea govuk-textarea--error" } else { "govuk-textarea" };
    view! {
        <FormGroup error=error>
            <label class="govuk-label" for=id>{label}</label>
            {hint.map(|text| view! { <div class="govuk-hint" id=hint_id>{text}</div> })}
            {move || error.get().map(|message| view! { <ErrorMessage id=error_id.clone() message/> })}
            <textarea class=textarea_class id=id name=id rows="4"
                aria-describedby=described_by prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        </FormGroup>
    }
}

/// The id of the success banner, which gets focus when a page shows one.
pub const BANNER_ID: &str = "success-banner";

/// A GOV.UK success notification banner (after a change was saved).
#[component]
pub fn SuccessBanner(message: String) -> impl IntoView {
    view! {
        <div class="govuk-notification-banner govuk-notification-banner--success" role="alert"
            aria-labelledby="govuk-notification-banner-title" id=BANNER_ID tabindex="-1">
            <div class="govuk-notification-banner__header">
                <h2 class="govuk-notification-banner__title" id="govuk-notification-banner-title">"Success"</h2>
            </div>
            <div class="govuk-notification-banner__content">
                <p class="govuk-notification-banner__heading">{message}</p>
            </div>
        </div>
    }
}

/// One GOV.UK radio option: its value, label and optional hint.
#[derive(Clone, Debug)]
pub struct RadioOption<T> {
    pub value: T,
    pub label: String,
    pub hint: Option<String>,
}

/// The `aria-describedby` of a field: its hint (if it has one) and its error (while it has one).
pub fn described_by(
    hint_id: Option<String>,
    error_id: String,
    error: Memo<Option<String>>,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || {
        let ids: Vec<&str> = [hint_id.as_deref(), error.with(Option::is_some).then_some(error_id.as_str())]
            .into_iter()
            .flatten()
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A GOV.UK radios fieldset whose error comes from `errors` under `name`. The first radio has
/// the id `name`, so the error summary's link lands on it.
#[component]
pub fn Radios<T>(
    name: &'static str,
    legend: &'static str,
    options: Vec<RadioOption<T>>,
    value: RwSignal<Option<T>>,
    errors: Signal<FormErrors>,
    #[prop(optional)] hint: Option<&'static str>,
    /// Side by side (for two to four short options).
    #[prop(optional)]
    inline: bool,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let error = Memo::new(move |_| errors.with(|e| e.message(name)));
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described_by = described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    let items = options
        .into_iter()
        .enumerate()
        .map(|(index, option)| {
            let id = if index == 0 { name.to_owned() } else { format!("{name}-{}", index + 1) };
            let item_hint_id = format!("{id}-item-hint");
            let chosen = option.value;
            view! {
                <div class="govuk-radios__item">
                    <input class="govuk-radios__input" id=id.clone() name=name type="radio" value=index.to_string()
                        aria-describedby=option.hint.is_some().then(|| item_hint_id.clone())
                        prop:checked=move || value.get() == Some(chosen)
                        on:change=move |_| value.set(Some(chosen))/>
                    <label class="govuk-label govuk-radios__label" for=id>{option.label}</label>
                    {option.hint.map(|text| view! { <div class="govuk-hint govuk-radios__hint" id=item_hint_id>{text}</div> })}
                </div>
            }
        })
        .collect_view();
    let radios_class = if inline { "govuk-radios govuk-radios--inline" } else { "govuk-radios" };
    view! {
        <FormGroup error=error>
            <fieldset class="govuk-fieldset" aria-describedby=described_by>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend>
                {hint.map(|text| view! { <div class="govuk-hint" id=hint_id>{text}</div> })}
                {move || error.get().map(|message| view! { <ErrorMessage id=error_id.clone() message/> })}
                <div class=radios_class data-module="govuk-radios">{items}</div>
            </fieldset>
        </FormGroup>
    }
}

/// The errors to show for a failed write guarded by `If-Match`: a 412 (someone else changed
/// the record since this page read it) becomes one sentence saying so and what to do;
/// anything else as [`FormErrors::from_problem`].
pub fn write_errors(problem: &Problem, order: &[&str], record: &str) -> FormErrors {
    if problem.status == 412 || problem.code == ProblemCode::PreconditionFailed {
        let general = format!("This {record} was changed by someone else; reload the page to see the latest.");
        return FormErrors { fields: Vec::new(), general: Some(general) };
    }
    FormErrors::from_problem(problem, order)
}

/// A labelled GOV.UK select of `(value, text)` options; the value "" is "none chosen".
#[component]
pub fn Select(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    options: Signal<Vec<(String, String)>>,
    errors: Signal<FormErrors>,
    #[prop(optional)] hint: Option<&'static str>,
    /// A GOV.UK label class, e.g. `govuk-label--s`.
    #[prop(optional)]
    label_class: &'static str,
) -> impl IntoView {
    let error = Memo::new(move |_| errors.with(|e| e.message(id)));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    let select_class =
        move || if error.with(Option::is_some) { "govuk-select govuk-select--error" } else { "govuk-select" };
    let items = move || {
        options
            .get()
            .into_iter()
            .map(|(key, text)| {
                let selected = value.get() == key;
                view! { <option value=key selected=selected>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <FormGroup error=error>
            <label class=format!("govuk-label {label_class}") for=id>{label}</label>
            {hint.map(|text| view! { <div class="govuk-hint" id=hint_id>{text}</div> })}
            {move || error.get().map(|message| view! { <ErrorMessage id=error_id.clone() message/> })}
            <select class=select_class id=id name=id aria-describedby=described_by
                prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                {items}
            </select>
        </FormGroup>
    }
}

/// A form's submit button and its "Cancel" link. While `pending`, the button says so to
/// assistive technology (`aria-disabled`) and the form's handler ignores further submits.
#[component]
pub fn SubmitOrCancel(
    label: &'static str,
    pending: RwSignal<bool>,
    cancel: String,
    /// A red button, for deleting or merging.
    #[prop(optional)]
    warning: bool,
) -> impl IntoView {
    let class = if warning { "govuk-button govuk-button--warning" } else { "govuk-button" };
    view! {
        <div class="govuk-button-group">
            <button type="submit" class=class data-module="govuk-button"
                aria-disabled=move || pending.get().then_some("true")>{label}</button>
            <a class="govuk-link" href=cancel>"Cancel"</a>
        </div>
    }
}

/// One checkbox in a list of ids to choose: the id, its label and an optional hint.
#[derive(Clone, Debug)]
pub struct Choice {
    pub id: uuid::Uuid,
    pub label: String,
    pub hint: Option<String>,
}

/// GOV.UK checkbox items choosing ids into `chosen`, for the caller's fieldset. The first box
/// has the id `name`, so the error summary's link for the field lands on it.
#[component]
pub fn IdCheckboxes(name: &'static str, choices: Vec<Choice>, chosen: RwSignal<Vec<uuid::Uuid>>) -> impl IntoView {
    choices
        .into_iter()
        .enumerate()
        .map(|(index, choice)| {
            let id = if index == 0 { name.to_owned() } else { format!("{name}-{}", index + 1) };
            let hint_id = format!("{id}-item-hint");
            let value = choice.id;
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                chosen.update(|ids| {
                    ids.retain(|x| *x != value);
                    if on {
                        ids.push(value);
                    }
                });
            };
            view! {
                <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" id=id.clone() name=name type="checkbox" value=value.to_string()
                        aria-describedby=choice.hint.is_some().then(|| hint_id.clone())
                        prop:checked=move || chosen.with(|ids| ids.contains(&value)) on:change=toggle/>
                    <label class="govuk-label govuk-checkboxes__label app-wrap-anywhere" for=id>{choice.label}</label>
                    {choice.hint.map(|text| view! {
                        <div class="govuk-hint govuk-checkboxes__hint app-wrap-anywhere" id=hint_id>{text}</div>
                    })}
                </div>
            }
        })
        .collect_view()
}

/// GOV.UK warning text, shown while `text` holds a sentence (polite: it appears as the officer
/// makes a choice, and is read out without taking focus).
#[component]
pub fn Warning(id: &'static str, text: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div aria-live="polite">
            {move || text.get().map(|warning| view! {
                <div class="govuk-warning-text" id=id>
                    <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                    <strong class="govuk-warning-text__text">
                        <span class="govuk-visually-hidden">"Warning"</span>
                        {warning}
                    </strong>
                </div>
            })}
        </div>
    }
}

/// A GOV.UK form group: one question's label or fieldset, hint, error message and control,
/// marked (the red bar) while `error` holds a message.
#[component]
pub fn FormGroup(#[prop(into)] error: Signal<Option<String>>, children: Children) -> impl IntoView {
    let class = move || {
        if error.with(Option::is_some) { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" }
    };
    view! { <div class=class>{children()}</div> }
}
