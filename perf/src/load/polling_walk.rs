//! A teller and a knocker-up on real HTTP. The teller sends poll numbers in batches to
//! the endpoint the telling page's outbox uses (`POST /api/polling-day/telling`), each
//! entry with the id the phone made, and sends a batch that failed for want of a server
//! again, unchanged, to the next server. The knocker reloads their walk of a district's
//! knock-up round and notes when each told promise has gone from it.

use super::http::{cookie_of, post_batch, retry_pause, Attempt};
use super::polling::{Helper, Job};
use reqwest::header::ACCEPT;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A walk of a district's round: (district id, walk number).
pub type WalkKey = (i64, usize);

/// Told promises waiting to vanish from the walk a knocker last saw them on, and how long
/// each took. Only a walk's page says which promises are on it, so a promise is watched
/// once a load of its walk has listed it.
#[derive(Default)]
pub struct Strikes {
    /// The walk whose last load listed each promise seen so far.
    on_walk: HashMap<i64, WalkKey>,
    /// Tellers still sending (a knocker waits for their last answers before stopping).
    pub tellers_left: usize,
    pending: HashMap<WalkKey, HashMap<i64, Instant>>,
    /// Milliseconds from acknowledgement to a load without the promise.
    pub latencies: Vec<f64>,
    /// Promises still listed by a load that began after their entry was acknowledged.
    pub stale: HashSet<i64>,
}

impl Strikes {
    pub fn new(tellers: usize) -> Strikes {
        Strikes { tellers_left: tellers, ..Strikes::default() }
    }

    /// Promises told at `at`, as (district, elector).
    pub fn told(&mut self, told: &[(i64, i64)], at: Instant) {
        for (district, elector) in told {
            if let Some(walk) = self.on_walk.get(elector).filter(|(d, _)| d == district) {
                self.pending.entry(*walk).or_default().insert(*elector, at);
            }
        }
    }

    pub fn loaded(&mut self, walk: WalkKey, shown: HashSet<i64>, started: Instant, done: Instant) {
        let (latencies, stale) = (&mut self.latencies, &mut self.stale);
        let waiting = self.pending.entry(walk).or_default();
        waiting.retain(|elector, acked| {
            if shown.contains(elector) {
                if *acked < started {
                    stale.insert(*elector);
                }
                return true;
            }
            latencies.push(done.saturating_duration_since(*acked).as_secs_f64() * 1000.0);
            false
        });
        self.on_walk.extend(shown.into_iter().map(|elector| (elector, walk)));
    }

    fn waiting_in(&self, walk: WalkKey) -> bool {
        self.pending.get(&walk).is_some_and(|p| !p.is_empty())
    }

    pub fn waiting(&self) -> usize {
        self.pending.values().map(HashMap::len).sum()
    }
}

/// What one helper saw.
#[derive(Default)]
pub struct HelperTally {
    /// Milliseconds of each answered request.
    pub latencies: Vec<f64>,
    /// Telling entries acknowledged: (seat id, entry id).
    pub acked: Vec<(i64, String)>,
    pub retries: usize,
    pub refused: usize,
    pub errors: BTreeMap<String, usize>,
    /// Knock-up loads.
    pub loads: usize,
    /// When the helper's last request was answered.
    pub finished: Option<Instant>,
}

pub struct Walk<'a> {
    pub client: &'a reqwest::Client,
    pub servers: &'a [String],
    pub password: &'a str,
    pub batch: usize,
    pub think: Duration,
    pub reload: Duration,
    pub until: Instant,
    pub give_up: Instant,
    pub strikes: &'a Mutex<Strikes>,
}

/// Signs in through the login form and opens the helper's page (telling or knock-up).
pub async fn sign_in(h: &mut Helper, walk: &Walk<'_>, server: &str) -> Result<(), String> {
    let response = walk
        .client
        .post(format!("{server}/api/login"))
        .header(ACCEPT, "text/html")
        .form(&[("email", h.email.as_str()), ("password", walk.password)])
        .send()
        .await
        .map_err(|e| format!("sign-in: {e}"))?;
    h.cookie = Some(
        cookie_of(&response)
            .ok_or_else(|| format!("sign-in as {} gave no session ({})", h.email, response.status()))?,
    );
    let page = walk
        .client
        .get(format!("{server}{}", h.page()))
        .header(ACCEPT, "text/html")
        .header("cookie", h.cookie.as_deref().unwrap_or_default())
        .send()
        .await
        .map_err(|e| format!("opening {}: {e}", h.page()))?;
    if !page.status().is_success() {
        return Err(format!("opening {} as {} gave {}", h.page(), h.email, page.status()));
    }
    let _ = page.bytes().await;
    Ok(())
}

