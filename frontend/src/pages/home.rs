//! The home page: who is signed in, and what they may do.

use leptos::prelude::*;

use crate::dom;
use crate::pages::admin::permission_labels::{area_label, level_label};
use crate::session::Session;

#[component]
pub fn Home() -> impl IntoView {
    Effect::new(|_| dom::set_title("Home", false));
    let session = Session::expect();
    move || {
        session.me().map(|me| {
            let rows = me
                .permissions
                .iter()
                .map(|p| {
                    view! {
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header">{area_label(p.area)}</th>
                            <td class="govuk-table__cell">{level_label(p.level)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="govuk-grid-row">
                <div class="govuk-grid-column-two-thirds">
                <span class="govuk-caption-l app-wrap-anywhere">{me.tenant.name.clone()}</span>
                <h1 class="govuk-heading-l">"Home"</h1>
                <p class="govuk-body app-wrap-anywhere" id="signed-in-as">
                    "Signed in as " <strong>{me.user.display_name.clone()}</strong>
                    " of tenant " <strong>{me.tenant.name.clone()}</strong>
                </p>
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Your permissions"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Area"</th>
                            <th scope="col" class="govuk-table__header">"Level"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{rows}</tbody>
                </table>
                <h2 class="govuk-heading-m">"Connecting other systems"</h2>
                <p class="govuk-body">
                    <a class="govuk-link" href="/account/api-tokens">"Your API tokens"</a>
                    " let a script or Power BI use Casedesk as you, within limits you set."
                </p>
                </div>
                </div>
            }
        })
    }
}
