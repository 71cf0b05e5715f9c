//! The seat's volunteer list: everyone the user reaches, filtered, with counts of the whole;
//! and the seat's wards to choose from.

use super::reach::{seat_reach, Reach};
use super::teams::{team_leaders, teams};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::on_store;
use crate::store::Store;
use crate::volunteer::{Choice, ListFilter, Show, Stage, VolunteerList, VolunteerSummary};
use chrono::{DateTime, Utc};

const LIST: &str = "SELECT v.id, v.first_name, v.surname, v.email, v.phone, w.name AS ward, v.stage, v.team_id,
        t.name AS team, v.heard_from, v.conversation_id IS NOT NULL AS from_doorstep,
        (SELECT COUNT(*) FROM session_attendance sa WHERE sa.volunteer_id = v.id AND sa.attended) AS attended,
        (SELECT cs.starts_at FROM session_attendance sa JOIN canvass_sessions cs ON cs.id = sa.canvass_session_id
          WHERE sa.volunteer_id = v.id AND sa.attended ORDER BY cs.starts_at DESC LIMIT 1) AS last_session,
        (SELECT vs.at FROM volunteer_stages vs WHERE vs.volunteer_id = v.id
          ORDER BY vs.at DESC, vs.id DESC LIMIT 1) AS stage_since,
        v.created_at
   FROM volunteers v LEFT JOIN wards w ON w.id = v.ward_id LEFT JOIN teams t ON t.id = v.team_id
  WHERE v.seat_id = $1
  ORDER BY v.surname, v.first_name, v.id";

/// Every volunteer of a seat the user reaches, in name order: one query.
#[tracing::instrument(skip(store, reach))]
pub async fn summaries(store: &Store, seat_id: i64, reach: &Reach) -> AppResult<Vec<VolunteerSummary>> {
    let rows: Vec<VolunteerSummary> =
        on_store!(store, pool => sqlx::query_as(LIST).bind(seat_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().filter(|v| reach.covers(v.team_id)).collect())
}

/// The seat's volunteer list as the user may see it, filtered, with counts of the whole.
#[tracing::instrument(skip(store, user), fields(user = user.id))]
pub async fn list(
    store: &Store,
    user: &CurrentUser,
    gss: &str,
    filter: ListFilter,
    now: DateTime<Utc>,
) -> AppResult<VolunteerList> {
    let seat = seat_reach(store, user, gss).await?;
    let all = summaries(store, seat.seat_id, &seat.reach).await?;
    let by_stage =
        Stage::ALL.into_iter().map(|s| (s, all.iter().filter(|v| v.stage() == s).count() as i64)).collect();
    let quiet = all.iter().filter(|v| v.gone_quiet(now, filter.weeks)).count() as i64;
    let ready = all.iter().filter(|v| v.ready_for().is_some()).count() as i64;
    let doorstep = all.iter().filter(|v| v.from_doorstep && v.stage() == Stage::Prospect).count() as i64;
    let total = all.len() as i64;
    let volunteers = all
        .into_iter()
        .filter(|v| filter.stage.is_none_or(|s| v.stage() == s))
        .filter(|v| filter.team.is_none_or(|t| v.team_id == Some(t)))
        .filter(|v| match filter.show {
            Show::All => true,
            Show::Quiet => v.gone_quiet(now, filter.weeks),
            Show::Ready => v.ready_for().is_some(),
            Show::Doorstep => v.from_doorstep && v.stage() == Stage::Prospect,
        })
        .collect();
    let teams =
        teams(store, seat.seat_id).await?.into_iter().filter(|t| seat.reach.covers(Some(t.id))).collect();
    let whole_seat = seat.reach.whole_seat();
    Ok(VolunteerList {
        gss: seat.gss,
        seat_name: seat.seat_name,
        whole_seat,
        filter,
        volunteers,
        by_stage,
        quiet,
        ready,
        doorstep,
        total,
        teams,
        wards: wards(store, seat.seat_id).await?,
        team_leaders: if whole_seat { team_leaders(store, seat.seat_id).await? } else { Vec::new() },
    })
}

pub async fn wards(store: &Store, seat_id: i64) -> AppResult<Vec<Choice>> {
    let rows: Vec<(i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, name FROM wards WHERE seat_id = $1 ORDER BY name").bind(seat_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(id, name)| Choice { id, name }).collect())
}
