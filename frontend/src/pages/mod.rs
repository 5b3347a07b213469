//! One module per page.

pub mod home;
pub mod new_user;
pub mod not_found;
pub mod problem;
pub mod sign_in;
pub mod users;
