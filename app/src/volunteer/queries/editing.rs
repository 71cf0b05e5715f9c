//! Adding and editing volunteers: contact details checked as typed, a new volunteer, the
//! volunteer page's edit form.

use super::detail::record;
use super::ladder::INSERT_STAGE;
use super::reach::{require_volunteer, seat_reach, Reach};
use super::roster::wards;
use super::teams::teams;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::volunteer::{parse_availability, Stage, HEARD_FROM};
use crate::{on_store, on_tx};
use chrono::Utc;

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

/// Adds a volunteer to a seat, with the first step of their ladder. A team leader's new
/// volunteer joins their team.
pub async fn create(store: &Store, user: &CurrentUser, gss: &str, new: NewVolunteer) -> AppResult<i64> {
    let seat = seat_reach(store, user, gss).await?;
    let (first, last, email, phone) =
        check_contact(&new.first_name, &new.surname, new.email.as_deref(), new.phone.as_deref())
            .map_err(|(_, reason)| AppError::BadInput(capitalise(&reason)))?;
    if !new.heard_from.is_empty() && !HEARD_FROM.iter().any(|(c, _)| *c == new.heard_from) {
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

pub(super) fn capitalise(s: &str) -> String {
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
    let availability = parse_availability(&edit.availability.join(" ")).map_err(AppError::BadInput)?;
    if !edit.heard_from.is_empty() && !HEARD_FROM.iter().any(|(c, _)| *c == edit.heard_from) {
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
