//! Prospects met on the doorstep: someone who said at a door that they want to volunteer.

use super::editing::{capitalise, check_contact};
use super::ladder::INSERT_STAGE;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::volunteer::{filled, Purpose};
use crate::{on_store, on_tx};
use chrono::Utc;

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
    let first = filled(contact.first_name).or(e_first).unwrap_or_else(|| "Unnamed".into());
    let last = filled(contact.surname).or(e_last).unwrap_or_else(|| "(met on the doorstep)".into());
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
