//! One simulated volunteer on real HTTP: signs in, opens their walk list, then sends
//! the phone's outbox in batches, each entry with the id the phone made. A batch that
//! fails for want of a server (no answer, 5xx, signed out) is sent again, unchanged,
//! to the next server, as the phone's outbox does; a refusal (400/403/404) is final.

use super::bare::BareRow;
use super::fixture::Walker;
use super::http::{cookie_of, post_batch, retry_pause, Attempt};
use app::doorstep::DoorEntry;
use app::ids::{ElectorId, HouseholdId, WalkListId};
use chrono::{DateTime, Duration as Span, Utc};
use reqwest::header::ACCEPT;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// What a phase sends to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `POST /api/doorstep/batch` on the app servers.
    App,
    /// The bare handler (no app logic).
    Bare,
}

/// A volunteer between phases: their session and how many doors they have done.
pub struct Volunteer {
    pub walker: Walker,
    pub cookie: Option<String>,
    pub done: usize,
    pub bare_done: usize,
    /// The phone's clock for the first entry: entries follow a minute apart, so the
    /// app's "implausibly fast" check does not flag them.
    pub clock: DateTime<Utc>,
}

/// What one volunteer saw in one phase.
#[derive(Default)]
pub struct Tally {
    /// Milliseconds of each answered request (success or not).
    pub latencies: Vec<f64>,
    pub acked: Vec<String>,
    pub sent: usize,
    pub retries: usize,
    /// Failed attempts by kind ("503", "connection"…).
    pub errors: BTreeMap<String, usize>,
    /// Batches refused for good (never stored).
    pub refused: usize,
}

pub struct Plan<'a> {
    pub client: &'a reqwest::Client,
    pub servers: &'a [String],
    pub password: &'a str,
    pub target: Target,
    pub batch: usize,
    pub think: Duration,
    /// Stop starting new batches after this.
    pub until: Instant,
    /// Give up retrying a batch after this.
    pub give_up: Instant,
}

impl Volunteer {
    pub fn new(walker: Walker, clock: DateTime<Utc>) -> Volunteer {
        Volunteer { walker, cookie: None, done: 0, bare_done: 0, clock }
    }

    /// Signs in through the login form and opens the walk list page.
    pub async fn sign_in(&mut self, plan: &Plan<'_>, server: &str) -> Result<(), String> {
        let response = plan
            .client
            .post(format!("{server}/api/login"))
            .header(ACCEPT, "text/html")
            .form(&[("email", self.walker.email.as_str()), ("password", plan.password)])
            .send()
            .await
            .map_err(|e| format!("sign-in: {e}"))?;
        self.cookie = Some(cookie_of(&response).ok_or_else(|| {
            format!("sign-in as {} gave no session ({})", self.walker.email, response.status())
        })?);
        let page = plan
            .client
            .get(format!("{server}/walk/{}", self.walker.walk_list_id))
            .header(ACCEPT, "text/html")
            .header("cookie", self.cookie.as_deref().unwrap_or_default())
            .send()
            .await
            .map_err(|e| format!("opening the walk list: {e}"))?;
        if !page.status().is_success() {
            return Err(format!("opening the walk list gave {}", page.status()));
        }
        let _ = page.bytes().await;
        Ok(())
    }

    fn entries(&mut self, n: usize) -> Vec<DoorEntry> {
        let w = &self.walker;
        let out = (self.done..self.done + n)
            .map(|k| {
                // About four doors in ten answer, as on a real Saturday.
                let spoke = k % 5 < 2;
                // An intention is held by someone living there (the server refuses one without).
                let holder = w.holders[k % w.doors.len()].filter(|_| spoke);
                DoorEntry {
                    id: uuid::Uuid::now_v7().to_string(),
                    walk_list_id: WalkListId(w.walk_list_id),
                    household_id: HouseholdId(w.doors[k % w.doors.len()]),
                    result: if spoke { "spoke" } else { "not_in" }.into(),
                    elector_id: holder.map(ElectorId),
                    intention: holder.map(|_| ["lab", "con", "undecided"][k % 3].into()),
                    intention_source: holder.map(|_| "said".into()),
                    firmness: holder.map(|_| (k % 5 + 1) as i64),
                    made_at: Some(self.clock + Span::minutes(k as i64)),
                    ..DoorEntry::default()
                }
            })
            .collect();
        self.done += n;
        out
    }

