//! Volunteer queries: who may reach which volunteers, the seat's list, one volunteer's
//! record and history, the ladder, consent, teams, and prospects met on the doorstep.

use super::{
    AttendanceRecord, Choice, ConsentRecord, ListFilter, Purpose, Show, Stage, StageStep, TeamInfo,
    VolunteerDetail, VolunteerList, VolunteerRecord, VolunteerSummary,
};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};

/// How much of a seat's volunteers (and sessions) a user reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// The seat's organisers and admins.
    WholeSeat,
    /// A team leader: the teams they lead in the seat.
    Teams(Vec<i64>),
}

impl Reach {
    pub fn covers(&self, team_id: Option<i64>) -> bool {
        match self {
            Reach::WholeSeat => true,
            Reach::Teams(ids) => team_id.is_some_and(|t| ids.contains(&t)),
        }
    }

    pub fn whole_seat(&self) -> bool {
        matches!(self, Reach::WholeSeat)
    }
}

#[derive(Debug, Clone)]
pub struct SeatReach {
    pub seat_id: i64,
    pub gss: String,
    pub seat_name: String,
    pub reach: Reach,
}

/// Organisers of the seat and admins reach all of it; a team leader reaches the teams
/// they lead there; regional staff and volunteers reach no one's personal details.
pub async fn reach_in_seat(store: &Store, user: &CurrentUser, seat_id: i64) -> AppResult<Reach> {
    match user.role {
        Role::Admin => Ok(Reach::WholeSeat),
        Role::Organiser => {
            crate::auth::scope::require_seat(store, user, seat_id).await?;
            Ok(Reach::WholeSeat)
        }
        Role::TeamLeader => {
            // Teams in a seat they have been moved away from are no longer theirs.
            if !crate::auth::scope::works_in(store, user, seat_id).await? {
                return Err(AppError::Forbidden);
            }
            let teams = teams_led(store, user.id, Some(seat_id)).await?;
            if teams.is_empty() {
                Err(AppError::Forbidden)
            } else {
                Ok(Reach::Teams(teams.into_iter().map(|(id, _)| id).collect()))
            }
        }
        Role::Regional | Role::Volunteer => Err(AppError::Forbidden),
    }
}

pub async fn seat_reach(store: &Store, user: &CurrentUser, gss: &str) -> AppResult<SeatReach> {
    let seat = crate::seat::queries::find(store, gss).await?;
    let reach = reach_in_seat(store, user, seat.id).await?;
    Ok(SeatReach { seat_id: seat.id, gss: seat.gss_code, seat_name: seat.name, reach })
}

