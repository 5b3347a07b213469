//! One module per resource. `configure` registers every `/api/v1` operation; utoipa-actix-web
//! collects each one's OpenAPI description from the same registration, so a path is written
//! once.

mod api_tokens;
mod audit;
mod auth;
mod bank_holidays;
mod calendars;
mod customer_overview;
mod customers;
mod document_search;
pub mod documents;
mod entra_settings;
mod entra_sign_in;
mod groups;
pub mod health;
mod jobs;
mod me;
mod notifications;
mod parties;
mod queries;
mod query_bulk;
mod query_clocks;
mod query_list;
mod query_work;
mod query_workflow;
mod recently_viewed;
mod record_changes;
mod restrictions;
mod sessions;
mod shared;
mod sla_policies;
mod team_workload;
mod teams;
mod users;
mod views;
mod workflows;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(auth::options)
        .service(auth::sign_in)
        .service(auth::sign_out)
        .service(entra_sign_in::start_entra_sign_in)
        .service(entra_sign_in::finish_entra_sign_in)
        .service(me::me)
        .service(recently_viewed::recently_viewed)
        .service(recently_viewed::visit_query)
        .service(recently_viewed::visit_customer)
        .service(api_tokens::list_my_api_tokens)
        .service(api_tokens::create_api_token)
        .service(api_tokens::revoke_my_api_token)
        .service(api_tokens::list_api_tokens)
        .service(api_tokens::revoke_api_token)
        .service(users::list_users)
        .service(users::list_officers)
        .service(users::create_user)
        .service(users::get_user)
        .service(users::replace_user)
        .service(users::user_access)
        .service(sessions::list_sessions)
        .service(sessions::end_session)
        .service(sessions::get_access_settings)
        .service(sessions::replace_access_settings)
        .service(entra_settings::get_entra_settings)
        .service(entra_settings::replace_entra_settings)
        .service(entra_settings::list_entra_mappings)
        .service(entra_settings::create_entra_mapping)
        .service(entra_settings::delete_entra_mapping)
        .service(groups::list_groups)
        .service(groups::create_group)
        .service(groups::get_group)
        .service(groups::replace_group)
        .service(groups::delete_group)
        .service(customers::create_customer)
        .service(customers::list_customers)
        .service(customers::check_duplicates)
        .service(customers::get_customer)
        .service(customers::replace_customer)
        .service(customers::customer_timeline)
        .service(customer_overview::customer_overview)
        .service(queries::list_query_statuses)
        .service(workflows::create_query_status)
        .service(workflows::replace_query_status)
        .service(workflows::list_workflows)
        .service(workflows::create_workflow)
        .service(workflows::publish_workflow)
        .service(workflows::workflow_version)
        .service(queries::create_query)
        .service(query_bulk::bulk_change)
        .service(query_list::list_queries)
        .service(queries::get_query)
        .service(queries::change_query_status)
        .service(queries::status_history)
        .service(query_workflow::query_transitions)
        .service(query_workflow::move_query_workflow)
        .service(restrictions::get_restriction)
        .service(restrictions::replace_restriction)
        .service(record_changes::replace_query)
        .service(record_changes::delete_query)
        .service(record_changes::merge_customer)
        .service(record_changes::query_history)
        .service(record_changes::customer_history)
        .service(query_work::assign_query)
        .service(query_work::add_note)
        .service(query_work::list_notes)
        .service(query_work::query_timeline)
        .service(document_search::search_documents)
        .service(documents::upload_query_documents)
        .service(documents::list_query_documents)
        .service(documents::upload_customer_documents)
        .service(documents::list_customer_documents)
        .service(documents::get_document)
        .service(documents::document_content)
        .service(documents::rename_document)
        .service(documents::delete_document)
        .service(views::list_views)
        .service(views::create_view)
        .service(views::replace_view)
        .service(views::delete_view)
        .service(parties::list_parties)
        .service(parties::add_party)
        .service(parties::remove_party)
        .service(calendars::list_calendars)
        .service(calendars::create_calendar)
        .service(calendars::get_calendar)
        .service(calendars::replace_calendar)
        .service(calendars::preview_due)
        .service(bank_holidays::get_bank_holidays)
        .service(bank_holidays::replace_bank_holidays)
        .service(jobs::list_jobs)
        .service(sla_policies::list_sla_policies)
        .service(sla_policies::create_sla_policy)
        .service(sla_policies::order_sla_policies)
        .service(sla_policies::preview_sla_policy)
        .service(sla_policies::get_sla_policy)
        .service(sla_policies::replace_sla_policy)
        .service(sla_policies::retime_sla_policy)
        .service(query_clocks::query_clocks)
        .service(jobs::retry_job)
        .service(teams::list_teams)
        .service(team_workload::team_workload)
        .service(teams::create_team)
        .service(teams::get_team)
        .service(teams::replace_team)
        .service(teams::list_query_types)
        .service(teams::create_query_type)
        .service(teams::replace_query_type)
        .service(notifications::list_notifications)
        .service(notifications::notification_stream)
        .service(notifications::mark_all_read)
        .service(notifications::mark_read)
        .service(notifications::share)
        .service(audit::verify_audit_chain);
}
