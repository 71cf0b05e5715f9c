use super::{DoorElector, DoorEntry, WalkDoor, INTENTIONS, RESULTS};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Utc};

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

/// Every door of a list in walk order, each with its elector count and the result of
/// its latest conversation on this list by the phone's clock: one query.
#[tracing::instrument(skip(store))]
pub async fn doors(store: &Store, walk_list_id: i64) -> AppResult<Vec<WalkDoor>> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT wh.household_id, CAST(wh.position AS BIGINT) AS position, h.address1, h.address2, h.postcode,
                (SELECT COUNT(*) FROM electors e WHERE e.household_id = h.id AND e.left_at IS NULL) AS electors,
                (SELECT c.result FROM conversations c
                  WHERE c.household_id = h.id AND c.walk_list_id = wh.walk_list_id
                  ORDER BY c.made_at DESC, c.received_at DESC, c.id DESC LIMIT 1) AS last_result
           FROM walk_list_households wh JOIN households h ON h.id = wh.household_id
          WHERE wh.walk_list_id = $1
          ORDER BY wh.position")
        .bind(walk_list_id).fetch_all(pool).await)?)
}

pub async fn electors(store: &Store, household_id: i64) -> AppResult<Vec<DoorElector>> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT id, first_name, surname, pd_prefix, CAST(elector_number AS BIGINT) AS elector_number,
                CAST(elector_suffix AS BIGINT) AS elector_suffix
           FROM electors WHERE household_id = $1 AND left_at IS NULL
          ORDER BY surname, first_name, id")
        .bind(household_id).fetch_all(pool).await)?)
}

/// Checks an entry on its own: known result and party codes, a real UUID, a firmness
/// of 1 to 5, and answers about intention only when someone was spoken to.
pub fn validate(entry: &DoorEntry) -> AppResult<()> {
    let bad = |m: &str| Err(AppError::BadInput(m.to_string()));
    if uuid::Uuid::parse_str(&entry.id).is_err() {
        return bad("The entry has no valid id.");
    }
    if !RESULTS.iter().any(|(c, _)| *c == entry.result) {
        return bad("Choose what happened at the door.");
    }
    let spoke = entry.result == "spoke";
    if let Some(i) = &entry.intention {
        if !spoke || !INTENTIONS.iter().any(|(c, _)| c == i) {
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
    Ok(())
}

/// Stores entries exactly once each (by their id) and returns how many were new. Every
/// entry is checked first: one the user may not record refuses the whole batch.
pub async fn store_entries(
    store: &Store,
    user: &CurrentUser,
    entries: Vec<DoorEntry>,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    if entries.len() > 500 {
        return Err(AppError::BadInput("Send at most 500 entries at a time.".into()));
    }
    let mut checked = Vec::with_capacity(entries.len());
    let mut lists: Vec<(i64, ListAccess, Vec<WalkDoor>)> = Vec::new();
    for entry in entries {
        validate(&entry)?;
        if !lists.iter().any(|(id, _, _)| *id == entry.walk_list_id) {
            let access = access(store, user, entry.walk_list_id).await?;
            let doors = doors(store, entry.walk_list_id).await?;
            lists.push((entry.walk_list_id, access, doors));
        }
        let Some((_, access, doors)) = lists.iter().find(|(id, _, _)| *id == entry.walk_list_id) else {
            return Err(AppError::Internal);
        };
        if !doors.iter().any(|d| d.household_id == entry.household_id) {
            return Err(AppError::Forbidden);
        }
        if let Some(elector_id) = entry.elector_id {
            if !electors(store, entry.household_id).await?.iter().any(|e| e.id == elector_id) {
                return Err(AppError::BadInput("That elector does not live at this door.".into()));
            }
        }
        checked.push((entry, access.seat_id, access.volunteer_id));
    }
    let mut stored = 0;
    for (entry, seat_id, volunteer_id) in checked {
        let made_at = entry.made_at.unwrap_or(now);
        let rows = on_store!(store, pool => sqlx::query(
            "INSERT INTO conversations (id, seat_id, household_id, elector_id, walk_list_id, volunteer_id,
                    result, intention, intention_source, firmness, notes, made_at, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (id) DO NOTHING")
            .bind(&entry.id).bind(seat_id).bind(entry.household_id).bind(entry.elector_id)
            .bind(entry.walk_list_id).bind(volunteer_id).bind(&entry.result).bind(&entry.intention)
            .bind(&entry.intention_source).bind(entry.firmness).bind(&entry.notes)
            .bind(made_at).bind(now)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        stored += rows as usize;
    }
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(result: &str) -> DoorEntry {
        DoorEntry { id: uuid::Uuid::new_v4().to_string(), result: result.into(), ..DoorEntry::default() }
    }

    #[test]
    fn an_entry_is_checked_before_it_is_stored() {
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
    }
}