/// The teams a user leads (in one seat, or anywhere), with their seat's GSS code.
pub async fn teams_led(store: &Store, user_id: i64, seat_id: Option<i64>) -> AppResult<Vec<(i64, String)>> {
    let rows: Vec<(i64, i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT t.id, t.seat_id, s.gss_code FROM teams t JOIN seats s ON s.id = t.seat_id
          WHERE t.leader_user_id = $1 ORDER BY t.name")
        .bind(user_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .filter(|(_, seat, _)| seat_id.is_none_or(|s| s == *seat))
        .map(|(id, _, g)| (id, g))
        .collect())
}

/// Checks that the user may see and change this volunteer; gives the seat and reach.
pub async fn require_volunteer(store: &Store, user: &CurrentUser, id: i64) -> AppResult<(i64, Reach)> {
    let row: Option<(i64, Option<i64>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT seat_id, team_id FROM volunteers WHERE id = $1").bind(id).fetch_optional(pool).await)?;
    let Some((seat_id, team_id)) = row else {
        // Staff learn that it is gone; anyone else gets the same answer as for someone else's.
        return Err(if user.role.sees_seats() {
            AppError::NotFound("That volunteer".into())
        } else {
            AppError::Forbidden
        });
    };
    let reach = reach_in_seat(store, user, seat_id).await?;
    if !reach.covers(team_id) {
        return Err(AppError::Forbidden);
    }
    Ok((seat_id, reach))
}

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

pub async fn teams(store: &Store, seat_id: i64) -> AppResult<Vec<TeamInfo>> {
    let rows: Vec<(i64, String, Option<String>, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT t.id, t.name, u.display_name, (SELECT COUNT(*) FROM volunteers v WHERE v.team_id = t.id)
           FROM teams t LEFT JOIN users u ON u.id = t.leader_user_id
          WHERE t.seat_id = $1 ORDER BY t.name")
        .bind(seat_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(id, name, leader, members)| TeamInfo { id, name, leader, members }).collect())
}

pub async fn wards(store: &Store, seat_id: i64) -> AppResult<Vec<Choice>> {
    let rows: Vec<(i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, name FROM wards WHERE seat_id = $1 ORDER BY name").bind(seat_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(id, name)| Choice { id, name }).collect())
}

/// Active users with the team-leader role who belong to the seat (by their patch or
/// their own volunteer record).
pub async fn team_leaders(store: &Store, seat_id: i64) -> AppResult<Vec<Choice>> {
    let rows: Vec<(i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT u.id, u.display_name FROM users u
          WHERE u.role = 'team_leader' AND u.active
            AND (EXISTS (SELECT 1 FROM user_scopes us WHERE us.user_id = u.id AND us.seat_id = $1)
                 OR EXISTS (SELECT 1 FROM volunteers v WHERE v.user_id = u.id AND v.seat_id = $1))
          ORDER BY u.display_name")
        .bind(seat_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(id, name)| Choice { id, name }).collect())
}

const RECORD: &str =
    "SELECT v.id, v.seat_id, v.user_id, v.first_name, v.surname, v.email, v.phone, v.ward_id,
        w.name AS ward, v.team_id, t.name AS team, v.stage, v.availability, v.drives, v.languages, v.skills,
        v.needs, v.heard_from, v.notes, v.conversation_id, v.elector_id,
        h.address1 || COALESCE(', ' || h.postcode, '') AS met_at, v.created_at
   FROM volunteers v LEFT JOIN wards w ON w.id = v.ward_id LEFT JOIN teams t ON t.id = v.team_id
   LEFT JOIN households h ON h.id = v.household_id
  WHERE v.id = $1";

pub async fn record(store: &Store, id: i64) -> AppResult<VolunteerRecord> {
    on_store!(store, pool => sqlx::query_as(RECORD).bind(id).fetch_optional(pool).await)?
        .ok_or_else(|| AppError::NotFound("That volunteer".into()))
}

/// A volunteer's page: their record, ladder, consent and sessions. Each view is logged.
#[tracing::instrument(skip(store, user), fields(user = user.id))]
pub async fn detail(store: &Store, user: &CurrentUser, id: i64) -> AppResult<VolunteerDetail> {
    let (seat_id, reach) = require_volunteer(store, user, id).await?;
    let volunteer = record(store, id).await?;
    let (stages, consents, sessions, seat): (
        Vec<StageStep>,
        Vec<ConsentRecord>,
        Vec<AttendanceRecord>,
        (String, String),
    ) = on_store!(store, pool => {
        let stages = sqlx::query_as(
            "SELECT vs.stage, vs.at, u.display_name AS recorded_by, vs.note
                   FROM volunteer_stages vs LEFT JOIN users u ON u.id = vs.recorded_by
                  WHERE vs.volunteer_id = $1 ORDER BY vs.at DESC, vs.id DESC")
            .bind(id).fetch_all(pool).await?;
        let consents = sqlx::query_as(
            "SELECT c.purpose, c.given, c.recorded_at, u.display_name AS recorded_by, c.source
                   FROM volunteer_consents c LEFT JOIN users u ON u.id = c.recorded_by
                  WHERE c.volunteer_id = $1 ORDER BY c.recorded_at DESC, c.id DESC")
            .bind(id).fetch_all(pool).await?;
        let sessions = sqlx::query_as(
            "SELECT cs.id AS session_id, cs.title, cs.starts_at, sa.attended, sa.hours
                   FROM session_attendance sa JOIN canvass_sessions cs ON cs.id = sa.canvass_session_id
                  WHERE sa.volunteer_id = $1 ORDER BY cs.starts_at DESC")
            .bind(id).fetch_all(pool).await?;
        let seat = sqlx::query_as("SELECT gss_code, name FROM seats WHERE id = $1")
            .bind(seat_id).fetch_one(pool).await?;
        Ok::<_, sqlx::Error>((stages, consents, sessions, seat))
    })?;
    let teams = teams(store, seat_id)
        .await?
        .into_iter()
        .filter(|t| reach.covers(Some(t.id)))
        .map(|t| Choice { id: t.id, name: t.name })
        .collect();
    // A volunteer's details are personal data: every view is on the record.
    crate::audit::record(store, Some(user.id), "view", "volunteer", &id.to_string(), "volunteer page")
        .await?;
    Ok(VolunteerDetail {
        gss: seat.0,
        seat_name: seat.1,
        volunteer,
        stages,
        consents,
        sessions,
        wards: wards(store, seat_id).await?,
        teams,
        can_change_team: reach.whole_seat(),
        can_download: user.role == crate::auth::Role::Admin,
    })
}

/// A first name, a surname, an email address and a phone number, tidied.
pub type Contact = (String, String, Option<String>, Option<String>);

/// Checks a name, an email address and a phone number as a person would type them,
/// giving back tidy values or the field and what is wrong with it.
pub fn check_contact(
    first_name: &str,
    surname: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<Contact, (&'static str, String)> {
    let first = first_name.trim();
    let last = surname.trim();
    if first.is_empty() {
        return Err(("first_name", "a first name is needed".into()));
    }
    if last.is_empty() {
        return Err(("surname", "a surname is needed".into()));
    }
    if first.chars().count() > 100 || last.chars().count() > 100 {
        return Err(("surname", "names are limited to 100 characters".into()));
    }
    let email = email.map(str::trim).filter(|e| !e.is_empty()).map(str::to_lowercase);
    if let Some(e) = &email {
        let valid = e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        }) && !e.contains(char::is_whitespace)
            && e.len() <= 254;
        if !valid {
            return Err(("email", format!("\"{e}\" is not an email address")));
        }
    }
    let phone = phone.map(str::trim).filter(|p| !p.is_empty()).map(str::to_string);
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        let allowed = p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if !allowed || !(7..=15).contains(&digits) {
            return Err(("phone", format!("\"{p}\" is not a phone number")));
        }
    }
    Ok((first.to_string(), last.to_string(), email, phone))
}

/// A volunteer to add. Everything but the name may be left out.
#[derive(Clone, Debug, Default)]
pub struct NewVolunteer {
    pub first_name: String,
    pub surname: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub ward_id: Option<i64>,
    pub team_id: Option<i64>,
    pub stage: Option<Stage>,
    pub heard_from: String,
    pub user_id: Option<i64>,
}

const INSERT: &str =
    "INSERT INTO volunteers (seat_id, user_id, first_name, surname, email, phone, ward_id, team_id,
                                 stage, heard_from, created_at)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
const INSERT_STAGE: &str =
    "INSERT INTO volunteer_stages (volunteer_id, stage, at, recorded_by, note) VALUES ($1, $2, $3, $4, $5)";

/// Adds a volunteer to a seat, with the first step of their ladder. A team leader's new
/// volunteer joins their team.
pub async fn create(store: &Store, user: &CurrentUser, gss: &str, new: NewVolunteer) -> AppResult<i64> {
    let seat = seat_reach(store, user, gss).await?;
    let (first, last, email, phone) =
        check_contact(&new.first_name, &new.surname, new.email.as_deref(), new.phone.as_deref())
            .map_err(|(_, reason)| AppError::BadInput(capitalise(&reason)))?;
    if !new.heard_from.is_empty() && !super::HEARD_FROM.iter().any(|(c, _)| *c == new.heard_from) {
        return Err(AppError::BadInput("Choose how they heard of us from the list.".into()));
    }
    let team_id = match &seat.reach {
        Reach::WholeSeat => new.team_id,
        Reach::Teams(ids) => Some(new.team_id.filter(|t| ids.contains(t)).unwrap_or(ids[0])),
    };
    check_in_seat(store, seat.seat_id, new.ward_id, team_id).await?;
    let stage = new.stage.unwrap_or(Stage::Prospect);
    let now = Utc::now();
    let id = store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let (id,): (i64,) = sqlx::query_as(INSERT)
            .bind(seat.seat_id).bind(new.user_id).bind(&first).bind(&last).bind(&email).bind(&phone)
            .bind(new.ward_id).bind(team_id).bind(stage.as_str()).bind(&new.heard_from).bind(now)
            .fetch_one(&mut *tx).await?;
        sqlx::query(INSERT_STAGE).bind(id).bind(stage.as_str()).bind(now).bind(user.id).bind(None::<String>)
            .execute(&mut *tx).await?;
        Ok::<_, sqlx::Error>(id)
    })})).await?;
    Ok(id)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str()),
        None => String::new(),
    }
}