    fn bare_rows(&mut self, n: usize) -> Vec<BareRow> {
        let w = &self.walker;
        let start = self.clock - Span::days(60);
        let out = (self.bare_done..self.bare_done + n)
            .map(|k| {
                let spoke = k % 5 < 2;
                BareRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    seat_id: w.seat_id,
                    household_id: w.doors[k % w.doors.len()],
                    walk_list_id: w.walk_list_id,
                    volunteer_id: w.volunteer_id,
                    result: if spoke { "spoke" } else { "not_in" }.into(),
                    intention: spoke.then(|| ["lab", "con", "undecided"][k % 3].into()),
                    intention_source: spoke.then(|| "said".into()),
                    firmness: spoke.then_some((k % 5 + 1) as i64),
                    made_at: start + Span::minutes(k as i64),
                }
            })
            .collect();
        self.bare_done += n;
        out
    }

    /// Sends batches until the plan's time is up; `first` picks the first server to try.
    pub async fn walk(&mut self, plan: &Plan<'_>, first: usize) -> Tally {
        let mut tally = Tally::default();
        let mut server = first;
        if !plan.think.is_zero() {
            // Volunteers start their rounds at different moments, not all 500 in the same
            // millisecond: without this the first batch of every one arrives at once and
            // the queue it builds, not the steady state, sets the latency tail.
            tokio::time::sleep(plan.think.mul_f64(rand::random_range(0.0..1.0))).await;
        }
        while Instant::now() < plan.until {
            let (body, ids) = match plan.target {
                Target::App => {
                    let entries = self.entries(plan.batch);
                    let ids: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
                    (serde_json::json!({ "entries": entries }), ids)
                }
                Target::Bare => {
                    let rows = self.bare_rows(plan.batch);
                    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
                    (serde_json::json!(rows), ids)
                }
            };
            tally.sent += ids.len();
            let mut attempt = 0u32;
            loop {
                let base = &plan.servers[server % plan.servers.len()];
                let url = match plan.target {
                    Target::App => format!("{base}/api/doorstep/batch"),
                    Target::Bare => format!("{base}{}", super::bare::PATH),
                };
                let (outcome, ms) = post_batch(plan.client, url, &body, self.cookie.as_deref()).await;
                tally.latencies.extend(ms);
                let kind = match outcome {
                    Attempt::Stored => {
                        tally.acked.extend(ids);
                        break;
                    }
                    Attempt::Refused(status) => {
                        *tally.errors.entry(status.to_string()).or_default() += 1;
                        tally.refused += 1;
                        break;
                    }
                    Attempt::SignedOut => {
                        // Should not happen: sessions live in the database.
                        let base = base.clone();
                        let _ = self.sign_in(plan, &base).await;
                        "401".to_string()
                    }
                    Attempt::Failed(kind) => kind,
                };
                *tally.errors.entry(kind).or_default() += 1;
                if Instant::now() > plan.give_up {
                    break;
                }
                // The same batch, the same ids, to the next server, after a short pause.
                tally.retries += 1;
                attempt += 1;
                server += 1;
                tokio::time::sleep(retry_pause(attempt)).await;
            }
            if !plan.think.is_zero() {
                // ±50% jitter so the volunteers do not march in step.
                // Never past the end of the run, so the run's length is what it measures.
                let jitter = rand::random_range(0.5..1.5);
                let left = plan.until.saturating_duration_since(Instant::now());
                tokio::time::sleep(plan.think.mul_f64(jitter).min(left)).await;
            }
        }
        tally
    }
}
