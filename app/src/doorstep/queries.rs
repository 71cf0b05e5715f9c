use super::{DoorElector, DoorEntry, DoorstepSettings, ReviewItem, WalkDoor, FOLLOW_UPS, RESULTS};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, HashSet};

/// What the user may do with a list, and whose name their entries go under.
#[derive(Debug, Clone)]
pub struct ListAccess {
    pub seat_id: i64,
    pub name: String,
    pub seat_name: String,
    pub volunteer_id: Option<i64>,
}

/// A volunteer or team leader reaches a list only when it is assigned to them and
/// active; staff reach any list of a seat in their patch.
#[tracing::instrument(skip(store, user), fields(user = user.id))]
pub async fn access(store: &Store, user: &CurrentUser, walk_list_id: i64) -> AppResult<ListAccess> {
    let row: Option<(i64, String, String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT wl.seat_id, wl.name, wl.status, s.name
           FROM walk_lists wl JOIN seats s ON s.id = wl.seat_id
          WHERE wl.id = $1")
        .bind(walk_list_id).fetch_optional(pool).await)?;
    let volunteer: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT a.volunteer_id FROM walk_list_assignments a JOIN volunteers v ON v.id = a.volunteer_id
          WHERE a.walk_list_id = $1 AND v.user_id = $2 ORDER BY a.volunteer_id LIMIT 1")
        .bind(walk_list_id).bind(user.id).fetch_optional(pool).await)?;
    match user.role {
        Role::Volunteer | Role::TeamLeader => {
            // The same answer whether the list does not exist or is someone else's.
            let (Some((seat_id, name, status, seat_name)), Some((volunteer_id,))) = (row, volunteer) else {
                return Err(AppError::Forbidden);
            };
            if status != "active" {
                return Err(AppError::Forbidden);
            }
            Ok(ListAccess { seat_id, name, seat_name, volunteer_id: Some(volunteer_id) })
        }
        // Regional staff compare seats from the dashboards; doors and names are not theirs.
        Role::Regional => Err(AppError::Forbidden),
        Role::Admin | Role::Organiser => {
            let (seat_id, name, _, seat_name) =
                row.ok_or_else(|| AppError::NotFound("That walk list".into()))?;
            crate::auth::scope::require_seat(store, user, seat_id).await?;
            let volunteer_id = match volunteer {
                Some((id,)) => Some(id),
                None => on_store!(store, pool => sqlx::query_as::<_, (i64,)>(
                    "SELECT id FROM volunteers WHERE user_id = $1 AND seat_id = $2 ORDER BY id LIMIT 1")
                    .bind(user.id).bind(seat_id).fetch_optional(pool).await)?
                .map(|(id,)| id),
            };
            Ok(ListAccess { seat_id, name, seat_name, volunteer_id })
        }
    }
}

#[derive(sqlx::FromRow)]
struct DoorRow {
    household_id: i64,
    position: i64,
    address1: String,
    address2: Option<String>,
    postcode: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    electors: i64,
    entries: i64,
    last_result: Option<String>,
    last_made: Option<DateTime<Utc>>,
    held_result: Option<String>,
    held_made: Option<DateTime<Utc>>,
    do_not_knock: bool,
    elsewhere: bool,
}