/// The promises a knock-up round's page lists (each promise's form carries its elector).
pub fn listed(html: &str) -> HashSet<i64> {
    html.split("data-elector=\"").skip(1).filter_map(|rest| rest.split('"').next()?.parse().ok()).collect()
}

/// How many walks a district's knock-up page offers (its links name each by number).
pub fn walks_in(html: &str) -> usize {
    html.split("walk=")
        .skip(1)
        .filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .max()
        .unwrap_or(1)
}

pub async fn tell(h: &mut Helper, walk: &Walk<'_>, first: usize) -> HelperTally {
    let mut tally = HelperTally::default();
    let (station_id, queue) = match &h.job {
        Job::Teller { station_id, queue } => (*station_id, queue.clone()),
        Job::Knocker { .. } => return tally,
    };
    tally.finished = Some(Instant::now());
    let mut server = first;
    // Tellers start at different moments, as people do.
    tokio::time::sleep(walk.think.mul_f64(rand::random_range(0.0..1.0))).await;
    let mut next = 0usize;
    while Instant::now() < walk.until && next < queue.len() {
        let end = (next + walk.batch).min(queue.len());
        let batch = &queue[next..end];
        next = end;
        let entries: Vec<serde_json::Value> = batch
            .iter()
            .map(|e| serde_json::json!({ "id": e.id, "station_id": station_id, "typed": e.typed }))
            .collect();
        let body = serde_json::json!({ "gss_code": h.gss_code, "entries": entries });
        let mut attempt = 0u32;
        loop {
            let base = &walk.servers[server % walk.servers.len()];
            let url = format!("{base}/api/polling-day/telling");
            let (outcome, ms) = post_batch(walk.client, url, &body, h.cookie.as_deref()).await;
            tally.latencies.extend(ms);
            let kind = match outcome {
                Attempt::Stored => {
                    let at = Instant::now();
                    tally.acked.extend(batch.iter().map(|e| (h.seat_id, e.id.clone())));
                    let told: Vec<(i64, i64)> = batch.iter().filter_map(|e| e.promise).collect();
                    if !told.is_empty() {
                        if let Ok(mut s) = walk.strikes.lock() {
                            s.told(&told, at);
                        }
                    }
                    break;
                }
                Attempt::Refused(status) => {
                    *tally.errors.entry(status.to_string()).or_default() += 1;
                    tally.refused += 1;
                    break;
                }
                Attempt::SignedOut => {
                    let base = base.clone();
                    let _ = sign_in(h, walk, &base).await;
                    "401".to_string()
                }
                Attempt::Failed(kind) => kind,
            };
            *tally.errors.entry(kind).or_default() += 1;
            if Instant::now() > walk.give_up {
                break;
            }
            tally.retries += 1;
            attempt += 1;
            server += 1;
            tokio::time::sleep(retry_pause(attempt)).await;
        }
        tally.finished = Some(Instant::now());
        let left = walk.until.saturating_duration_since(Instant::now());
        tokio::time::sleep(walk.think.mul_f64(rand::random_range(0.5..1.5)).min(left)).await;
    }
    if let Ok(mut s) = walk.strikes.lock() {
        s.tellers_left = s.tellers_left.saturating_sub(1);
    }
    tally
}

