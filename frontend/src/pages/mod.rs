//! One module per page (and the components pages share).

pub mod admin;
pub mod api_tokens;
pub mod customer;
pub mod customer_form;
pub mod customer_merge;
pub mod customer_queries;
pub mod customer_search;
pub mod customer_timeline;
pub mod customers;
pub mod edit_customer;
pub mod history;
pub mod home;
pub mod new_customer;
pub mod new_user;
pub mod not_found;
pub mod notifications;
pub mod pagination;
pub mod problem;
pub mod queries;
pub mod search;
pub mod share;
pub mod sign_in;
pub mod team_workload;
pub mod timeline;
pub mod user_page;
pub mod users;
