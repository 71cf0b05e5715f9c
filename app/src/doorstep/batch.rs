//! Storing what volunteers record: a batch of entries checked and written exactly once
//! each, flagged or held for review where it must be.

use super::entry_checks::validate;
use super::flagging::{far, windows, Pace};
use super::queries::{access, settings, ListAccess};
use super::{DoorEntry, DoorResult, CONTACT_FOLLOW_UPS};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::ids::{ElectorId, HouseholdId, WalkListId};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// What a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// New entries (held ones included).
    pub stored: usize,
    /// Of those, held for an organiser to confirm (review is on).
    pub held: usize,
    /// Of those, flagged: far from the address or implausibly fast.
    pub flagged: usize,
}

struct Checked {
    entry: DoorEntry,
    /// `entry.result`, read.
    result: DoorResult,
    made_at: DateTime<Utc>,
    seat_id: i64,
    volunteer_id: Option<i64>,
    /// Metres from the address, when far.
    far: Option<f64>,
    /// Why the phone's word is doubted (its clock, no position): see [`super::trust`].
    doubts: Vec<String>,
}
/// What a batch is checked against, for one walk list: who may record on it, its doors
/// (with where each is) and who lives at each.
struct ListCheck {
    id: WalkListId,
    access: ListAccess,
    doors: HashMap<HouseholdId, (Option<f64>, Option<f64>)>,
    electors: HashMap<HouseholdId, Vec<ElectorId>>,
    /// Of those, the electors whose data has been erased.
    erased: HashSet<ElectorId>,
}

async fn list_check(store: &Store, user: &CurrentUser, walk_list_id: WalkListId) -> AppResult<ListCheck> {
    let access = access(store, user, walk_list_id.0).await?;
    let doors: Vec<(HouseholdId, Option<f64>, Option<f64>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT h.id, h.lat, h.lon FROM walk_list_households wh JOIN households h ON h.id = wh.household_id
          WHERE wh.walk_list_id = $1")
        .bind(walk_list_id).fetch_all(pool).await)?;
    let people: Vec<(HouseholdId, ElectorId, bool)> = on_store!(store, pool => sqlx::query_as(
        "SELECT e.household_id, e.id, e.erased_at IS NOT NULL FROM walk_list_households wh
           JOIN electors e ON e.household_id = wh.household_id
          WHERE wh.walk_list_id = $1 AND e.left_at IS NULL")
        .bind(walk_list_id).fetch_all(pool).await)?;
    let mut electors: HashMap<HouseholdId, Vec<ElectorId>> = HashMap::new();
    let mut erased = HashSet::new();
    for (household, elector, gone) in people {
        electors.entry(household).or_default().push(elector);
        if gone {
            erased.insert(elector);
        }
    }
    Ok(ListCheck {
        id: walk_list_id,
        access,
        doors: doors.into_iter().map(|(h, lat, lon)| (h, (lat, lon))).collect(),
        electors,
        erased,
    })
}

/// Stores entries exactly once each (by their id). Every entry is checked first: one
/// the user may not record refuses the whole batch. Entries far from their address or
/// made implausibly fast are flagged for an organiser; with review on, every entry is
/// held for an organiser to confirm and counts nowhere until then. An entry naming an
/// erased elector is stored without them (see `elector::erasure::without_person`).
pub async fn store_entries(
    store: &Store,
    user: &CurrentUser,
    entries: Vec<DoorEntry>,
    now: DateTime<Utc>,
) -> AppResult<Stored> {
    store_entries_from(store, user, entries, now, Source::Phone).await
}

/// Where entries come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A phone (or the door page's plain form): the canvasser is the user's volunteer
    /// record on the list.
    Phone,
    /// A paper walk sheet typed in by staff: the canvasser is the volunteer the sheet
    /// names (checked to be of the list's seat by the caller), none when it names nobody.
    /// A sheet's entries are all typed at once and carry no position, so neither the
    /// speed check nor a missing position flags them.
    Paper { canvasser: Option<i64> },
}

