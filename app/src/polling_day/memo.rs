//! What one server shares between knock-up loads for a few seconds: hundreds of knockers
//! reload all day, and the seat's district counts and a district's walks each read every
//! promise they cover. What a strike-off changes on the walk being shown is read fresh on
//! every load (see `knock_up_queries::knock_up_view`).

use crate::error::AppResult;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long one server shares what it read between knock-up loads.
pub const FRESH: Duration = Duration::from_secs(5);

/// An entry nobody has loaded for this long is dropped: it holds promises' names.
const KEPT: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct Shared<K, V> {
    held: Mutex<HashMap<K, (Instant, Arc<V>)>>,
    /// Held while a key is read for the first time, so the loads that arrive meanwhile
    /// wait for that read instead of each making their own (one first read at a time).
    first: tokio::sync::Mutex<()>,
}

impl<K, V> Default for Shared<K, V> {
    fn default() -> Self {
        Shared { held: Mutex::new(HashMap::new()), first: tokio::sync::Mutex::new(()) }
    }
}

impl<K: Eq + Hash, V> Shared<K, V> {
    /// The value held for `key` while fresh, else what `read` makes of it now.
    pub async fn get<F, Fut>(&self, key: K, read: F) -> AppResult<Arc<V>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<V>>,
    {
        if let Some(held) = self.fresh(&key) {
            return Ok(held);
        }
        let read_before = self.lock().contains_key(&key);
        let _first = if read_before {
            None
        } else {
            let gate = self.first.lock().await;
            if let Some(held) = self.fresh(&key) {
                return Ok(held);
            }
            Some(gate)
        };
        let value = Arc::new(read().await?);
        let mut held = self.lock();
        let now = Instant::now();
        held.retain(|_, (at, _)| now.duration_since(*at) < KEPT);
        held.insert(key, (now, value.clone()));
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, (Instant, Arc<V>)>> {
        self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The value held, while fresh. When it is stale the first load to see it reads afresh
    /// (it marks the value fresh for the others, who keep the last one meanwhile).
    fn fresh(&self, key: &K) -> Option<Arc<V>> {
        let mut held = self.lock();
        let (at, value) = held.get_mut(key)?;
        let now = Instant::now();
        if now.duration_since(*at) < FRESH {
            return Some(value.clone());
        }
        *at = now;
        None
    }
}
