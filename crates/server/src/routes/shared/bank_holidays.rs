//! The bank holidays in force for a tenant: its uploaded copy of GOV.UK's file, or the one that
//! ships with Casedesk.

use crate::{problem::ApiResult, state::AppState};
use domain::calendar::BankHolidays;
use storage::TenantScope;

pub async fn holidays_in_force(state: &AppState, scope: &TenantScope) -> ApiResult<BankHolidays> {
    let uploaded = state.store.bank_holiday_file(scope).await?;
    // An upload was parsed and checked before it was kept; should it no longer parse, the
    // shipped copy is better than no bank holidays at all.
    Ok(uploaded.and_then(|(content, _, _)| BankHolidays::parse(&content).ok()).unwrap_or_else(BankHolidays::shipped))
}

/// The calendars a request counts on, each built once with the bank holidays in force.
#[derive(Debug, Default)]
pub struct CalendarsInForce {
    holidays: Option<BankHolidays>,
    built: std::collections::HashMap<domain::CalendarId, domain::calendar::Calendar>,
}

impl CalendarsInForce {
    /// A built-in calendar or one of the tenant's; None if it has none by that id.
    pub async fn get(
        &mut self,
        state: &AppState,
        scope: &TenantScope,
        id: domain::CalendarId,
    ) -> ApiResult<Option<domain::calendar::Calendar>> {
        use domain::calendar::NamedCalendar;
        if let Some(found) = self.built.get(&id) {
            return Ok(Some(found.clone()));
        }
        let named = match NamedCalendar::built_in().into_iter().find(|c| c.id == id) {
            Some(built_in) => built_in,
            None => match state.store.get_calendar(scope, id).await? {
                Some(stored) => stored,
                None => return Ok(None),
            },
        };
        if self.holidays.is_none() {
            self.holidays = Some(holidays_in_force(state, scope).await?);
        }
        let calendar = named.definition.calendar(self.holidays.as_ref().unwrap_or(&BankHolidays::shipped()));
        self.built.insert(id, calendar.clone());
        Ok(Some(calendar))
    }
}