/// A ward and a team given for a volunteer must be the seat's own.
async fn check_in_seat(
    store: &Store,
    seat_id: i64,
    ward_id: Option<i64>,
    team_id: Option<i64>,
) -> AppResult<()> {
    if let Some(w) = ward_id {
        if !wards(store, seat_id).await?.iter().any(|c| c.id == w) {
            return Err(AppError::BadInput("That ward is not in this seat.".into()));
        }
    }
    if let Some(t) = team_id {
        if !teams(store, seat_id).await?.iter().any(|c| c.id == t) {
            return Err(AppError::BadInput("That team is not in this seat.".into()));
        }
    }
    Ok(())
}

/// The volunteer page's edit form, as read from the post.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VolunteerEdit {
    pub first_name: String,
    pub surname: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub ward_id: Option<i64>,
    /// `None`: leave the team as it is (a team leader cannot move people between teams).
    pub team_id: Option<Option<i64>>,
    pub availability: Vec<String>,
    pub drives: bool,
    pub languages: String,
    pub skills: String,
    pub needs: String,
    pub heard_from: String,
    pub notes: String,
}

pub async fn update(store: &Store, user: &CurrentUser, id: i64, edit: VolunteerEdit) -> AppResult<()> {
    let (seat_id, reach) = require_volunteer(store, user, id).await?;
    let (first, last, email, phone) =
        check_contact(&edit.first_name, &edit.surname, edit.email.as_deref(), edit.phone.as_deref())
            .map_err(|(_, reason)| AppError::BadInput(capitalise(&reason)))?;
    let availability = super::parse_availability(&edit.availability.join(" ")).map_err(AppError::BadInput)?;
    if !edit.heard_from.is_empty() && !super::HEARD_FROM.iter().any(|(c, _)| *c == edit.heard_from) {
        return Err(AppError::BadInput("Choose how they heard of us from the list.".into()));
    }
    for (name, text, limit) in [
        ("Languages", &edit.languages, 200),
        ("Skills", &edit.skills, 500),
        ("Needs", &edit.needs, 500),
        ("Notes", &edit.notes, 4000),
    ] {
        if text.chars().count() > limit {
            return Err(AppError::BadInput(format!("{name} are limited to {limit} characters.")));
        }
    }
    let current = record(store, id).await?;
    let team_id = match (edit.team_id, &reach) {
        (Some(team), Reach::WholeSeat) => team,
        _ => current.team_id,
    };
    check_in_seat(store, seat_id, edit.ward_id, team_id).await?;
    on_store!(store, pool => sqlx::query(
        "UPDATE volunteers SET first_name = $2, surname = $3, email = $4, phone = $5, ward_id = $6, team_id = $7,
                availability = $8, drives = $9, languages = $10, skills = $11, needs = $12, heard_from = $13,
                notes = $14
          WHERE id = $1")
        .bind(id).bind(&first).bind(&last).bind(&email).bind(&phone).bind(edit.ward_id).bind(team_id)
        .bind(availability.join(" ")).bind(edit.drives).bind(edit.languages.trim()).bind(edit.skills.trim())
        .bind(edit.needs.trim()).bind(&edit.heard_from).bind(edit.notes.trim())
        .execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Sets a volunteer's stage, dated. The stage they are at is always that of the latest
/// dated step, so a step recorded late with an earlier date does not overtake a newer one.
pub async fn move_stage(
    store: &Store,
    id: i64,
    stage: Stage,
    at: DateTime<Utc>,
    recorded_by: Option<i64>,
    note: Option<&str>,
) -> AppResult<()> {
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        sqlx::query(INSERT_STAGE).bind(id).bind(stage.as_str()).bind(at).bind(recorded_by).bind(note)
            .execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE volunteers SET stage = (SELECT vs.stage FROM volunteer_stages vs WHERE vs.volunteer_id = $1
                                             ORDER BY vs.at DESC, vs.id DESC LIMIT 1)
              WHERE id = $1")
            .bind(id).execute(&mut *tx).await?;
        Ok::<_, sqlx::Error>(())
    })})).await?;
    Ok(())
}