/// Every door of a list in walk order, in ONE query: its elector count, the latest
/// result recorded on this list by the phone's clock (entries held for review
/// included), whether it asked not to be knocked again, and whether anyone has
/// recorded a conversation there since the list was made, on another list or none.
#[tracing::instrument(skip(store))]
pub async fn doors(store: &Store, walk_list_id: i64) -> AppResult<Vec<WalkDoor>> {
    let rows: Vec<DoorRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT wh.household_id, CAST(wh.position AS BIGINT) AS position, h.address1, h.address2, h.postcode,
                h.lat, h.lon,
                (SELECT COUNT(*) FROM electors e WHERE e.household_id = h.id AND e.left_at IS NULL) AS electors,
                (SELECT COUNT(*) FROM conversations c
                  WHERE c.household_id = h.id AND c.walk_list_id = wh.walk_list_id) AS entries,
                (SELECT c.result FROM conversations c
                  WHERE c.household_id = h.id AND c.walk_list_id = wh.walk_list_id
                  ORDER BY c.made_at DESC, c.received_at DESC, c.id DESC LIMIT 1) AS last_result,
                (SELECT MAX(c.made_at) FROM conversations c
                  WHERE c.household_id = h.id AND c.walk_list_id = wh.walk_list_id) AS last_made,
                (SELECT r.result FROM doorstep_reviews r
                  WHERE r.household_id = h.id AND r.walk_list_id = wh.walk_list_id AND r.held AND r.status = 'open'
                  ORDER BY r.made_at DESC, r.id DESC LIMIT 1) AS held_result,
                (SELECT MAX(r.made_at) FROM doorstep_reviews r
                  WHERE r.household_id = h.id AND r.walk_list_id = wh.walk_list_id AND r.held AND r.status = 'open') AS held_made,
                h.do_not_knock,
                EXISTS (SELECT 1 FROM conversations c
                         WHERE c.household_id = h.id AND c.made_at > wl.created_at
                           AND (c.walk_list_id IS NULL OR c.walk_list_id <> wl.id)) AS elsewhere
           FROM walk_list_households wh
           JOIN walk_lists wl ON wl.id = wh.walk_list_id
           JOIN households h ON h.id = wh.household_id
          WHERE wh.walk_list_id = $1
          ORDER BY wh.position")
        .bind(walk_list_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            // A held entry newer (by the phone) than any stored one is what the door shows.
            let last_result = match (&r.held_made, &r.last_made) {
                (Some(held), Some(last)) if held > last => r.held_result,
                (Some(_), None) => r.held_result,
                _ => r.last_result,
            };
            WalkDoor {
                household_id: r.household_id,
                position: r.position,
                address1: r.address1,
                address2: r.address2,
                postcode: r.postcode,
                electors: r.electors,
                entries: r.entries,
                lat: r.lat,
                lon: r.lon,
                last_result,
                do_not_knock: r.do_not_knock,
                elsewhere: r.elsewhere,
            }
        })
        .collect())
}

/// A door of a list as a batch needs it: which household, and where it is.
#[derive(sqlx::FromRow)]
pub struct ListDoor {
    pub household_id: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// The doors of a list without their histories: what checking a batch needs, far
/// cheaper than [`doors`] on a busy polling day.
pub async fn list_doors(store: &Store, walk_list_id: i64) -> AppResult<Vec<ListDoor>> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT h.id AS household_id, h.lat, h.lon
           FROM walk_list_households wh JOIN households h ON h.id = wh.household_id
          WHERE wh.walk_list_id = $1")
        .bind(walk_list_id).fetch_all(pool).await)?)
}

/// The campaign's doorstep settings, defaults filled in.
pub async fn settings(store: &Store) -> AppResult<DoorstepSettings> {
    let rows: Vec<(String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT key, value FROM campaign_settings
          WHERE key IN ('doorstep_parties', 'doorstep_issues', 'doorstep_survey', 'doorstep_script',
                        'privacy_notice', 'doorstep_review')")
        .fetch_all(pool).await)?;
    let (settings, unreadable) = DoorstepSettings::from_rows(&rows);
    for key in unreadable {
        tracing::warn!(key, "campaign setting could not be read; using the default");
    }
    Ok(settings)
}

pub async fn electors(store: &Store, household_id: i64) -> AppResult<Vec<DoorElector>> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT id, first_name, surname, pd_prefix, CAST(elector_number AS BIGINT) AS elector_number,
                CAST(elector_suffix AS BIGINT) AS elector_suffix
           FROM electors WHERE household_id = $1 AND left_at IS NULL
          ORDER BY surname, first_name, id")
        .bind(household_id).fetch_all(pool).await)?)
}

/// Entries this far (in metres) from their address are flagged for review.
pub const FAR_METRES: f64 = 250.0;
/// An entry made sooner than this after the same volunteer's previous one is flagged.
pub const FAST_SECONDS: i64 = 5;

/// Distance on the ground between two positions, in metres (haversine).
pub fn metres(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * a.sqrt().asin()
}

