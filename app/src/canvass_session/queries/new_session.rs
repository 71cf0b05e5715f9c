//! A new session: the form read and checked, then the session created in its seat.

use crate::auth::CurrentUser;
use crate::canvass_session::uk_time;
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use crate::volunteer::queries::{seat_reach, Reach};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

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
        let starts_at = uk_time::from_local(day.and_time(time(start)?));
        let ends_at = uk_time::from_local(day.and_time(time(end)?));
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
