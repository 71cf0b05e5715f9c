//! Finding an elector and copying out what is held on them (erasure: `erasure.rs`).

use super::{
    AccessRecord, ConversationRecord, DetailRecord, ElectorHit, RegisterEntry, ReviewedEntryRecord,
    SubjectAccess, TurnoutRecord, VolunteerRecord, WalkListRecord,
};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Utc};

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
    // A number is found typed as printed (`AB-12/1`) or run together (`ab12/1`).
    let number = compact.replace('-', "");
    const SQL: &str = concat!(
        "SELECT e.id, e.first_name || ' ' || e.surname AS name, ",
        crate::elector_number_sql!(),
        " AS number, ",
        address_sql!(),
        " AS address, h.postcode
           FROM electors e JOIN households h ON h.id = e.household_id
          WHERE e.seat_id = $1 AND e.erased_at IS NULL
            AND (LOWER(e.first_name || ' ' || e.surname) LIKE $2
                 OR LOWER(e.surname) LIKE $2
                 OR LOWER(REPLACE(COALESCE(h.postcode, ''), ' ', '')) = $3
                 OR REPLACE(LOWER(",
        crate::elector_number_sql!(),
        "), '-', '') = $4)
          ORDER BY e.surname, e.first_name, e.id
          LIMIT 50"
    );
    Ok(on_store!(store, pool => sqlx::query_as(SQL)
        .bind(seat_id).bind(format!("%{}%", words.replace(['%', '_'], ""))).bind(compact).bind(number)
        .fetch_all(pool).await)?)
}

pub async fn subject_access(store: &Store, elector_id: i64) -> AppResult<SubjectAccess> {
    const REGISTER: &str = concat!(
        "SELECT e.id, s.name AS seat, e.title, e.first_name, e.middle_names, e.surname, ",
        crate::elector_number_sql!(),
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
    // moved away…), which are about their door. A household knock's notes may be about
    // whoever else lives there, so they are given only to someone who lives alone.
    const CONVERSATIONS: &str = "
        SELECT c.made_at, CASE WHEN c.elector_id IS NULL THEN 'your household' ELSE 'you' END AS about,
               c.result, c.intention, c.intention_source, c.firmness,
               CASE WHEN c.elector_id IS NULL AND EXISTS (
                         SELECT 1 FROM electors o WHERE o.household_id = e.household_id AND o.id <> e.id
                            AND o.left_at IS NULL AND o.erased_at IS NULL)
                    THEN NULL ELSE c.notes END AS notes
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
        SELECT t.made_at, 'seen voting by a teller', t.typed,
               CASE WHEN t.undone_at IS NULL THEN 'recorded' ELSE 'undone' END
          FROM telling_entries t WHERE t.elector_id = $1
        UNION ALL
        SELECT k.made_at, 'polling-day knock-up', k.result, NULL
          FROM knock_up_results k WHERE k.elector_id = $1
        UNION ALL
        SELECT p.imported_at, 'postal vote', 'on the absent-voters list', NULL
          FROM postal_voters p WHERE p.elector_id = $1
        UNION ALL
        SELECT c.made_at, 'postal vote chase',
               CASE c.status WHEN 'sent' THEN 'said it is sent' WHEN 'not_yet' THEN 'said not yet'
                    ELSE 'said it was lost (needs a replacement)' END, NULL
          FROM postal_chases c WHERE c.elector_id = $1
        ORDER BY 1, 2";
    const WALK_LISTS: &str = "
        SELECT w.name, w.created_at
          FROM walk_lists w
          JOIN walk_list_households wh ON wh.walk_list_id = w.id
          JOIN electors e ON e.household_id = wh.household_id
         WHERE e.id = $1
         ORDER BY w.created_at";
    // Views of their record or door, and of everything that listed them: the walk
    // lists their door was on (sheets printed, returns entered), and the seat's exports
    // of electors, the turf map, and the follow-up lists while they had a follow-up.
    const ACCESS: &str = "
        SELECT a.at, a.action, a.object_type, COALESCE(a.object_id, '') AS object_id, a.reason,
               u.display_name AS who
          FROM audit_log a JOIN electors e ON e.id = $1 JOIN seats s ON s.id = e.seat_id
          LEFT JOIN users u ON u.id = a.user_id
         WHERE (a.object_type = 'elector' AND a.object_id = CAST(e.id AS TEXT))
            OR (a.object_type = 'household' AND a.object_id = CAST(e.household_id AS TEXT))
            OR (a.object_type = 'walk_list' AND a.object_id IN (
                    SELECT CAST(wh.walk_list_id AS TEXT) FROM walk_list_households wh
                     WHERE wh.household_id = e.household_id))
            OR (a.object_type = 'seat' AND a.object_id = s.gss_code AND a.action IN ('view', 'export')
                AND (a.reason LIKE 'CSV export%' OR a.reason LIKE 'turf map%'
                     OR (a.reason LIKE '%follow-ups%' AND EXISTS (
                            SELECT 1 FROM follow_ups f WHERE f.elector_id = e.id AND f.created_at <= a.at))
                     OR (a.reason = 'postal chase queue' AND EXISTS (
                            SELECT 1 FROM postal_voters p WHERE p.elector_id = e.id AND p.imported_at <= a.at))
                     OR (a.reason LIKE 'volunteers CSV%' AND EXISTS (
                            SELECT 1 FROM volunteers v WHERE v.elector_id = e.id))))
         ORDER BY a.at, a.id";
    const VOLUNTEERS: &str = "
        SELECT first_name, surname, email, phone, stage, created_at FROM volunteers WHERE elector_id = $1
         ORDER BY created_at";
    let register: Option<RegisterEntry> =
        on_store!(store, pool => sqlx::query_as(REGISTER).bind(elector_id).fetch_optional(pool).await)?;
    let register = register.ok_or_else(|| AppError::NotFound("That elector".into()))?;
    let conversations: Vec<ConversationRecord> =
        on_store!(store, pool => sqlx::query_as(CONVERSATIONS).bind(elector_id).fetch_all(pool).await)?;
    let details: Vec<DetailRecord> =
        on_store!(store, pool => sqlx::query_as(DETAILS).bind(elector_id).fetch_all(pool).await)?;
    let walk_lists: Vec<WalkListRecord> =
        on_store!(store, pool => sqlx::query_as(WALK_LISTS).bind(elector_id).fetch_all(pool).await)?;
    let access: Vec<super::in_words::AccessRow> =
        on_store!(store, pool => sqlx::query_as(ACCESS).bind(elector_id).fetch_all(pool).await)?;
    let access_log: Vec<AccessRecord> = super::in_words::access_log(store, access).await?;
    let volunteer_records: Vec<VolunteerRecord> =
        on_store!(store, pool => sqlx::query_as(VOLUNTEERS).bind(elector_id).fetch_all(pool).await)?;
    let reviewed_entries = reviewed_entries(store, elector_id).await?;
    let turnout_history: Vec<TurnoutRecord> = on_store!(store, pool => sqlx::query_as(
        "SELECT m.label AS election, m.election_date, t.voted FROM turnout_history t
           JOIN marked_registers m ON m.id = t.marked_register_id WHERE t.elector_id = $1
          ORDER BY m.election_date DESC")
        .bind(elector_id).fetch_all(pool).await)?;
    let mut sar = SubjectAccess {
        generated_at: Utc::now(),
        register,
        conversations,
        details,
        reviewed_entries,
        volunteer_records,
        walk_lists,
        turnout_history,
        access_log,
    };
    super::in_words::in_words(&mut sar, &crate::doorstep::queries::settings(store).await?);
    Ok(sar)
}

/// (made at, status, held, reasons, entry JSON, whether anyone else lives at the door)
type ReviewRow = (DateTime<Utc>, String, bool, String, String, bool);

/// Entries held, flagged or rejected at their door that name them, or name nobody (a
/// knock at the door); another resident's entries are theirs, not this person's, and a
/// knock's notes are given only to someone who lives alone.
async fn reviewed_entries(store: &Store, elector_id: i64) -> AppResult<Vec<ReviewedEntryRecord>> {
    let rows: Vec<ReviewRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT r.made_at, r.status, r.held, r.reasons, r.entry,
                EXISTS (SELECT 1 FROM electors o WHERE o.household_id = e.household_id AND o.id <> e.id
                           AND o.left_at IS NULL AND o.erased_at IS NULL) AS shared
           FROM doorstep_reviews r JOIN electors e ON e.id = $1
          WHERE r.household_id = e.household_id
          ORDER BY r.made_at, r.id")
        .bind(elector_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(made_at, status, held, reasons, json, shared)| {
            let entry: crate::doorstep::DoorEntry = serde_json::from_str(&json).ok()?;
            let theirs = entry.elector_id == Some(crate::ids::ElectorId(elector_id));
            if !theirs && entry.elector_id.is_some() {
                return None;
            }
            Some(ReviewedEntryRecord {
                made_at,
                status,
                held,
                result: entry.result,
                intention: entry.intention,
                notes: entry.notes.filter(|_| theirs || !shared),
                reasons,
            })
        })
        .collect())
}
