//! Erasing an elector: their personal data goes from every table in one transaction,
//! the dashboards' counts stay, and a line in the erasure journal (no personal data)
//! lets the erasure be re-applied after a restore and keeps a re-imported register
//! from bringing them back.

use super::journal::{identity_hash, JournalLine};
use super::ERASURE_REASONS;
use crate::doorstep::DoorEntry;
use crate::error::{AppError, AppResult};
use crate::on_tx;
use crate::store::Store;
use chrono::{DateTime, Utc};

/// One of [`ERASURE_REASONS`], by its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reason(&'static str);

impl Reason {
    pub fn parse(code: &str) -> AppResult<Reason> {
        ERASURE_REASONS
            .iter()
            .find(|(c, _)| *c == code.trim())
            .map(|(c, _)| Reason(c))
            .ok_or_else(|| AppError::BadInput("Choose why the data is being erased from the list.".into()))
    }

    pub fn code(self) -> &'static str {
        self.0
    }
}

/// What an entry keeps when the person it named has been erased: the knock at the
/// door (its result, and "do not knock again", which is about the door) and nothing
/// about them: no elector, intention, notes, issues, answers, other follow-ups or the
/// phone's position (which says where they live).
pub fn without_person(entry: &mut DoorEntry) {
    entry.elector_id = None;
    entry.intention = None;
    entry.intention_source = None;
    entry.firmness = None;
    entry.notes = None;
    entry.issues.clear();
    entry.answers.clear();
    entry.follow_ups.retain(|k| k == "do_not_knock");
    entry.lat = None;
    entry.lon = None;
    entry.contact_phone = None;
    entry.contact_email = None;
}

/// (household, seat code, address key, first name, surname, erased at)
type Who = (i64, String, String, String, String, Option<DateTime<Utc>>);