/// Checks an entry on its own: known result, party, issue, follow-up and survey codes,
/// a real UUID, a firmness of 1 to 5, and answers about the voter only when someone
/// was spoken to (follow-ups go with any result: "do not knock again" with a refusal).
pub fn validate(entry: &DoorEntry, settings: &DoorstepSettings) -> AppResult<()> {
    let bad = |m: &str| Err(AppError::BadInput(m.to_string()));
    if uuid::Uuid::parse_str(&entry.id).is_err() {
        return bad("The entry has no valid id.");
    }
    if !RESULTS.iter().any(|(c, _)| *c == entry.result) {
        return bad("Choose what happened at the door.");
    }
    let spoke = entry.result == "spoke";
    if let Some(i) = &entry.intention {
        if !spoke || !settings.parties.iter().any(|(c, _)| c == i) {
            return bad("That voting intention is not one we know.");
        }
    }
    if let Some(s) = &entry.intention_source {
        if !spoke || !matches!(s.as_str(), "said" | "inferred") {
            return bad("Say whether the intention was said or inferred.");
        }
    }
    if let Some(f) = entry.firmness {
        if !spoke || !(1..=5).contains(&f) {
            return bad("Firmness is 1 to 5.");
        }
    }
    if entry.notes.as_ref().is_some_and(|n| n.len() > 4_000) {
        return bad("Notes are limited to 4,000 characters.");
    }
    if entry.issues.iter().any(|i| !spoke || !settings.issues.iter().any(|(c, _)| c == i)) {
        return bad("That issue is not one on the campaign's list.");
    }
    if entry.follow_ups.iter().any(|k| !FOLLOW_UPS.iter().any(|(c, _)| c == k)) {
        return bad("That follow-up is not one we know.");
    }
    for (question, answer) in &entry.answers {
        let known = settings.survey.iter().any(|q| &q.id == question && q.answers.contains(answer));
        if !spoke || !known {
            return bad("That survey answer is not one of the choices.");
        }
    }
    let position_ok = |v: Option<f64>, limit: f64| v.is_none_or(|v| v.is_finite() && v.abs() <= limit);
    if !position_ok(entry.lat, 90.0) || !position_ok(entry.lon, 180.0) {
        return bad("The phone's position could not be read.");
    }
    Ok(())
}

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
    made_at: DateTime<Utc>,
    seat_id: i64,
    volunteer_id: Option<i64>,
    /// Metres from the address, when far.
    far: Option<f64>,
}

