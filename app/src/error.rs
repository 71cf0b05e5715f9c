//! The one error type that crosses from server functions to the page.
//!
//! Internal causes (database, hashing) are logged on the server where they happen and
//! reach the user only as a plain message: never the text of a database error.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("{0}")]
    BadInput(String),
    #[error("Something went wrong on our side. It has been logged; please try again.")]
    Internal,
    #[error("Could not reach the server: {0}")]
    Transport(String),
    /// The database cannot be reached or written (down, restarting, disk full). It
    /// carries its message so that the JSON a phone receives says it in words.
    #[error("{0}")]
    Unavailable(String),
}

impl AppError {
    /// The HTTP status a plain (non server-function) response should carry.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotSignedIn => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::BadInput(_) => 400,
            AppError::Internal | AppError::Transport(_) => 500,
            AppError::Unavailable(_) => 503,
        }
    }
}

impl AppError {
    pub fn unavailable() -> AppError {
        AppError::Unavailable(
            "The database is unavailable just now, so nothing was saved. Please try again in a minute; \
             entries on a phone stay queued and are sent again by themselves."
                .into(),
        )
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                AppError::BadInput(format!("The form could not be read: {msg}"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => AppError::NotFound("The record".into()),
            other if is_unavailable(&other) => {
                tracing::error!(error = %other, "database unavailable");
                AppError::unavailable()
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

/// Errors that mean "the database is not there just now" rather than "this request is
/// wrong": the caller should keep what it sent and try again later.
#[cfg(feature = "ssr")]
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // PostgreSQL: connection exceptions (08…), shutting down or starting (57P0…),
            // disk full (53100), out of memory or connections (53…).
            // SQLite's codes are numbers of at most four digits, PostgreSQL's five characters.
            if code.len() == 5 {
                code.starts_with("08") || code.starts_with("57P") || code.starts_with("53")
            } else {
                // SQLite's primary result codes: BUSY 5, LOCKED 6, IOERR 10, FULL 13, CANTOPEN 14.
                code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 10 | 13 | 14))
            }
        }
        _ => false,
    }
}

/// For plain HTTP handlers (downloads, uploads): the status and the plain message.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status =
            http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, self.to_string()).into_response()
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::AppError;
    use std::borrow::Cow;

    /// A database error with only a code, as a driver reports it.
    #[derive(Debug)]
    struct Coded(&'static str);

    impl std::fmt::Display for Coded {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "database error {}", self.0)
        }
    }

    impl std::error::Error for Coded {}

    impl sqlx::error::DatabaseError for Coded {
        fn message(&self) -> &str {
            "database error"
        }
        fn code(&self) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(self.0))
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    #[test]
    fn a_database_that_is_not_there_is_a_503_with_words_not_a_500() {
        for e in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(std::io::ErrorKind::ConnectionRefused.into()),
        ] {
            let error = AppError::from(e);
            assert_eq!(error.status(), 503);
            assert!(error.to_string().contains("database is unavailable"), "{error}");
            let json = serde_json::to_string(&error).expect("json");
            assert!(json.contains("nothing was saved"), "the phone's JSON says it in words: {json}");
        }
        // PostgreSQL's disk full (53100), too many connections (53300) and shutting down
        // (57P01) are the same "try again"; a constraint violation (23505) is not.
        for code in ["53100", "53300", "57P01", "08006"] {
            let error = AppError::from(sqlx::Error::Database(Box::new(Coded(code))));
            assert_eq!(error.status(), 503, "{code}");
        }
        assert_eq!(AppError::from(sqlx::Error::Database(Box::new(Coded("23505")))).status(), 500);
        // SQLite's full disk (13, SQLITE_FULL) and busy (5) are too; a constraint (19) is not.
        for (code, status) in [("13", 503), ("5", 503), ("19", 500)] {
            assert_eq!(
                AppError::from(sqlx::Error::Database(Box::new(Coded(code)))).status(),
                status,
                "{code}"
            );
        }
        assert_eq!(AppError::from(sqlx::Error::RowNotFound).status(), 404);
        assert_eq!(AppError::from(sqlx::Error::Protocol("garbled".into())).status(), 500);
    }
}
