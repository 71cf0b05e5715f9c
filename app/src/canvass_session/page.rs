//! Session screens: a volunteer's upcoming sessions with a Sign up button, the seat's
//! sessions for its organisers and team leaders, and one session's page (who signed up,
//! attendance and hours, its walk lists, its calendar file).
//! Each screen has its own module; here, what they share.

use super::SessionSummary;

/// The error of a form's last submission, shown above its fields.
macro_rules! error_of {
    ($action:expr) => {{
        let action = $action;
        move || {
            action.value().get().and_then(Result::err).map(|e: AppError| {
                view! { <p class="error" role="alert">{e.to_string()}</p> }
            })
        }
    }};
}

fn places(s: &SessionSummary) -> String {
    match s.places_left() {
        Some(0) => "Full".to_string(),
        Some(1) => "1 place left".to_string(),
        Some(n) => format!("{n} places left"),
        None => format!("{} signed up", s.signed_up),
    }
}

mod mine;
mod seat;
mod session;

pub use mine::MySessionsPage;
pub use seat::SeatSessionsPage;
pub use session::SessionPage;
