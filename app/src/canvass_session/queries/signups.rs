//! Sign-up within capacity, cancelling, and attendance with hours (which moves a prospect
//! up to "first session").

use super::access::{access, SessionAccess};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::volunteer::queries::require_volunteer;
use crate::volunteer::Stage;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};

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
