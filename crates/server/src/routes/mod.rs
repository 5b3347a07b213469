//! One module per resource. `configure` registers every `/api/v1` operation; utoipa-actix-web
//! collects each one's OpenAPI description from the same registration, so a path is written
//! once.

mod audit;
mod auth;
mod conditional;
mod customer_wire;
mod customers;
pub mod health;
mod me;
mod paging;
mod queries;
mod query_list;
mod query_wire;
mod users;
pub mod wire;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(auth::options)
        .service(auth::sign_in)
        .service(auth::sign_out)
        .service(me::me)
        .service(users::list_users)
        .service(users::create_user)
        .service(users::get_user)
        .service(users::list_groups)
        .service(customers::create_customer)
        .service(customers::list_customers)
        .service(customers::check_duplicates)
        .service(customers::get_customer)
        .service(customers::replace_customer)
        .service(customers::customer_timeline)
        .service(queries::list_query_statuses)
        .service(queries::create_query)
        .service(query_list::list_queries)
        .service(queries::get_query)
        .service(queries::change_query_status)
        .service(queries::status_history)
        .service(audit::verify_audit_chain);
}
