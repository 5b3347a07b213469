//! Queries: the work queue, logging a query, and one query's page.

pub mod customer_choice;
pub mod filters;
pub mod list;
pub mod new;
pub mod query_form;
pub mod status;
pub mod view;
pub mod words;
