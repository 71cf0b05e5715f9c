//! Tests of import.rs.

use super::{AppError, ImportError};

#[test]
fn a_database_failure_during_an_import_reads_as_a_503_in_words_without_the_databases_text() {
    let error = AppError::from(ImportError::Database(sqlx::Error::PoolTimedOut));
    assert_eq!(error.status(), 503);
    assert!(error.to_string().contains("database is unavailable"), "{error}");
    let error = AppError::from(ImportError::Database(sqlx::Error::Protocol("secret detail".into())));
    assert_eq!(error.status(), 500);
    assert!(!error.to_string().contains("secret detail"), "{error}");
    let error = AppError::from(ImportError::NoSuchSeat("E14000000".into()));
    assert_eq!((error.status(), error.to_string()), (400, "seat E14000000 was not found".to_string()));
}
