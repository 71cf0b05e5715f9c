//! One request of a load helper as a phone makes it: the session cookie, one post of a
//! batch and what its answer means for the next try.

use reqwest::header::{ACCEPT, SET_COOKIE};
use std::time::{Duration, Instant};

/// The session cookie a sign-in answer sets.
pub fn cookie_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("gw_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// What one post of a batch came to.
pub enum Attempt {
    /// Stored (or already held): the batch is acknowledged.
    Stored,
    /// 400, 403 or 404: the phone keeps the batch aside; sending it again cannot help.
    Refused(u16),
    /// 401: sign in again, then send the same batch.
    SignedOut,
    /// Anything else (5xx, a timeout, no connection): the same batch to the next server.
    Failed(String),
}

/// Posts `body` to `url` with the session `cookie`; the milliseconds are those of an answer
/// (none when the request got none).
pub async fn post_batch(
    client: &reqwest::Client,
    url: String,
    body: &serde_json::Value,
    cookie: Option<&str>,
) -> (Attempt, Option<f64>) {
    let mut request = client.post(url).json(body).header(ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let t = Instant::now();
    let outcome = request.send().await;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    match outcome {
        Ok(r) if r.status().is_success() => {
            let _ = r.bytes().await;
            (Attempt::Stored, Some(ms))
        }
        Ok(r) => match r.status().as_u16() {
            status @ (400 | 403 | 404) => (Attempt::Refused(status), Some(ms)),
            401 => (Attempt::SignedOut, Some(ms)),
            status => (Attempt::Failed(status.to_string()), Some(ms)),
        },
        Err(e) if e.is_timeout() => (Attempt::Failed("timeout".into()), None),
        Err(e) if e.is_connect() => (Attempt::Failed("connection refused".into()), None),
        Err(_) => (Attempt::Failed("connection lost".into()), None),
    }
}

/// The pause before the `attempt`th retry of a batch: short, doubling, at most 0.8 s.
pub fn retry_pause(attempt: u32) -> Duration {
    Duration::from_millis((25u64 << attempt.min(5)).min(1000))
}

#[cfg(test)]
mod tests {
    use super::retry_pause;
    use std::time::Duration;

    #[test]
    fn retries_back_off_to_a_second() {
        assert_eq!(retry_pause(1), Duration::from_millis(50));
        assert_eq!(retry_pause(4), Duration::from_millis(400));
        assert_eq!(retry_pause(9), Duration::from_millis(800));
    }
}
