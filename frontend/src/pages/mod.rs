//! One module per page.

pub mod customer;
pub mod customer_form;
pub mod customer_queries;
pub mod customer_timeline;
pub mod customers;
pub mod edit_customer;
pub mod home;
pub mod new_customer;
pub mod new_user;
pub mod not_found;
pub mod problem;
pub mod queries;
pub mod sign_in;
pub mod users;
