//! The parts of the `casedesk` binary that tests and other tools use as a library.

pub mod key_files;
pub mod seed;
