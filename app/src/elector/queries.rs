//! Finding an elector, copying out what is held on them, and erasing it.

use super::{
    AccessRecord, ConversationRecord, DetailRecord, ElectorHit, RegisterEntry, SubjectAccess, WalkListRecord,
};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Utc};

/// What an elector's number reads as on the register (`AB12`, or `AB12/1`).
macro_rules! number_sql {
    () => {
        "e.pd_prefix || CAST(e.elector_number AS TEXT) ||
         CASE WHEN e.elector_suffix <> 0 THEN '/' || CAST(e.elector_suffix AS TEXT) ELSE '' END"
    };
}
macro_rules! address_sql {
    () => {
        "h.address1 || COALESCE(', ' || h.address2, '') || COALESCE(', ' || h.address3, '')"
    };
}

/// Requests are answered by the seat's organisers and by admins; regional staff work
/// from dashboards and volunteers from their walk lists.
fn may_answer_requests(user: &CurrentUser) -> AppResult<()> {
    match user.role {
        Role::Admin | Role::Organiser => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

pub async fn seat_for_rights(store: &Store, user: &CurrentUser, gss: &str) -> AppResult<i64> {
    may_answer_requests(user)?;
    let seat = crate::seat::queries::find(store, gss).await?;
    crate::auth::scope::require_seat(store, user, seat.id).await?;
    Ok(seat.id)
}

pub async fn require_rights_over(store: &Store, user: &CurrentUser, elector_id: i64) -> AppResult<()> {
    may_answer_requests(user)?;
    let seat: Option<(i64,)> = on_store!(store, pool => sqlx::query_as("SELECT seat_id FROM electors WHERE id = $1")
        .bind(elector_id).fetch_optional(pool).await)?;
    let (seat_id,) = seat.ok_or_else(|| AppError::NotFound("That elector".into()))?;
    crate::auth::scope::require_seat(store, user, seat_id).await
}

/// Up to 50 electors whose name, number or postcode matches. Erased people are not
/// found: there is nothing left to find.
pub async fn search(store: &Store, seat_id: i64, q: &str) -> AppResult<Vec<ElectorHit>> {
    let q = q.trim();
    if q.chars().count() < 2 {
        return Err(AppError::BadInput(
            "Type at least two letters of a name, a number or a postcode.".into(),
        ));
    }
    let words = q.to_lowercase();
    let compact = words.replace(' ', "");
    const SQL: &str = concat!(
        "SELECT e.id, e.first_name || ' ' || e.surname AS name, ",
        number_sql!(),
        " AS number, ",
        address_sql!(),
        " AS address, h.postcode
           FROM electors e JOIN households h ON h.id = e.household_id
          WHERE e.seat_id = $1 AND e.erased_at IS NULL
            AND (LOWER(e.first_name || ' ' || e.surname) LIKE $2
                 OR LOWER(e.surname) LIKE $2
                 OR LOWER(REPLACE(COALESCE(h.postcode, ''), ' ', '')) = $3
                 OR LOWER(",
        number_sql!(),
        ") = $3)
          ORDER BY e.surname, e.first_name, e.id
          LIMIT 50"
    );
    Ok(on_store!(store, pool => sqlx::query_as(SQL)
        .bind(seat_id).bind(format!("%{}%", words.replace(['%', '_'], ""))).bind(compact)
        .fetch_all(pool).await)?)
}

pub async fn subject_access(store: &Store, elector_id: i64) -> AppResult<SubjectAccess> {
    const REGISTER: &str = concat!(
        "SELECT e.id, s.name AS seat, e.title, e.first_name, e.middle_names, e.surname, ",
        number_sql!(),
        " AS elector_number, e.markers, e.date_of_birth, e.attainment_date, e.left_at AS left_register,
                e.erased_at, ",
        address_sql!(),
        " AS address, h.postcode, h.uprn, pd.code AS polling_district
           FROM electors e
           JOIN seats s ON s.id = e.seat_id
           JOIN households h ON h.id = e.household_id
           LEFT JOIN polling_districts pd ON pd.id = e.polling_district_id
          WHERE e.id = $1"
    );
    // Their own conversations, and the household's knocks that name nobody (not in,
    // moved away…), which are about their door.
    const CONVERSATIONS: &str = "
        SELECT c.made_at, CASE WHEN c.elector_id IS NULL THEN 'your household' ELSE 'you' END AS about,
               c.result, c.intention, c.intention_source, c.firmness, c.notes
          FROM conversations c JOIN electors e ON e.id = $1
         WHERE c.elector_id = e.id OR (c.elector_id IS NULL AND c.household_id = e.household_id)
         ORDER BY c.made_at";
    const DETAILS: &str = "
        WITH mine AS (
            SELECT c.id, c.made_at FROM conversations c JOIN electors e ON e.id = $1
             WHERE c.elector_id = e.id OR (c.elector_id IS NULL AND c.household_id = e.household_id))
        SELECT m.made_at, 'issue raised' AS kind, i.issue AS what, NULL AS status
          FROM conversation_issues i JOIN mine m ON m.id = i.conversation_id
        UNION ALL
        SELECT m.made_at, 'survey answer', s.question || ': ' || s.answer, NULL
          FROM survey_answers s JOIN mine m ON m.id = s.conversation_id
        UNION ALL
        SELECT m.made_at, 'follow-up',
               f.kind || COALESCE(', phone ' || f.phone, '') || COALESCE(', email ' || f.email, ''), f.status
          FROM follow_ups f JOIN mine m ON m.id = f.conversation_id
        UNION ALL
        SELECT r.made_at, 'flagged for review', r.reasons, r.status
          FROM doorstep_reviews r JOIN electors e ON e.id = $1 WHERE r.household_id = e.household_id
        ORDER BY 1, 2";
    const WALK_LISTS: &str = "
        SELECT w.name, w.created_at
          FROM walk_lists w
          JOIN walk_list_households wh ON wh.walk_list_id = w.id
          JOIN electors e ON e.household_id = wh.household_id
         WHERE e.id = $1
         ORDER BY w.created_at";
    const ACCESS: &str = "
        SELECT a.at, a.action, a.object_type || ' ' || COALESCE(a.object_id, '') AS what, a.reason
          FROM audit_log a JOIN electors e ON e.id = $1
         WHERE (a.object_type = 'elector' AND a.object_id = CAST(e.id AS TEXT))
            OR (a.object_type = 'household' AND a.object_id = CAST(e.household_id AS TEXT))
         ORDER BY a.at, a.id";
    let register: Option<RegisterEntry> =
        on_store!(store, pool => sqlx::query_as(REGISTER).bind(elector_id).fetch_optional(pool).await)?;
    let register = register.ok_or_else(|| AppError::NotFound("That elector".into()))?;
    let conversations: Vec<ConversationRecord> =
        on_store!(store, pool => sqlx::query_as(CONVERSATIONS).bind(elector_id).fetch_all(pool).await)?;
    let details: Vec<DetailRecord> =
        on_store!(store, pool => sqlx::query_as(DETAILS).bind(elector_id).fetch_all(pool).await)?;
    let walk_lists: Vec<WalkListRecord> =
        on_store!(store, pool => sqlx::query_as(WALK_LISTS).bind(elector_id).fetch_all(pool).await)?;
    let access_log: Vec<AccessRecord> =
        on_store!(store, pool => sqlx::query_as(ACCESS).bind(elector_id).fetch_all(pool).await)?;
    Ok(SubjectAccess { generated_at: Utc::now(), register, conversations, details, walk_lists, access_log })
}

/// Erases an elector's personal data in one transaction, keeping every count the
/// dashboards make: the elector row stays (nameless, numberless) so the electorate,
/// contacts and intentions still add up, but nothing in it says who they were.
/// The address goes too when nobody else on the register lives there.
pub async fn erase(store: &Store, elector_id: i64, by: i64, reason: &str) -> AppResult<()> {
    let now: DateTime<Utc> = Utc::now();
    on_store!(store, pool => async {
        let mut tx = pool.begin().await?;
        let (household_id,): (i64,) = sqlx::query_as("SELECT household_id FROM electors WHERE id = $1")
            .bind(elector_id).fetch_one(&mut *tx).await?;
        sqlx::query("UPDATE conversations SET notes = NULL WHERE elector_id = $1")
            .bind(elector_id).execute(&mut *tx).await?;
        // The phone number or email they gave for a call back or volunteering.
        sqlx::query("UPDATE follow_ups SET phone = NULL, email = NULL WHERE elector_id = $1")
            .bind(elector_id).execute(&mut *tx).await?;
        // A negative number never clashes with a council's, and says nothing.
        sqlx::query(
            "UPDATE electors SET title = NULL, first_name = '', middle_names = NULL, surname = '',
                    elector_number = -id, elector_suffix = 0, markers = '', date_of_birth = NULL,
                    attainment_date = NULL, erased_at = $2
              WHERE id = $1")
            .bind(elector_id).bind(now).execute(&mut *tx).await?;
        let (others,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM electors WHERE household_id = $1 AND erased_at IS NULL AND left_at IS NULL")
            .bind(household_id).fetch_one(&mut *tx).await?;
        if others == 0 {
            sqlx::query(
                "UPDATE households SET address_key = 'erased:' || CAST(id AS TEXT), uprn = NULL,
                        address1 = 'Address erased', address2 = NULL, address3 = NULL, street = NULL,
                        house_number = NULL, postcode = NULL, lat = NULL, lon = NULL
                  WHERE id = $1")
                .bind(household_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE conversations SET notes = NULL WHERE household_id = $1")
                .bind(household_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE follow_ups SET phone = NULL, email = NULL WHERE household_id = $1")
                .bind(household_id).execute(&mut *tx).await?;
        }
        // A prospect made from their doorstep "wants to volunteer", not yet met, goes;
        // a volunteer record they have since made their own only loses the link.
        sqlx::query("DELETE FROM volunteers WHERE elector_id = $1 AND stage = 'prospect' AND user_id IS NULL")
            .bind(elector_id).execute(&mut *tx).await?;
        sqlx::query("UPDATE volunteers SET elector_id = NULL, household_id = NULL, conversation_id = NULL WHERE elector_id = $1")
            .bind(elector_id).execute(&mut *tx).await?;
        // Entries held or flagged for review keep the phone's JSON: drop its notes too.
        let held: Vec<(String, String)> = sqlx::query_as("SELECT id, entry FROM doorstep_reviews WHERE household_id = $1")
            .bind(household_id).fetch_all(&mut *tx).await?;
        for (id, json) in held {
            if let Ok(mut entry) = serde_json::from_str::<crate::doorstep::DoorEntry>(&json) {
                if entry.elector_id == Some(elector_id) || others == 0 {
                    entry.notes = None;
                    entry.contact_phone = None;
                    entry.contact_email = None;
                    let json = serde_json::to_string(&entry).unwrap_or(json);
                    sqlx::query("UPDATE doorstep_reviews SET entry = $1 WHERE id = $2")
                        .bind(json).bind(id).execute(&mut *tx).await?;
                }
            }
        }
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, action, object_type, object_id, reason)
             VALUES ($1, $2, 'erase', 'elector', $3, $4)")
            .bind(now).bind(by).bind(elector_id.to_string()).bind(reason).execute(&mut *tx).await?;
        tx.commit().await
    }.await)?;
    Ok(())
}
