//! The audit log: who did what to which record, when, and from where (append-only), the
//! names it shows for the records it points at, and its screen.

pub mod page;

#[cfg(feature = "ssr")]
pub mod names;
#[cfg(feature = "ssr")]
mod record;

#[cfg(feature = "ssr")]
pub use record::*;
