//! Service levels (issue 15): policies that say how long a query may take, chosen by its
//! type, channel, priority and customer, and the clocks that count business time against
//! them on a calendar (`crate::calendar`).

pub mod alert;
pub mod clock;
pub mod policy;
#[cfg(test)]
mod tests;

pub use clock::{Clock, ClockKind, ClockState, Unreachable};
pub use policy::{
    Conditions, CustomerCondition, DueSoon, Escalation, PolicyDefinition, QueryFacts, SlaPolicy, TargetSpec,
    TargetUnit, examples, select,
};
