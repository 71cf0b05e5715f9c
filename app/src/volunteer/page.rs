//! The organiser's volunteer screens, the seat's list and one volunteer's page, each in
//! its own module; here, what the two share.

use chrono::{DateTime, Utc};

fn date(at: DateTime<Utc>) -> String {
    crate::canvass_session::uk_time::day(at)
}

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

mod list;
mod volunteer;

pub use list::VolunteersPage;
pub use volunteer::VolunteerPage;
