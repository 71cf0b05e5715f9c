//! Password hashing (Argon2id) and checking a sign-in.

use super::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// A cap on Argon2 work running at once. Each hash takes about 19 MB and tens of
/// milliseconds of a core, so a burst of sign-ins (or of guesses) must queue for the
/// cores rather than take the server's memory; one that cannot start within `wait` gets
/// a 503 in words. The hashing runs off the async threads, which keep serving.
pub struct HashLimiter {
    permits: Semaphore,
    wait: std::time::Duration,
}

impl HashLimiter {
    pub fn new(concurrent: usize, wait: std::time::Duration) -> HashLimiter {
        HashLimiter { permits: Semaphore::new(concurrent.max(1)), wait }
    }

    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
        let permit = tokio::time::timeout(self.wait, self.permits.acquire())
            .await
            .map_err(|_| busy())?
            .map_err(|_| AppError::Internal)?;
        let out = tokio::task::spawn_blocking(work).await.map_err(|e| {
            tracing::error!(error = %e, "password hashing task failed");
            AppError::Internal
        })?;
        drop(permit);
        Ok(out)
    }
}

fn busy() -> AppError {
    AppError::Unavailable(
        "Too many people are signing in at this moment, so your password could not be checked. \
         Please try again in a minute."
            .into(),
    )
}

/// The process's limiter: as many hashes at once as there are cores.
pub fn limiter() -> &'static HashLimiter {
    static LIMITER: OnceLock<HashLimiter> = OnceLock::new();
    LIMITER.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        HashLimiter::new(cores, std::time::Duration::from_secs(10))
    })
}

/// [`hash`] within the cap.
pub async fn hash_limited(password: &str) -> AppResult<String> {
    let password = password.to_string();
    limiter().run(move || hash(&password)).await?
}

/// [`verify`] within the cap.
pub async fn verify_limited(password: &str, stored: &str) -> AppResult<bool> {
    let (password, stored) = (password.to_string(), stored.to_string());
    limiter().run(move || verify(&password, &stored)).await
}

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
        verify_limited(password, DUMMY_HASH).await?;
        return Err(refused());
    };
    if !verify_limited(password, &row.password_hash).await? || !row.active {
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

    #[tokio::test]
    async fn hashing_beyond_the_cap_waits_then_answers_busy_in_words() {
        let limiter = std::sync::Arc::new(HashLimiter::new(1, std::time::Duration::from_millis(200)));
        let (started, release) = (std::sync::mpsc::channel::<()>(), std::sync::mpsc::channel::<()>());
        let (started_tx, started_rx) = started;
        let (release_tx, release_rx) = release;
        let held = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                limiter
                    .run(move || {
                        started_tx.send(()).ok();
                        release_rx.recv().ok();
                    })
                    .await
            })
        };
        tokio::task::spawn_blocking(move || started_rx.recv()).await.expect("join").expect("started");
        let refused = limiter.run(|| ()).await.expect_err("the only permit is taken");
        assert_eq!(refused.status(), 503);
        assert!(refused.to_string().contains("try again in a minute"), "{refused}");
        release_tx.send(()).expect("release");
        held.await.expect("join").expect("the first ran");
        assert!(limiter.run(|| 7).await.is_ok_and(|n| n == 7), "free again once the first is done");
    }

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert!(!verify("anything", "not a hash"));
    }
}
