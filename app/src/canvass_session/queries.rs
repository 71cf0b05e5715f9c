//! Canvass session queries: who may see and run a session, the seat's sessions, sign-up
//! within capacity, attendance and hours.

use super::{MySession, MySessions, SeatSessions, SessionDetail, SessionSummary, SessionWalkList, Signup};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::volunteer::queries::{reach_in_seat, require_volunteer, seat_reach, summaries, Reach};
use crate::volunteer::{Choice, Stage};
use crate::{on_store, on_tx};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

/// The session summary query with a closing clause appended, as one static string.
macro_rules! summary_sql {
    ($tail:literal) => {
        concat!(
            "SELECT cs.id, cs.seat_id, s.gss_code AS gss, s.name AS seat_name, cs.title, cs.starts_at, cs.ends_at,
                    cs.meeting_point, cs.lat, cs.lon, cs.capacity, cs.team_id, t.name AS team, cs.notes,
                    (SELECT COUNT(*) FROM session_attendance sa WHERE sa.canvass_session_id = cs.id) AS signed_up,
                    (SELECT COUNT(*) FROM session_attendance sa
                      WHERE sa.canvass_session_id = cs.id AND sa.attended) AS attended,
                    (SELECT COUNT(*) FROM walk_lists wl WHERE wl.canvass_session_id = cs.id) AS walk_lists
               FROM canvass_sessions cs JOIN seats s ON s.id = cs.seat_id LEFT JOIN teams t ON t.id = cs.team_id ",
            $tail
        )
    };
}

pub async fn summary(store: &Store, id: i64) -> AppResult<SessionSummary> {
    const SQL: &str = summary_sql!("WHERE cs.id = $1");
    on_store!(store, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await)?
        .ok_or_else(|| AppError::NotFound("That canvass session".into()))
}

/// Every session of a seat, soonest first.
pub async fn in_seat(store: &Store, seat_id: i64) -> AppResult<Vec<SessionSummary>> {
    const SQL: &str = summary_sql!("WHERE cs.seat_id = $1 ORDER BY cs.starts_at, cs.id");
    Ok(on_store!(store, pool => sqlx::query_as(SQL).bind(seat_id).fetch_all(pool).await)?)
}

/// What the user may do with a session.
#[derive(Debug, Clone)]
pub struct SessionAccess {
    pub session: SessionSummary,
    /// The seat's organisers and admins, and the leader of the session's team.
    pub manage: bool,
    /// The user's own volunteer record in the session's seat.
    pub my_volunteer: Option<i64>,
}

/// Volunteers of the seat see its sessions; their organisers and the session's team
/// leader manage them; nobody else learns anything about them.
pub async fn access(store: &Store, user: &CurrentUser, id: i64) -> AppResult<SessionAccess> {
    let session = match summary(store, id).await {
        Ok(s) => s,
        Err(AppError::NotFound(_)) if !user.role.sees_seats() => return Err(AppError::Forbidden),
        Err(e) => return Err(e),
    };
    let manage = match reach_in_seat(store, user, session.seat_id).await {
        Ok(reach) => reach.covers(session.team_id),
        Err(AppError::Forbidden) => false,
        Err(e) => return Err(e),
    };
    let my_volunteer = my_volunteer(store, user, session.seat_id).await?;
    if !manage && my_volunteer.is_none() {
        return Err(AppError::Forbidden);
    }
    Ok(SessionAccess { session, manage, my_volunteer })
}

/// The user's own volunteer record in the seat, while they work there.
async fn my_volunteer(store: &Store, user: &CurrentUser, seat_id: i64) -> AppResult<Option<i64>> {
    if !crate::auth::scope::works_in(store, user, seat_id).await? {
        return Ok(None);
    }
    let user_id = user.id;
    let row: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id FROM volunteers WHERE user_id = $1 AND seat_id = $2 ORDER BY id LIMIT 1")
        .bind(user_id).bind(seat_id).fetch_optional(pool).await)?;
    Ok(row.map(|(id,)| id))
}

/// A seat's sessions for its organisers (all) or a team leader (their team's).
pub async fn seat_sessions(
    store: &Store,
    user: &CurrentUser,
    gss: &str,
    now: DateTime<Utc>,
) -> AppResult<SeatSessions> {
    let seat = seat_reach(store, user, gss).await?;
    let sessions: Vec<SessionSummary> =
        in_seat(store, seat.seat_id).await?.into_iter().filter(|s| seat.reach.covers(s.team_id)).collect();
    let (mut past, upcoming): (Vec<_>, Vec<_>) = sessions.into_iter().partition(|s| s.ends_at < now);
    past.reverse();
    let teams = crate::volunteer::queries::teams(store, seat.seat_id)
        .await?
        .into_iter()
        .filter(|t| seat.reach.covers(Some(t.id)))
        .map(|t| Choice { id: t.id, name: t.name })
        .collect();
    Ok(SeatSessions {
        gss: seat.gss,
        seat_name: seat.seat_name,
        whole_seat: seat.reach.whole_seat(),
        teams,
        upcoming,
        past,
    })
}

