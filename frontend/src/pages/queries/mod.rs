//! Queries: the work queue (with views, search, filters and sort), logging a query, one
//! query's page (assignment, notes and contacts, timeline) and its edit, delete and share pages.

pub mod assign;
pub mod bulk;
pub mod change_customer;
pub mod clocks;
pub mod columns;
pub mod composer;
pub mod customer_choice;
pub mod delete;
pub mod edit;
pub mod filters;
pub mod list;
pub mod new;
pub mod query_form;
pub mod queue_filter;
pub mod queue_table;
pub mod restriction;
pub mod saved_views;
pub mod status;
pub mod timeline;
pub mod types;
pub mod view;
pub mod views;
pub mod when;
pub mod words;
