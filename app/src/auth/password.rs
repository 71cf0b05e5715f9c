//! Password hashing (Argon2id) and checking a sign-in.

use super::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

pub fn hash(password: &str) -> AppResult<String> {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| {
        tracing::error!(error = %e, "salt encoding failed");
        AppError::Internal
    })?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    password_hash: String,
    role: String,
    active: bool,
}

/// Checks an email and password. Unknown emails cost the same hashing work as known
/// ones, so response time does not reveal who has an account.
pub async fn authenticate(store: &Store, email: &str, password: &str) -> AppResult<CurrentUser> {
    let email = email.trim().to_lowercase();
    let row: Option<UserRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, email, display_name, password_hash, role, active FROM users WHERE email = $1")
        .bind(&email).fetch_optional(pool).await)?;
    let refused = || AppError::BadInput("That email and password do not match an active account.".into());
    let Some(row) = row else {
        let _ = verify(password, DUMMY_HASH);
        return Err(refused());
    };
    if !verify(password, &row.password_hash) || !row.active {
        return Err(refused());
    }
    let role = Role::parse(&row.role).ok_or(AppError::Internal)?;
    Ok(CurrentUser { id: row.id, email: row.email, display_name: row.display_name, role })
}

const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0k3mBcUNKqRHl3+ut7z6mPgSLVYhG0Iv8kvMpumv0XQ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert!(!verify("anything", "not a hash"));
    }
}