/// The upcoming sessions of the seats where the user volunteers, and the places they
/// organise or lead a team.
pub async fn my_sessions(store: &Store, user: &CurrentUser, now: DateTime<Utc>) -> AppResult<MySessions> {
    let mine: Vec<(i64, i64, String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT v.id, v.seat_id, s.gss_code, s.name FROM volunteers v JOIN seats s ON s.id = v.seat_id
          WHERE v.user_id = $1 ORDER BY s.name")
        .bind(user.id).fetch_all(pool).await)?;
    // Volunteer records in seats the user no longer works in are left out.
    let mut here = Vec::with_capacity(mine.len());
    for row in mine {
        if crate::auth::scope::works_in(store, user, row.1).await? {
            here.push(row);
        }
    }
    let mine = here;
    let mut upcoming = Vec::new();
    for (volunteer_id, seat_id, _, _) in &mine {
        let signed: Vec<(i64,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT canvass_session_id FROM session_attendance WHERE volunteer_id = $1")
            .bind(volunteer_id).fetch_all(pool).await)?;
        for session in in_seat(store, *seat_id).await? {
            if session.ends_at >= now {
                let signed_up = signed.iter().any(|(id,)| *id == session.id);
                upcoming.push(MySession { session, signed_up });
            }
        }
    }
    upcoming.sort_by_key(|m| m.session.starts_at);
    let mut teams = Vec::new();
    let led: Vec<(i64, String, String, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT t.id, t.name, s.gss_code, t.seat_id FROM teams t JOIN seats s ON s.id = t.seat_id
          WHERE t.leader_user_id = $1 ORDER BY t.name")
        .bind(user.id).fetch_all(pool).await)?;
    for (id, name, gss, seat_id) in led {
        if crate::auth::scope::works_in(store, user, seat_id).await? {
            teams.push((gss, id, name));
        }
    }
    let organising = if matches!(user.role, crate::auth::Role::Organiser | crate::auth::Role::Admin) {
        let scope = crate::auth::scope::seat_scope(store, user).await?;
        crate::seat::queries::list(store)
            .await?
            .into_iter()
            .filter(|s| scope.contains(s.id))
            .map(|s| (s.gss_code, s.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(MySessions {
        upcoming,
        seats: mine.into_iter().map(|(_, _, gss, name)| (gss, name)).collect(),
        teams,
        organising,
    })
}

/// One session's page.
pub async fn detail(
    store: &Store,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<SessionDetail> {
    let access = access(store, user, id).await?;
    let session = access.session;
    let walk_lists: Vec<SessionWalkList> = on_store!(store, pool => sqlx::query_as(
        "SELECT wl.id, wl.name, wl.status,
                (SELECT COUNT(*) FROM walk_list_households wh WHERE wh.walk_list_id = wl.id) AS doors
           FROM walk_lists wl WHERE wl.canvass_session_id = $1 ORDER BY wl.name, wl.id")
        .bind(id).fetch_all(pool).await)?;
    let signups: Vec<Signup> = on_store!(store, pool => sqlx::query_as(
        "SELECT v.id AS volunteer_id, v.first_name, v.surname, v.stage, sa.attended, sa.hours, sa.signed_up_at,
                sa.recorded_at IS NOT NULL AS recorded
           FROM session_attendance sa JOIN volunteers v ON v.id = sa.volunteer_id
          WHERE sa.canvass_session_id = $1 ORDER BY v.surname, v.first_name, v.id")
        .bind(id).fetch_all(pool).await)?;
    let me = access.my_volunteer.map(|v| (v, signups.iter().any(|s| s.volunteer_id == v)));
    let (signups, addable) = if access.manage {
        let reach = reach_in_seat(store, user, session.seat_id).await?;
        // A team leader signs up their own team; the organiser anyone in the seat.
        let addable = summaries(store, session.seat_id, &reach)
            .await?
            .into_iter()
            .filter(|v| !signups.iter().any(|s| s.volunteer_id == v.id))
            .map(|v| Choice { id: v.id, name: format!("{} {}", v.first_name, v.surname) })
            .collect();
        (signups, addable)
    } else {
        (Vec::new(), Vec::new())
    };
    let map_svg = meeting_map(store, &session).await?;
    let attachable = if access.manage {
        let rows: Vec<(i64, String)> = on_store!(store, pool => sqlx::query_as(
            "SELECT id, name FROM walk_lists
              WHERE seat_id = $1 AND canvass_session_id IS NULL AND status <> 'closed' ORDER BY name, id")
            .bind(session.seat_id).fetch_all(pool).await)?;
        rows.into_iter().map(|(id, name)| Choice { id, name }).collect()
    } else {
        Vec::new()
    };
    Ok(SessionDetail {
        map_svg,
        attachable,
        started: session.starts_at <= now,
        session,
        walk_lists,
        can_manage: access.manage,
        signups,
        addable,
        me,
    })
}

/// A small map of the seat's wards with the meeting point marked (see `meeting_map`).
pub async fn meeting_map(store: &Store, session: &SessionSummary) -> AppResult<Option<String>> {
    let (Some(lat), Some(lon)) = (session.lat, session.lon) else { return Ok(None) };
    let wards: Vec<(String, Option<String>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT name, boundary FROM wards WHERE seat_id = $1 AND boundary IS NOT NULL ORDER BY name")
        .bind(session.seat_id).fetch_all(pool).await)?;
    Ok(super::meeting_map::draw(&session.seat_name, &session.meeting_point, lat, lon, &wards))
}

/// A session to create, as read from the form.
#[derive(Clone, Debug, PartialEq)]
pub struct NewSession {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub meeting_point: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub capacity: Option<i64>,
    pub team_id: Option<i64>,
}

impl NewSession {
    /// Reads the form: a date and UK times, a meeting point, optional coordinates and capacity.
    #[allow(clippy::too_many_arguments)]
    pub fn from_form(
        title: String,
        date: &str,
        start: &str,
        end: &str,
        meeting_point: String,
        lat: Option<String>,
        lon: Option<String>,
        capacity: Option<String>,
        team: Option<String>,
    ) -> AppResult<NewSession> {
        let bad = |m: &str| AppError::BadInput(m.to_string());
        let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| bad("Give the date of the session."))?;
        let time = |t: &str| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(t.trim(), "%H:%M:%S"))
                .map_err(|_| bad("Give the start and end times, such as 10:30."))
        };
        let starts_at = super::uk_time::from_local(day.and_time(time(start)?));
        let ends_at = super::uk_time::from_local(day.and_time(time(end)?));
        let number = |v: Option<String>, what: &str| {
            crate::volunteer::filled(v)
                .map(|v| {
                    v.parse::<f64>().map_err(|_| AppError::BadInput(format!("The {what} could not be read.")))
                })
                .transpose()
        };
        let lat = number(lat, "latitude")?;
        let lon = number(lon, "longitude")?;
        if lat.is_some() != lon.is_some() {
            return Err(bad("Give both the latitude and the longitude of the meeting point, or neither."));
        }
        if lat.is_some_and(|l| !(-90.0..=90.0).contains(&l))
            || lon.is_some_and(|l| !(-180.0..=180.0).contains(&l))
        {
            return Err(bad("Those coordinates are not on Earth."));
        }
        let capacity = crate::volunteer::filled(capacity)
            .map(|c| match c.parse::<i64>() {
                Ok(n) if (1..=500).contains(&n) => Ok(n),
                _ => {
                    Err(bad("The number of places is a whole number from 1 to 500 (or empty for no limit)."))
                }
            })
            .transpose()?;
        let team_id = crate::volunteer::filled(team)
            .map(|t| t.parse::<i64>().map_err(|_| bad("Choose a team.")))
            .transpose()?;
        Ok(NewSession {
            title: title.trim().to_string(),
            starts_at,
            ends_at,
            meeting_point: meeting_point.trim().to_string(),
            lat,
            lon,
            capacity,
            team_id,
        })
    }
}

/// Creates a session in a seat. A team leader's sessions are their team's.
pub async fn create(
    store: &Store,
    user: &CurrentUser,
    gss: &str,
    new: NewSession,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    let seat = seat_reach(store, user, gss).await?;
    let bad = |m: &str| Err(AppError::BadInput(m.to_string()));
    if new.title.is_empty() || new.title.chars().count() > 120 {
        return bad("Give the session a title of up to 120 characters.");
    }
    if new.meeting_point.is_empty() || new.meeting_point.chars().count() > 200 {
        return bad("Say where to meet (up to 200 characters).");
    }
    if new.ends_at <= new.starts_at {
        return bad("The session must end after it starts.");
    }
    if new.ends_at - new.starts_at > Duration::hours(12) {
        return bad("A session lasts at most 12 hours.");
    }
    if new.starts_at < now - Duration::days(1) {
        return bad("A new session cannot be in the past.");
    }
    let team_id = match &seat.reach {
        Reach::WholeSeat => new.team_id,
        Reach::Teams(ids) => Some(new.team_id.filter(|t| ids.contains(t)).unwrap_or(ids[0])),
    };
    if let Some(t) = team_id {
        let teams = crate::volunteer::queries::teams(store, seat.seat_id).await?;
        if !teams.iter().any(|team| team.id == t) {
            return bad("That team is not in this seat.");
        }
    }
    let (id,): (i64,) = on_store!(store, pool => sqlx::query_as(
        "INSERT INTO canvass_sessions (seat_id, title, starts_at, ends_at, meeting_point, lat, lon, capacity, team_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(seat.seat_id).bind(&new.title).bind(new.starts_at).bind(new.ends_at).bind(&new.meeting_point)
        .bind(new.lat).bind(new.lon).bind(new.capacity).bind(team_id)
        .fetch_one(pool).await)?;
    Ok(id)
}

/// Which volunteer a sign-up (or its cancelling) is for: the user's own record when none
/// is named; anyone else only for those who manage the session, within their reach.
async fn volunteer_for(
    store: &Store,
    user: &CurrentUser,
    access: &SessionAccess,
    volunteer_id: Option<i64>,
) -> AppResult<i64> {
    match volunteer_id {
        None => access.my_volunteer.ok_or_else(|| {
            AppError::BadInput("You have no volunteer record in this seat to sign up with.".into())
        }),
        Some(v) if Some(v) == access.my_volunteer => Ok(v),
        Some(v) => {
            if !access.manage {
                return Err(AppError::Forbidden);
            }
            let (seat_id, _) = require_volunteer(store, user, v).await?;
            if seat_id != access.session.seat_id {
                return Err(AppError::BadInput("That volunteer is not in this session's seat.".into()));
            }
            Ok(v)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedUp {
    Added,
    AlreadySignedUp,
}

/// Signs a volunteer up for a session, if it has a place left. The places are counted
/// inside a write that holds the session's seat (SQLite's one writer, PostgreSQL's seat
/// lock), so two people cannot both take the last one.
pub async fn sign_up(
    store: &Store,
    user: &CurrentUser,
    session_id: i64,
    volunteer_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<SignedUp> {
    let access = access(store, user, session_id).await?;
    let volunteer_id = volunteer_for(store, user, &access, volunteer_id).await?;
    if access.session.starts_at <= now && !access.manage {
        return Err(AppError::BadInput("This session has already started, so sign-up is closed.".into()));
    }
    enum Taken {
        Added,
        Already,
        Full(i64),
    }
    let taken = store.write(&[access.session.seat_id], |tx| Box::pin(async { on_tx!(tx, tx => {
        let (capacity, signed, already): (Option<i64>, i64, i64) = sqlx::query_as(
            "SELECT cs.capacity,
                    (SELECT COUNT(*) FROM session_attendance sa WHERE sa.canvass_session_id = cs.id),
                    (SELECT COUNT(*) FROM session_attendance sa WHERE sa.canvass_session_id = cs.id AND sa.volunteer_id = $2)
               FROM canvass_sessions cs WHERE cs.id = $1")
            .bind(session_id).bind(volunteer_id).fetch_one(&mut *tx).await?;
        let taken = if already > 0 {
            Taken::Already
        } else if let Some(c) = capacity.filter(|c| signed >= *c) {
            Taken::Full(c)
        } else {
            sqlx::query(
                "INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, signed_up_at, signed_up_by)
                 VALUES ($1, $2, FALSE, $3, $4)")
                .bind(session_id).bind(volunteer_id).bind(now).bind(user.id).execute(&mut *tx).await?;
            Taken::Added
        };
        Ok::<_, sqlx::Error>(taken)
    })})).await?;
    match taken {
        Taken::Added => Ok(SignedUp::Added),
        Taken::Already => Ok(SignedUp::AlreadySignedUp),
        Taken::Full(c) => Err(AppError::BadInput(format!(
            "Sorry, this session is full: all {c} places are taken. Choose another session, or ask your organiser."
        ))),
    }
}

/// Takes a volunteer off a session's list (before it starts; its managers at any time,
/// unless attendance has been recorded).
pub async fn cancel(
    store: &Store,
    user: &CurrentUser,
    session_id: i64,
    volunteer_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let access = access(store, user, session_id).await?;
    let volunteer_id = volunteer_for(store, user, &access, volunteer_id).await?;
    if access.session.starts_at <= now && !access.manage {
        return Err(AppError::BadInput("This session has already started.".into()));
    }
    on_store!(store, pool => sqlx::query(
        "DELETE FROM session_attendance WHERE canvass_session_id = $1 AND volunteer_id = $2 AND NOT attended")
        .bind(session_id).bind(volunteer_id).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Records whether a volunteer came to a session and for how many hours (the length of
/// the session unless given). Someone who came without signing up is added. A prospect
/// who comes to a session has reached "first session", dated that day.
pub async fn record_attendance(
    store: &Store,
    user: &CurrentUser,
    session_id: i64,
    volunteer_id: i64,
    attended: bool,
    hours: Option<f64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let access = access(store, user, session_id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let session = &access.session;
    let (seat_id, _) = require_volunteer(store, user, volunteer_id).await?;
    if seat_id != session.seat_id {
        return Err(AppError::BadInput("That volunteer is not in this session's seat.".into()));
    }
    if session.starts_at > now {
        return Err(AppError::BadInput("Attendance can be recorded once the session has started.".into()));
    }
    if let Some(h) = hours {
        if !(h > 0.0 && h <= 24.0) {
            return Err(AppError::BadInput("Hours are more than 0 and at most 24.".into()));
        }
    }
    let hours = attended.then(|| hours.unwrap_or_else(|| (session.hours() * 2.0).round() / 2.0));
    on_store!(store, pool => sqlx::query(
        "INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, hours, signed_up_at, signed_up_by,
                                         recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $5, $6)
         ON CONFLICT (canvass_session_id, volunteer_id)
         DO UPDATE SET attended = excluded.attended, hours = excluded.hours,
                       recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by")
        .bind(session_id).bind(volunteer_id).bind(attended).bind(hours).bind(now).bind(user.id)
        .execute(pool).await.map(|_| ()))?;
    if attended {
        let volunteer = crate::volunteer::queries::record(store, volunteer_id).await?;
        if volunteer.stage() == Stage::Prospect {
            // Dated the session, unless they were only added after it (a walk-in).
            let since: Option<(DateTime<Utc>,)> = on_store!(store, pool => sqlx::query_as(
                "SELECT at FROM volunteer_stages WHERE volunteer_id = $1 ORDER BY at DESC, id DESC LIMIT 1")
                .bind(volunteer_id).fetch_optional(pool).await)?;
            let at = match since {
                Some((since,)) if since >= session.starts_at => now,
                _ => session.starts_at,
            };
            let note = format!("came to {}", session.title);
            crate::volunteer::queries::move_stage(
                store,
                volunteer_id,
                Stage::FirstSession,
                at,
                Some(user.id),
                Some(&note),
            )
            .await?;
        }
    }
    Ok(())
}

/// The upcoming sessions of a seat someone may put in their calendar: all of them for
/// its volunteers and organisers, a team leader's own team's otherwise.
pub async fn calendar_sessions(
    store: &Store,
    user: &CurrentUser,
    gss: &str,
    now: DateTime<Utc>,
) -> AppResult<(String, Vec<SessionSummary>)> {
    let seat = crate::seat::queries::find(store, gss).await?;
    let volunteers_here = my_volunteer(store, user, seat.id).await?.is_some();
    let reach = match reach_in_seat(store, user, seat.id).await {
        Ok(reach) => Some(reach),
        Err(AppError::Forbidden) => None,
        Err(e) => return Err(e),
    };
    let sees = |team: Option<i64>| volunteers_here || reach.as_ref().is_some_and(|r| r.covers(team));
    if !volunteers_here && reach.is_none() {
        return Err(AppError::Forbidden);
    }
    let sessions =
        in_seat(store, seat.id).await?.into_iter().filter(|s| s.ends_at >= now && sees(s.team_id)).collect();
    Ok((seat.name, sessions))
}

/// Attaches a walk list of the session's seat (not closed, not on another session) to it.
pub async fn attach_walk_list(
    store: &Store,
    user: &CurrentUser,
    session_id: i64,
    walk_list_id: i64,
) -> AppResult<()> {
    let access = access(store, user, session_id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let attached = on_store!(store, pool => sqlx::query(
        "UPDATE walk_lists SET canvass_session_id = $1
          WHERE id = $2 AND seat_id = $3 AND canvass_session_id IS NULL AND status <> 'closed'")
        .bind(session_id).bind(walk_list_id).bind(access.session.seat_id)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    if attached == 0 {
        return Err(AppError::BadInput(
            "That walk list cannot be attached: it is in another seat, closed, or already on a session."
                .into(),
        ));
    }
    Ok(())
}
