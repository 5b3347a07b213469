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