#[tracing::instrument(skip(store, user, entries), fields(user = user.id, entries = entries.len()))]
pub async fn store_entries_from(
    store: &Store,
    user: &CurrentUser,
    entries: Vec<DoorEntry>,
    now: DateTime<Utc>,
    from: Source,
) -> AppResult<Stored> {
    if entries.len() > 500 {
        return Err(AppError::BadInput("Send at most 500 entries at a time.".into()));
    }
    let settings = settings(store).await?;
    let mut checked = Vec::with_capacity(entries.len());
    let mut lists: Vec<ListCheck> = Vec::new();
    for mut entry in entries {
        let result = validate(&entry, &settings)?;
        if !lists.iter().any(|l| l.id == entry.walk_list_id) {
            lists.push(list_check(store, user, entry.walk_list_id).await?);
        }
        let Some(list) = lists.iter().find(|l| l.id == entry.walk_list_id) else {
            return Err(AppError::Internal);
        };
        let &(door_lat, door_lon) = list.doors.get(&entry.household_id).ok_or(AppError::Forbidden)?;
        if let Some(elector_id) = entry.elector_id {
            if !list.electors.get(&entry.household_id).is_some_and(|ids| ids.contains(&elector_id)) {
                return Err(AppError::BadInput("That elector does not live at this door.".into()));
            }
            // Erased since the phone loaded the door: keep the knock, not the person (a
            // refusal would leave the entry stuck in the phone's outbox).
            if list.erased.contains(&elector_id) {
                crate::elector::erasure::without_person(&mut entry);
            }
        }
        let far = far((entry.lat, entry.lon), (door_lat, door_lon));
        let (made_at, clock) = super::trust::made_at(entry.made_at, now);
        entry.made_at = Some(made_at);
        let (volunteer_id, positioned) = match from {
            Source::Phone => (list.access.volunteer_id, super::trust::position_missing(&entry, &settings)),
            Source::Paper { canvasser } => (canvasser, None),
        };
        let doubts = clock.into_iter().chain(positioned).collect();
        let seat_id = list.access.seat_id;
        checked.push(Checked { entry, result, made_at, seat_id, volunteer_id, far, doubts });
    }
    // In the order they were made, so each is compared with the one before it.
    checked.sort_by_key(|c| c.made_at);
    let review = settings.review;
    let seats: Vec<i64> = checked.iter().map(|c| c.seat_id).collect();
    let (done, written) = store.write(&seats, |tx| Box::pin(async { on_tx!(tx, tx => {
        let mut done = Stored::default();
        // Entries already stored (sent before, the answer lost on the way) are skipped;
        // where each was stored (seat, list) tells a resend from an id used elsewhere. An
        // id already used in another seat or list gets one of its own, made from it and
        // the list, so it is stored (and its resend found) as a fresh id would be, and
        // the caller learns nothing about the other seat.
        let mut seen: HashMap<String, Place> = HashMap::new();
        let mut asking: Vec<String> = checked.iter().map(|c| c.entry.id.clone()).collect();
        for round in 0..2 {
            for chunk in asking.chunks(400) {
                let mut q = sqlx::QueryBuilder::new("SELECT id, seat_id, walk_list_id FROM conversations WHERE id IN (");
                let mut ids = q.separated(", ");
                for id in chunk {
                    ids.push_bind(id);
                }
                q.push(") UNION ALL SELECT id, seat_id, walk_list_id FROM doorstep_reviews WHERE id IN (");
                let mut ids = q.separated(", ");
                for id in chunk {
                    ids.push_bind(id);
                }
                q.push(")");
                let had: Vec<(String, i64, Option<i64>)> = q.build_query_as().fetch_all(&mut *tx).await?;
                seen.extend(had.into_iter().map(|(id, seat, list)| (id, (seat, list))));
            }
            if round == 1 {
                break;
            }
            asking.clear();
            for c in checked.iter_mut() {
                if seen.get(&c.entry.id).is_some_and(|place| *place != place_of(c)) {
                    c.entry.id = own_id(c);
                    asking.push(c.entry.id.clone());
                }
            }
            if asking.is_empty() {
                break;
            }
        }
        // A paper sheet's entries are typed all at once: none is checked for speed.
        let mut pace = Pace::default();
        let phoned = checked.iter().filter(|_| from == Source::Phone);
        for (volunteer, (since, until)) in windows(phoned.filter_map(|c| Some((c.volunteer_id?, c.made_at)))) {
            let stored: Vec<(DateTime<Utc>,)> = sqlx::query_as(
                "SELECT made_at FROM conversations WHERE volunteer_id = $1 AND made_at >= $2 AND made_at <= $3
                 UNION ALL
                 SELECT made_at FROM doorstep_reviews WHERE volunteer_id = $1 AND held AND made_at >= $2 AND made_at <= $3")
                .bind(volunteer).bind(since).bind(until)
                .fetch_all(&mut *tx).await?;
            pace.stored(volunteer, stored.into_iter().map(|(m,)| m).collect());
        }
        let mut fresh: Vec<(&DoorEntry, DateTime<Utc>, i64, Option<i64>)> = Vec::new();
        let mut written: HashSet<&str> = HashSet::new();
        let mut replaced: Vec<(&str, WalkListId, HouseholdId, Option<i64>, i64)> = Vec::new();
        for c in &checked {
            let Some(taken) = replay(&mut seen, c) else { continue };
            // A correction takes its earlier entry away, unless its own id was already
            // another seat's (then nothing at all is written).
            if let (false, Some(earlier)) = (taken, c.entry.replaces.as_deref()) {
                replaced.push((earlier, c.entry.walk_list_id, c.entry.household_id, c.volunteer_id, user.id));
            }
            // An undo is not itself a knock: it only takes the earlier entry away.
            if c.result == DoorResult::Undo {
                continue;
            }
            let reasons = pace.reasons(c.volunteer_id, c.made_at, c.far, &c.doubts);
            let flagged = !reasons.is_empty();
            // An id already used in another seat or list is answered as a fresh one
            // would be, and nothing is written: the caller learns nothing of the other.
            if taken {
                done.stored += 1;
                done.held += usize::from(review);
                done.flagged += usize::from(flagged);
                continue;
            }
            written.insert(c.entry.id.as_str());
            if review || flagged {
                let json = serde_json::to_string(&c.entry).map_err(|_| AppError::Internal)?;
                sqlx::query(
                    "INSERT INTO doorstep_reviews (id, seat_id, walk_list_id, household_id, volunteer_id, user_id, entry,
                            result, reasons, held, status, made_at, received_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12)")
                    .bind(&c.entry.id).bind(c.seat_id).bind(c.entry.walk_list_id).bind(c.entry.household_id)
                    .bind(c.volunteer_id).bind(user.id).bind(json).bind(c.result.code()).bind(reasons.join("; "))
                    .bind(review).bind(c.made_at).bind(now)
                    .execute(&mut *tx).await?;
            }
            if !review {
                fresh.push((&c.entry, c.made_at, c.seat_id, c.volunteer_id));
            }
            done.stored += 1;
            done.held += usize::from(review);
            done.flagged += usize::from(flagged);
        }
        remove_replaced!(tx, &replaced, now);
        insert_conversations!(tx, &fresh, now);
        let written: HashSet<String> = written.into_iter().map(str::to_string).collect();
        Ok::<_, AppError>((done, written))
    })})).await?;
    // For /metrics: conversations that count now, and entries waiting for an organiser.
    metrics::counter!("groundwork_conversations_stored_total").increment((done.stored - done.held) as u64);
    metrics::counter!("groundwork_doorstep_entries_held_total").increment(done.held as u64);
    // Only for entries written now: a resent id (or one from elsewhere) makes nothing.
    if !review {
        for c in checked.iter().filter(|c| written.contains(&c.entry.id)) {
            prospect_if_volunteering(store, &c.entry, user.id).await?;
        }
    }
    Ok(done)
}

/// Where a stored entry is: its seat and walk list.
type Place = (i64, Option<i64>);

fn place_of(c: &Checked) -> Place {
    (c.seat_id, Some(c.entry.walk_list_id.0))
}

/// The id an entry gets when the phone's id is already used in another seat or list:
/// made from it, the seat and the list, so every resend of it gets the same one.
fn own_id(c: &Checked) -> String {
    use sha2::{Digest, Sha256};
    let digest =
        Sha256::digest(format!("groundwork entry {} {} {}", c.seat_id, c.entry.walk_list_id, c.entry.id));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

/// Whether to go on with an entry: `None` for a resend of one already stored on the same
/// seat and list (skipped, counted as already had), `Some(true)` for an id that is taken
/// elsewhere even in its own form (answered as fresh, nothing written: only a client
/// that made such a clash on purpose gets there), `Some(false)` for a new one.
fn replay(seen: &mut HashMap<String, Place>, c: &Checked) -> Option<bool> {
    let here = place_of(c);
    let taken = match seen.get(&c.entry.id) {
        Some(place) if *place == here => return None,
        Some(_) => true,
        None => false,
    };
    seen.insert(c.entry.id.clone(), here);
    Some(taken)
}

/// "Wants to volunteer" at a door makes a prospect in the organiser's volunteer list,
/// linked to the conversation (once, however often the entry arrives).
pub(super) async fn prospect_if_volunteering(
    store: &Store,
    entry: &DoorEntry,
    recorded_by: i64,
) -> AppResult<()> {
    if entry.follow_ups.iter().any(|k| k == "volunteer") {
        // Consent to be contacted about volunteering is consent to hear about sessions.
        let consented = entry.contact_consent;
        let contact = crate::volunteer::queries::ProspectContact {
            email: entry.contact_email.clone().filter(|_| consented),
            phone: entry.contact_phone.clone().filter(|_| consented),
            consents: if consented { vec![crate::volunteer::Purpose::Sessions] } else { Vec::new() },
            ..Default::default()
        };
        crate::volunteer::queries::prospect_from_doorstep(store, &entry.id, contact, Some(recorded_by))
            .await?;
    }
    Ok(())
}
