use super::{DoorElector, DoorstepSettings, WalkDoor};
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
            // A closed list, or one in a seat they no longer work in, is gone from them.
            if status != "active" || !crate::auth::scope::works_in(store, user, seat_id).await? {
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
                (SELECT COUNT(*) FROM electors e WHERE e.household_id = h.id AND e.left_at IS NULL AND e.erased_at IS NULL) AS electors,
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

/// The campaign's doorstep settings, defaults filled in.
pub async fn settings(store: &Store) -> AppResult<DoorstepSettings> {
    let rows: Vec<(String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT key, value FROM campaign_settings
          WHERE key IN ('doorstep_parties', 'doorstep_firmness', 'doorstep_results', 'doorstep_issues',
                        'doorstep_follow_ups', 'doorstep_survey', 'doorstep_script', 'privacy_notice',
                        'doorstep_review', 'doorstep_require_position')")
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
           FROM electors WHERE household_id = $1 AND left_at IS NULL AND erased_at IS NULL
          ORDER BY surname, first_name, id")
        .bind(household_id).fetch_all(pool).await)?)
}

pub use super::batch::{store_entries, store_entries_from, Source, Stored};
pub use super::entry_checks::validate;
pub use super::review_queries::{decide, open_reviews};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doorstep::{DoorEntry, DoorResult};

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
            elector_id: Some(crate::ids::ElectorId(7)),
            intention: Some("lab".into()),
            intention_source: Some("said".into()),
            firmness: Some(4),
            ..entry("spoke")
        };
        assert!(validate(&spoke).is_ok());
        assert!(validate(&DoorEntry { firmness: Some(6), ..spoke.clone() }).is_err());
        // Nobody chosen as "who answered": the intention would belong to no one.
        assert!(validate(&DoorEntry { elector_id: None, ..spoke.clone() }).is_err());
        assert!(validate(&DoorEntry {
            elector_id: None,
            intention: None,
            intention_source: None,
            ..spoke.clone()
        })
        .is_err());
        assert!(validate(&DoorEntry {
            elector_id: None,
            intention: None,
            intention_source: None,
            firmness: None,
            ..spoke.clone()
        })
        .is_ok());
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
    fn a_result_taken_off_the_list_is_still_taken_and_an_unknown_one_refused() {
        let mut settings = DoorstepSettings::default();
        settings.results.retain(|(code, _)| code == "not_in" || code == "spoke");
        assert_eq!(validate(&entry("refused"), &settings).ok(), DoorResult::parse("refused"));
        let unknown = validate(&entry("barking_dog"), &settings).expect_err("unknown");
        assert!(unknown.to_string().contains("Choose what happened at the door"), "{unknown}");
    }
}
