//! Who is asking, and may they? Authentication turns a session cookie into a [`Principal`];
//! authorisation is declared per handler by extracting [`Authorized<P>`] with a [`Policy`].

pub mod authority;
pub mod entra;
pub mod password;
pub mod policy;
pub mod principal;
pub mod session;

pub use policy::Authorized;
pub use principal::Principal;
