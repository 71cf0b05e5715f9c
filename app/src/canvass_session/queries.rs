//! Canvass session queries, one topic to a module, all re-exported here for the server
//! functions, the web handlers and the integration tests.

mod access;
mod listings;
mod new_session;
mod session_page;
mod signups;

pub use access::{access, in_seat, summary, SessionAccess};
pub use listings::{calendar_sessions, my_sessions, seat_sessions};
pub use new_session::{create, NewSession};
pub use session_page::{attach_walk_list, detail, meeting_map};
pub use signups::{cancel, record_attendance, sign_up, SignedUp};