pub async fn knock_up(h: &mut Helper, walk: &Walk<'_>, first: usize) -> HelperTally {
    let mut tally = HelperTally::default();
    let Job::Knocker { district_id, nth } = h.job else { return tally };
    let mut page = h.page();
    let mut key: Option<WalkKey> = None;
    let mut server = first;
    tokio::time::sleep(walk.reload.mul_f64(rand::random_range(0.0..1.0))).await;
    // After the run the knocker reloads on (to the grace's end) while tellers are still
    // waiting for answers or a voter told on their walk has not yet been seen gone,
    // so every strike-off is timed.
    let more = |now: Instant, key: Option<WalkKey>| {
        now < walk.until
            || (now < walk.give_up
                && walk
                    .strikes
                    .lock()
                    .is_ok_and(|s| s.tellers_left > 0 || key.is_some_and(|k| s.waiting_in(k))))
    };
    while more(Instant::now(), key) {
        let base = &walk.servers[server % walk.servers.len()];
        let mut request = walk.client.get(format!("{base}{page}")).header(ACCEPT, "text/html");
        if let Some(cookie) = &h.cookie {
            request = request.header("cookie", cookie);
        }
        let started = Instant::now();
        let outcome = request.send().await;
        let body = match outcome {
            Ok(r) if r.status().is_success() => r.text().await.ok(),
            Ok(r) => {
                *tally.errors.entry(r.status().as_u16().to_string()).or_default() += 1;
                None
            }
            Err(_) => {
                *tally.errors.entry("connection".into()).or_default() += 1;
                None
            }
        };
        let done = Instant::now();
        tally.latencies.push((done - started).as_secs_f64() * 1000.0);
        match body {
            Some(html) => {
                tally.loads += 1;
                match key {
                    Some(k) => {
                        if let Ok(mut s) = walk.strikes.lock() {
                            s.loaded(k, listed(&html), started, done);
                        }
                    }
                    // The first load, of the district, says how many walks it has: knockers
                    // of a district share them out, as a committee room would.
                    None => {
                        let n = nth % walks_in(&html) + 1;
                        key = Some((district_id, n));
                        page = format!("{page}&walk={n}");
                    }
                }
            }
            None => {
                // Another server next time, as a phone behind a balancer would get.
                server += 1;
                tally.retries += 1;
            }
        }
        let pause = walk.reload.mul_f64(rand::random_range(0.5..1.5));
        let now = Instant::now();
        tokio::time::sleep(if now < walk.until { pause.min(walk.until - now) } else { pause }).await;
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::{listed, walks_in, Strikes};
    use std::collections::HashSet;
    use std::time::{Duration, Instant};

    #[test]
    fn the_round_lists_each_promise_by_its_form() {
        let html = r#"<form class="knock-up-promise" data-elector="12"><form data-elector="7">x data-elector="oops""#;
        assert_eq!(listed(html), HashSet::from([12, 7]));
        assert!(listed("<p>Every promise in this district has voted</p>").is_empty());
        assert_eq!(
            walks_in(
                r#"<a href="/poll/E1/knock-up?district=5&amp;walk=1">…<a href="?district=5&amp;walk=7">"#
            ),
            7
        );
        assert_eq!(walks_in("<p>one walk only</p>"), 1);
    }

    #[test]
    fn a_strike_off_is_timed_from_the_acknowledgement_to_the_first_load_without_the_voter() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut s = Strikes::new(0);
        // Walk 2 of district 1 lists 100 and 101 (a knocker loaded it); 102 is on no walk seen.
        s.loaded((1, 2), HashSet::from([100, 101]), t0 - ms(50), t0 - ms(40));
        s.told(&[(1, 100), (1, 101), (1, 102), (2, 200)], t0);
        assert_eq!(s.waiting(), 2, "only promises a knocker's walk has listed are watched");
        // A load begun before the acknowledgement may still list the voter: not stale.
        s.loaded((1, 2), HashSet::from([100, 101]), t0 - ms(5), t0 + ms(10));
        assert!(s.stale.is_empty() && s.latencies.is_empty());
        // Another walk's load says nothing about them.
        s.loaded((1, 3), HashSet::from([300]), t0 + ms(100), t0 + ms(150));
        assert!(s.latencies.is_empty());
        // One begun after it that still lists 101 is stale; 100 is gone, 300 ms after.
        s.loaded((1, 2), HashSet::from([101]), t0 + ms(200), t0 + ms(300));
        assert_eq!(s.latencies, vec![300.0]);
        assert_eq!(s.stale, HashSet::from([101]));
        s.loaded((1, 2), HashSet::new(), t0 + ms(400), t0 + ms(450));
        assert_eq!(s.latencies, vec![300.0, 450.0]);
        assert_eq!(s.waiting(), 0);
    }
}