/// Runs `$body` in one transaction on whichever database is live (the body is written
/// once and compiled for each). SQLite takes the write lock first, so a batch never
/// fails half-way on a lock upgrade.
macro_rules! with_tx {
    ($store:expr, $tx:ident => $body:block) => {
        match $store {
            Store::Sqlite(pool) => {
                let _writer = crate::store::sqlite_write_lock().lock().await;
                let mut $tx = pool.begin().await?;
                sqlx::query("UPDATE doorstep_reviews SET status = status WHERE 1 = 0")
                    .execute(&mut *$tx)
                    .await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            Store::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// Stores one conversation with its issues, survey answers and follow-ups.
macro_rules! insert_conversation {
    ($tx:ident, $entry:expr, $made_at:expr, $seat_id:expr, $volunteer_id:expr, $received:expr) => {{
        let e: &DoorEntry = $entry;
        sqlx::query(
            "INSERT INTO conversations (id, seat_id, household_id, elector_id, walk_list_id, volunteer_id,
                    result, intention, intention_source, firmness, notes, made_at, received_at, lat, lon)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&e.id).bind($seat_id).bind(e.household_id).bind(e.elector_id).bind(e.walk_list_id)
        .bind($volunteer_id).bind(&e.result).bind(&e.intention).bind(&e.intention_source)
        .bind(e.firmness).bind(&e.notes).bind($made_at).bind($received).bind(e.lat).bind(e.lon)
        .execute(&mut *$tx)
        .await?;
        for issue in &e.issues {
            sqlx::query("INSERT INTO conversation_issues (conversation_id, issue) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(&e.id).bind(issue).execute(&mut *$tx).await?;
        }
        for (question, answer) in &e.answers {
            sqlx::query("INSERT INTO survey_answers (conversation_id, question, answer) VALUES ($1, $2, $3)
                         ON CONFLICT DO NOTHING")
                .bind(&e.id).bind(question).bind(answer).execute(&mut *$tx).await?;
        }
        for kind in &e.follow_ups {
            sqlx::query("INSERT INTO follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at)
                         VALUES ($1, $2, $3, $4, $5, 'open', $6) ON CONFLICT DO NOTHING")
                .bind(&e.id).bind($seat_id).bind(e.household_id).bind(e.elector_id).bind(kind).bind($received)
                .execute(&mut *$tx).await?;
            // The door's own flag is what turf cutting and the map read.
            if kind == "do_not_knock" {
                sqlx::query("UPDATE households SET do_not_knock = $1 WHERE id = $2")
                    .bind(true).bind(e.household_id).execute(&mut *$tx).await?;
            }
        }
    }};
}

/// Stores entries exactly once each (by their id). Every entry is checked first: one
/// the user may not record refuses the whole batch. Entries far from their address or
/// made implausibly fast are flagged for an organiser; with review on, every entry is
/// held for an organiser to confirm and counts nowhere until then.
#[tracing::instrument(skip(store, user, entries), fields(user = user.id, entries = entries.len()))]
pub async fn store_entries(
    store: &Store,
    user: &CurrentUser,
    entries: Vec<DoorEntry>,
    now: DateTime<Utc>,
) -> AppResult<Stored> {
    if entries.len() > 500 {
        return Err(AppError::BadInput("Send at most 500 entries at a time.".into()));
    }
    let settings = settings(store).await?;
    let mut checked = Vec::with_capacity(entries.len());
    let mut lists: Vec<(i64, ListAccess, Vec<ListDoor>)> = Vec::new();
    let mut people: HashMap<i64, Vec<i64>> = HashMap::new();
    for mut entry in entries {
        validate(&entry, &settings)?;
        if !lists.iter().any(|(id, _, _)| *id == entry.walk_list_id) {
            let access = access(store, user, entry.walk_list_id).await?;
            let doors = list_doors(store, entry.walk_list_id).await?;
            lists.push((entry.walk_list_id, access, doors));
        }
        let Some((_, access, doors)) = lists.iter().find(|(id, _, _)| *id == entry.walk_list_id) else {
            return Err(AppError::Internal);
        };
        let door = doors.iter().find(|d| d.household_id == entry.household_id).ok_or(AppError::Forbidden)?;
        if let Some(elector_id) = entry.elector_id {
            if let std::collections::hash_map::Entry::Vacant(slot) = people.entry(entry.household_id) {
                slot.insert(electors(store, entry.household_id).await?.into_iter().map(|e| e.id).collect());
            }
            if !people.get(&entry.household_id).is_some_and(|ids| ids.contains(&elector_id)) {
                return Err(AppError::BadInput("That elector does not live at this door.".into()));
            }
        }
        let far = match (entry.lat, entry.lon, door.lat, door.lon) {
            (Some(a), Some(b), Some(c), Some(d)) => Some(metres(a, b, c, d)).filter(|m| *m > FAR_METRES),
            _ => None,
        };
        let made_at = entry.made_at.unwrap_or(now);
        entry.made_at = Some(made_at);
        checked.push(Checked {
            entry,
            made_at,
            seat_id: access.seat_id,
            volunteer_id: access.volunteer_id,
            far,
        });
    }
    // In the order they were made, so each is compared with the one before it.
    checked.sort_by_key(|c| c.made_at);
    let review = settings.review;
    let ids: Vec<&str> = checked.iter().map(|c| c.entry.id.as_str()).collect();
    let done = with_tx!(store, tx => {
        let mut done = Stored::default();
        // Two queries for the whole batch rather than two per entry: which ids are
        // already stored, and when each volunteer's nearby entries were made.
        let mut had: HashSet<String> = HashSet::new();
        for chunk in ids.chunks(250) {
            let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT id FROM conversations WHERE id IN ({list}) UNION ALL SELECT id FROM doorstep_reviews WHERE id IN ({list})");
            let mut q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            had.extend(q.fetch_all(&mut *tx).await?.into_iter().map(|(id,)| id));
        }
        let mut made: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
        for c in &checked {
            let Some(volunteer) = c.volunteer_id else { continue };
            if made.contains_key(&volunteer) {
                continue;
            }
            let mine = checked.iter().filter(|x| x.volunteer_id == Some(volunteer));
            let first = mine.clone().map(|x| x.made_at).min().unwrap_or(c.made_at);
            let last = mine.map(|x| x.made_at).max().unwrap_or(c.made_at);
            let rows: Vec<(DateTime<Utc>,)> = sqlx::query_as(
                "SELECT made_at FROM conversations WHERE volunteer_id = $1 AND made_at >= $2 AND made_at <= $3
                 UNION ALL
                 SELECT made_at FROM doorstep_reviews WHERE volunteer_id = $1 AND held AND made_at >= $2 AND made_at <= $3")
                .bind(volunteer).bind(first - Duration::seconds(FAST_SECONDS)).bind(last)
                .fetch_all(&mut *tx).await?;
            made.insert(volunteer, rows.into_iter().map(|(m,)| m).collect());
        }
        for c in &checked {
            if !had.insert(c.entry.id.clone()) {
                continue;
            }
            let mut reasons = Vec::new();
            if let Some(m) = c.far {
                reasons.push(format!("{m:.0} m from the address"));
            }
            if let Some(times) = c.volunteer_id.and_then(|v| made.get_mut(&v)) {
                // The volunteer's latest entry at or before this one (entries stored
                // earlier in this batch included: they are pushed below).
                if let Some(previous) = times.iter().filter(|m| **m <= c.made_at).max() {
                    let gap = c.made_at - *previous;
                    if gap < Duration::seconds(FAST_SECONDS) {
                        reasons.push(format!("{} s after this volunteer's previous entry", gap.num_seconds()));
                    }
                }
                times.push(c.made_at);
            }
            let flagged = !reasons.is_empty();
            if review || flagged {
                let json = serde_json::to_string(&c.entry).map_err(|_| AppError::Internal)?;
                sqlx::query(
                    "INSERT INTO doorstep_reviews (id, seat_id, walk_list_id, household_id, volunteer_id, user_id, entry,
                            result, reasons, held, status, made_at, received_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12)")
                    .bind(&c.entry.id).bind(c.seat_id).bind(c.entry.walk_list_id).bind(c.entry.household_id)
                    .bind(c.volunteer_id).bind(user.id).bind(json).bind(&c.entry.result).bind(reasons.join("; "))
                    .bind(review).bind(c.made_at).bind(now)
                    .execute(&mut *tx).await?;
            }
            if !review {
                insert_conversation!(tx, &c.entry, c.made_at, c.seat_id, c.volunteer_id, now);
            }
            done.stored += 1;
            done.held += usize::from(review);
            done.flagged += usize::from(flagged);
        }
        done
    });
    // For /metrics: conversations that count now, and entries waiting for an organiser.
    metrics::counter!("groundwork_conversations_stored_total").increment((done.stored - done.held) as u64);
    metrics::counter!("groundwork_doorstep_entries_held_total").increment(done.held as u64);
    if !review {
        for c in &checked {
            prospect_if_volunteering(store, &c.entry, user.id).await?;
        }
    }
    Ok(done)
}

/// "Wants to volunteer" at a door makes a prospect in the organiser's volunteer list,
/// linked to the conversation (once, however often the entry arrives).
async fn prospect_if_volunteering(store: &Store, entry: &DoorEntry, recorded_by: i64) -> AppResult<()> {
    if entry.follow_ups.iter().any(|k| k == "volunteer") {
        let contact = crate::volunteer::queries::ProspectContact::default();
        crate::volunteer::queries::prospect_from_doorstep(store, &entry.id, contact, Some(recorded_by))
            .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: String,
    seat_id: i64,
    seat_name: String,
    list_name: Option<String>,
    address1: String,
    volunteer: Option<String>,
    result: String,
    reasons: String,
    held: bool,
    made_at: DateTime<Utc>,
}

/// Open entries (flagged, or held while review is on) in the seats the user runs, oldest
/// first. Organisers (their seats) and admins only.
#[tracing::instrument(skip(store, user), fields(user = user.id))]
pub async fn open_reviews(store: &Store, user: &CurrentUser) -> AppResult<Vec<ReviewItem>> {
    if !matches!(user.role, Role::Admin | Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    let scope = crate::auth::scope::seat_scope(store, user).await?;
    let rows: Vec<ReviewRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT r.id, r.seat_id, s.name AS seat_name, wl.name AS list_name, h.address1,
                v.first_name || ' ' || v.surname AS volunteer, r.result, r.reasons, r.held, r.made_at
           FROM doorstep_reviews r
           JOIN seats s ON s.id = r.seat_id
           JOIN households h ON h.id = r.household_id
           LEFT JOIN walk_lists wl ON wl.id = r.walk_list_id
           LEFT JOIN volunteers v ON v.id = r.volunteer_id
          WHERE r.status = 'open'
          ORDER BY r.made_at, r.id LIMIT 500")
        .fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .filter(|r| scope.contains(r.seat_id))
        .map(|r| ReviewItem {
            id: r.id,
            seat_name: r.seat_name,
            list_name: r.list_name.unwrap_or_default(),
            address: r.address1,
            volunteer: r.volunteer.unwrap_or_default(),
            result: r.result,
            reasons: r.reasons,
            held: r.held,
            made_at: r.made_at,
        })
        .collect())
}

/// seat, entry (JSON), held, status, volunteer, received at
type HeldRow = (i64, String, bool, String, Option<i64>, DateTime<Utc>);

/// An organiser's decision on an open entry. Confirming a held entry stores it as a
/// conversation (it counts from now on); rejecting a flagged entry that was already
/// counted removes its conversation (the entry stays here, marked rejected).
#[tracing::instrument(skip(store, user), fields(user = user.id))]
pub async fn decide(
    store: &Store,
    user: &CurrentUser,
    id: &str,
    confirm: bool,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if !matches!(user.role, Role::Admin | Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    let row: Option<HeldRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT seat_id, entry, held, status, volunteer_id, received_at FROM doorstep_reviews WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?;
    let (seat_id, json, held, status, volunteer_id, received) =
        row.ok_or_else(|| AppError::NotFound("That entry".into()))?;
    crate::auth::scope::require_seat(store, user, seat_id).await?;
    if status != "open" {
        return Err(AppError::BadInput("That entry has already been decided.".into()));
    }
    let entry: DoorEntry = serde_json::from_str(&json).map_err(|_| AppError::Internal)?;
    let made_at = entry.made_at.unwrap_or(received);
    with_tx!(store, tx => {
        if confirm && held {
            insert_conversation!(tx, &entry, made_at, seat_id, volunteer_id, received);
        }
        if !confirm && !held {
            sqlx::query("DELETE FROM conversations WHERE id = $1").bind(id).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE doorstep_reviews SET status = $2, decided_at = $3, decided_by = $4 WHERE id = $1")
            .bind(id).bind(if confirm { "confirmed" } else { "rejected" }).bind(now).bind(user.id)
            .execute(&mut *tx).await?;
    });
    if confirm && held {
        prospect_if_volunteering(store, &entry, user.id).await?;
    }
    crate::audit::record(
        store,
        Some(user.id),
        "change",
        "doorstep_entry",
        id,
        if confirm { "review: confirmed" } else { "review: rejected" },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(result: &str) -> DoorEntry {
        DoorEntry { id: uuid::Uuid::new_v4().to_string(), result: result.into(), ..DoorEntry::default() }
    }

    #[test]
    fn an_entry_is_checked_before_it_is_stored() {
        let settings = DoorstepSettings::default();
        let validate = |e: &DoorEntry| validate(e, &settings);
        assert!(validate(&entry("not_in")).is_ok());
        assert!(validate(&DoorEntry { id: "not-a-uuid".into(), ..entry("not_in") }).is_err());
        assert!(validate(&entry("asleep")).is_err());
        let spoke = DoorEntry {
            intention: Some("lab".into()),
            intention_source: Some("said".into()),
            firmness: Some(4),
            ..entry("spoke")
        };
        assert!(validate(&spoke).is_ok());
        assert!(validate(&DoorEntry { firmness: Some(6), ..spoke.clone() }).is_err());
        assert!(validate(&DoorEntry { intention: Some("lab".into()), ..entry("not_in") }).is_err());
        let issues = DoorEntry { issues: vec!["nhs".into(), "housing".into()], ..spoke.clone() };
        assert!(validate(&issues).is_ok());
        assert!(validate(&DoorEntry { issues: vec!["unicorns".into()], ..spoke.clone() }).is_err());
        let refused = DoorEntry { follow_ups: vec!["do_not_knock".into()], ..entry("refused") };
        assert!(validate(&refused).is_ok(), "a follow-up goes with any result");
        assert!(validate(&DoorEntry { follow_ups: vec!["pizza".into()], ..entry("refused") }).is_err());
        let answered = DoorEntry { answers: vec![("voted_last".into(), "Yes".into())], ..spoke.clone() };
        assert!(validate(&answered).is_ok());
        assert!(
            validate(&DoorEntry { answers: vec![("voted_last".into(), "Maybe".into())], ..spoke }).is_err()
        );
    }

    #[test]
    fn distances_on_the_ground_are_roughly_right() {
        // One thousandth of a degree of latitude is about 111 m.
        let m = metres(53.6, -2.3, 53.601, -2.3);
        assert!((110.0..112.5).contains(&m), "{m}");
        assert!(metres(53.6, -2.3, 53.6, -2.3) < 0.01);
    }
}