/// The latest answer per purpose.
pub async fn current_consents(store: &Store, id: i64) -> AppResult<Vec<(Purpose, bool)>> {
    let rows: Vec<(String, bool)> = on_store!(store, pool => sqlx::query_as(
        "SELECT purpose, given FROM volunteer_consents WHERE volunteer_id = $1
          ORDER BY recorded_at DESC, id DESC")
        .bind(id).fetch_all(pool).await)?;
    let mut out: Vec<(Purpose, bool)> = Vec::new();
    for (purpose, given) in rows {
        if let Some(p) = Purpose::parse(&purpose) {
            if !out.iter().any(|(q, _)| *q == p) {
                out.push((p, given));
            }
        }
    }
    Ok(out)
}

/// Records answers about being contacted: a row for each purpose whose answer is new
/// or has changed, with when, who recorded it and how it was given.
pub async fn record_consents(
    store: &Store,
    id: i64,
    answers: &[(Purpose, bool)],
    source: &str,
    recorded_by: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let current = current_consents(store, id).await?;
    for (purpose, given) in answers {
        if current.iter().any(|(p, g)| p == purpose && g == given) {
            continue;
        }
        on_store!(store, pool => sqlx::query(
            "INSERT INTO volunteer_consents (volunteer_id, purpose, given, recorded_at, recorded_by, source)
             VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(purpose.as_str()).bind(*given).bind(now).bind(recorded_by).bind(source.trim())
            .execute(pool).await.map(|_| ()))?;
    }
    Ok(())
}

/// Creates a team in a seat (organisers and admins), led by a team-leader user.
pub async fn create_team(
    store: &Store,
    user: &CurrentUser,
    gss: &str,
    name: &str,
    leader: Option<i64>,
) -> AppResult<i64> {
    let seat = seat_reach(store, user, gss).await?;
    if !seat.reach.whole_seat() {
        return Err(AppError::Forbidden);
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::BadInput("A team needs a name of up to 80 characters.".into()));
    }
    if let Some(l) = leader {
        let role: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT role FROM users WHERE id = $1 AND active").bind(l).fetch_optional(pool).await)?;
        if role.map(|(r,)| r).as_deref() != Some("team_leader") {
            return Err(AppError::BadInput("A team is led by a user with the team-leader role.".into()));
        }
    }
    if teams(store, seat.seat_id).await?.iter().any(|t| t.name.eq_ignore_ascii_case(name)) {
        return Err(AppError::BadInput(format!("This seat already has a team called \"{name}\".")));
    }
    let (id,): (i64,) = on_store!(store, pool => sqlx::query_as(
        "INSERT INTO teams (seat_id, name, leader_user_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(seat.seat_id).bind(name).bind(leader).bind(Utc::now()).fetch_one(pool).await)?;
    Ok(id)
}

/// Puts a volunteer in a team of their seat (or in none).
pub async fn set_team(store: &Store, id: i64, team_id: Option<i64>) -> AppResult<()> {
    on_store!(store, pool => sqlx::query("UPDATE volunteers SET team_id = $2 WHERE id = $1")
        .bind(id).bind(team_id).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// What someone who wants to volunteer gave on the doorstep, beyond the register's name.
#[derive(Clone, Debug, Default)]
pub struct ProspectContact {
    /// When the person was not on the register (or gave another name).
    pub first_name: Option<String>,
    pub surname: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// What they agreed to be contacted about, there and then.
    pub consents: Vec<Purpose>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prospect {
    pub volunteer_id: i64,
    /// False when the conversation had already made its prospect.
    pub created: bool,
}

/// "Wants to volunteer", recorded at a door: makes a prospect in the conversation's seat,
/// linked to the conversation, its elector (whose name it takes) and household, with
/// the ward of the door. Calling it again for the same conversation finds the same
/// prospect and changes nothing.
///
/// Prospects made here are listed on the seat's volunteer page under "New from the
/// doorstep" until someone moves them up the ladder. (The follow-up queue itself, with
/// its "wants to volunteer" kind, is built on another branch: the follow-up is to call
/// this function.)
pub async fn prospect_from_doorstep(
    store: &Store,
    conversation_id: &str,
    contact: ProspectContact,
    recorded_by: Option<i64>,
) -> AppResult<Prospect> {
    if let Some(id) = prospect_of(store, conversation_id).await? {
        return Ok(Prospect { volunteer_id: id, created: false });
    }
    type Door = (i64, i64, Option<i64>, Option<String>, Option<String>, Option<i64>);
    let door: Option<Door> = on_store!(store, pool => sqlx::query_as(
        "SELECT c.seat_id, c.household_id, c.elector_id, e.first_name, e.surname, pd.ward_id
           FROM conversations c
           LEFT JOIN electors e ON e.id = c.elector_id
           LEFT JOIN households h ON h.id = c.household_id
           LEFT JOIN polling_districts pd ON pd.id = h.polling_district_id
          WHERE c.id = $1")
        .bind(conversation_id).fetch_optional(pool).await)?;
    let (seat_id, household_id, elector_id, e_first, e_last, ward_id) =
        door.ok_or_else(|| AppError::NotFound("That conversation".into()))?;
    let first = super::filled(contact.first_name).or(e_first).unwrap_or_else(|| "Unnamed".into());
    let last = super::filled(contact.surname).or(e_last).unwrap_or_else(|| "(met on the doorstep)".into());
    let (first, last, email, phone) =
        check_contact(&first, &last, contact.email.as_deref(), contact.phone.as_deref())
            .map_err(|(_, reason)| AppError::BadInput(capitalise(&reason)))?;
    let now = Utc::now();
    let created: Option<i64> = store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let row: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO volunteers (seat_id, first_name, surname, email, phone, ward_id, stage, heard_from,
                                     conversation_id, elector_id, household_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'prospect', 'doorstep', $7, $8, $9, $10)
             ON CONFLICT (conversation_id) WHERE conversation_id IS NOT NULL DO NOTHING
             RETURNING id")
            .bind(seat_id).bind(&first).bind(&last).bind(&email).bind(&phone).bind(ward_id)
            .bind(conversation_id).bind(elector_id).bind(household_id).bind(now)
            .fetch_optional(&mut *tx).await?;
        if let Some((id,)) = row {
            sqlx::query(INSERT_STAGE).bind(id).bind("prospect").bind(now).bind(recorded_by)
                .bind(Some("wants to volunteer, said on the doorstep")).execute(&mut *tx).await?;
            for purpose in &contact.consents {
                sqlx::query(
                    "INSERT INTO volunteer_consents (volunteer_id, purpose, given, recorded_at, recorded_by, source)
                     VALUES ($1, $2, TRUE, $3, $4, 'on the doorstep')")
                    .bind(id).bind(purpose.as_str()).bind(now).bind(recorded_by).execute(&mut *tx).await?;
            }
        }
        Ok::<_, sqlx::Error>(row.map(|(id,)| id))
    })})).await?;
    match created {
        Some(volunteer_id) => Ok(Prospect { volunteer_id, created: true }),
        // Made by a request that got there first.
        None => prospect_of(store, conversation_id)
            .await?
            .map(|volunteer_id| Prospect { volunteer_id, created: false })
            .ok_or(AppError::Internal),
    }
}

async fn prospect_of(store: &Store, conversation_id: &str) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id FROM volunteers WHERE conversation_id = $1").bind(conversation_id).fetch_optional(pool).await)?;
    Ok(row.map(|(id,)| id))
}

#[cfg(test)]
#[path = "queries_tests.rs"]
mod tests;
