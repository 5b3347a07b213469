//! What the route modules share, so that no route borrows from another: the wire forms, paging,
//! conditional requests, versioned responses, the work queue's parameters and the end of every
//! sign-in.

pub mod bank_holidays;
pub mod calendar_wire;
pub mod conditional;
pub mod customer_wire;
pub mod mentions;
pub mod paging;
pub mod query_params;
pub mod query_wire;
pub mod respond;
pub mod sign_in;
pub mod sla_wire;
pub mod wire;
pub mod workflow_wire;