/// Erases an elector's personal data in one transaction, keeping every count the
/// dashboards make: the elector row stays (nameless, numberless) so the electorate,
/// contacts and intentions still add up, but nothing in it says who they were. Issue
/// and survey codes stay with the nameless row (they are counted); notes, positions,
/// held entries' details and the seat's uploaded register files go; their open
/// follow-ups are closed (nobody can act on them now). The address goes too when
/// nobody else on the register lives there. Returns the journal line written.
pub async fn erase(
    store: &Store,
    elector_id: i64,
    by: Option<i64>,
    reason: Reason,
) -> AppResult<JournalLine> {
    let now: DateTime<Utc> = Utc::now();
    let line = store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let who: Option<Who> = sqlx::query_as(
            "SELECT e.household_id, s.gss_code, h.address_key, e.first_name, e.surname, e.erased_at
               FROM electors e JOIN households h ON h.id = e.household_id JOIN seats s ON s.id = e.seat_id
              WHERE e.id = $1")
            .bind(elector_id).fetch_optional(&mut *tx).await?;
        let Some((household_id, seat, address_key, first, surname, erased)) = who else {
            return Ok(Err(AppError::NotFound("That elector".into())));
        };
        if erased.is_some() {
            return Ok(Err(AppError::BadInput("This person's data has already been erased.".into())));
        }
        let (key,): (String,) = sqlx::query_as("SELECT key FROM erasure_key WHERE id = 1").fetch_one(&mut *tx).await?;
        let identity = crate::register::matching::identity(&address_key, &first, &surname);
        let line = JournalLine {
            elector_id,
            seat,
            identity_hash: identity_hash(&key, &identity),
            reason: reason.code().to_string(),
            erased_at: now,
        };
        sqlx::query("UPDATE conversations SET notes = NULL, lat = NULL, lon = NULL WHERE elector_id = $1")
            .bind(elector_id).execute(&mut *tx).await?;
        // The phone number or email they gave for a call back or volunteering.
        sqlx::query("UPDATE follow_ups SET phone = NULL, email = NULL WHERE elector_id = $1")
            .bind(elector_id).execute(&mut *tx).await?;
        // A teller's note of them voting keeps the vote (the turnout estimate counts it)
        // but not the poll number as typed, which was their number on the register.
        sqlx::query("UPDATE telling_entries SET typed = '' WHERE elector_id = $1")
            .bind(elector_id).execute(&mut *tx).await?;
        // How they vote (by post, their chase answers) and whether they voted at past
        // elections go; the marked registers' seat figures stay.
        for sql in [
            "DELETE FROM postal_chases WHERE elector_id = $1",
            "DELETE FROM postal_voters WHERE elector_id = $1",
            "DELETE FROM turnout_history WHERE elector_id = $1",
        ] {
            sqlx::query(sql).bind(elector_id).execute(&mut *tx).await?;
        }
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
            sqlx::query("UPDATE conversations SET notes = NULL, lat = NULL, lon = NULL WHERE household_id = $1")
                .bind(household_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE follow_ups SET phone = NULL, email = NULL WHERE household_id = $1")
                .bind(household_id).execute(&mut *tx).await?;
        }
        sqlx::query(
            "UPDATE follow_ups SET status = 'done', done_at = $2, done_by = $3 WHERE elector_id = $1 AND status = 'open'")
            .bind(elector_id).bind(now).bind(by).execute(&mut *tx).await?;
        // A prospect made from their doorstep "wants to volunteer", not yet met, goes;
        // a volunteer record they have since made their own only loses the link.
        sqlx::query("DELETE FROM volunteers WHERE elector_id = $1 AND stage = 'prospect' AND user_id IS NULL")
            .bind(elector_id).execute(&mut *tx).await?;
        sqlx::query("UPDATE volunteers SET elector_id = NULL, household_id = NULL, conversation_id = NULL WHERE elector_id = $1")
            .bind(elector_id).execute(&mut *tx).await?;
        // Entries held, flagged or rejected keep the phone's JSON: an entry naming them
        // keeps only the knock; when the address goes, every entry there loses its notes.
        let held: Vec<(String, String)> = sqlx::query_as("SELECT id, entry FROM doorstep_reviews WHERE household_id = $1")
            .bind(household_id).fetch_all(&mut *tx).await?;
        for (id, json) in held {
            let Ok(mut entry) = serde_json::from_str::<DoorEntry>(&json) else { continue };
            if entry.elector_id == Some(crate::ids::ElectorId(elector_id)) {
                without_person(&mut entry);
            } else if others == 0 {
                entry.notes = None;
                entry.lat = None;
                entry.lon = None;
                entry.contact_phone = None;
                entry.contact_email = None;
            } else {
                continue;
            }
            let json = serde_json::to_string(&entry).unwrap_or_default();
            sqlx::query("UPDATE doorstep_reviews SET entry = $1 WHERE id = $2")
                .bind(json).bind(id).execute(&mut *tx).await?;
        }
        // An uploaded register file of their seat holds their name and address: it goes
        // (an organiser part-way through an import uploads the file again).
        sqlx::query("DELETE FROM register_uploads WHERE seat_id = (SELECT seat_id FROM electors WHERE id = $1)")
            .bind(elector_id).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO erasure_journal (elector_id, seat_gss, identity_hash, reason, erased_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (elector_id) DO NOTHING")
            .bind(elector_id).bind(&line.seat).bind(&line.identity_hash).bind(&line.reason).bind(now)
            .execute(&mut *tx).await?;
        let label = ERASURE_REASONS.iter().find(|(c, _)| *c == reason.code()).map_or("", |(_, l)| *l);
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, action, object_type, object_id, reason)
             VALUES ($1, $2, 'erase', 'elector', $3, $4)")
            .bind(now).bind(by).bind(elector_id.to_string()).bind(label).execute(&mut *tx).await?;
        Ok::<_, sqlx::Error>(Ok(line))
    })})).await??;
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_reason_from_the_list_is_accepted() {
        assert_eq!(Reason::parse("request").map(Reason::code), Ok("request"));
        assert_eq!(Reason::parse(" deceased ").map(Reason::code), Ok("deceased"));
        assert!(Reason::parse("Zebedee Quartermaine asked by email").is_err());
        assert!(Reason::parse("").is_err());
    }

    #[test]
    fn an_entry_without_the_person_keeps_only_the_knock() {
        let mut entry = DoorEntry {
            id: "x".into(),
            result: "spoke".into(),
            elector_id: Some(crate::ids::ElectorId(7)),
            intention: Some("lab".into()),
            notes: Some("a name".into()),
            issues: vec!["nhs".into()],
            follow_ups: vec!["poster".into(), "do_not_knock".into()],
            lat: Some(53.6),
            ..DoorEntry::default()
        };
        without_person(&mut entry);
        assert_eq!((entry.elector_id, entry.intention, entry.notes, entry.lat), (None, None, None, None));
        assert!(entry.issues.is_empty());
        assert_eq!(entry.follow_ups, vec!["do_not_knock".to_string()]);
        assert_eq!(entry.result, "spoke");
    }
}
