//! Checks on a door entry: what makes one refused outright (what gets one flagged for an
//! organiser is in `flagging`).

use super::{DoorEntry, DoorResult, DoorstepSettings, CONTACT_FOLLOW_UPS, FOLLOW_UPS, NO_HOLDER};
use crate::error::{AppError, AppResult};

/// Checks an entry on its own: known result, party, issue, follow-up and survey codes,
/// a real UUID, a firmness of 1 to 5, and answers about the voter only when someone
/// was spoken to (follow-ups go with any result: "do not knock again" with a refusal).
/// Gives the entry's result, read.
///
/// A built-in result the campaign has since taken off its list is still taken: a phone
/// that kept the form from before the change must not lose what it recorded.
pub fn validate(entry: &DoorEntry, settings: &DoorstepSettings) -> AppResult<DoorResult> {
    let bad = |m: &str| Err(AppError::BadInput(m.to_string()));
    if uuid::Uuid::parse_str(&entry.id).is_err() {
        return bad("The entry has no valid id.");
    }
    let Some(result) = DoorResult::parse(&entry.result) else {
        return bad("Choose what happened at the door.");
    };
    super::correction::check_replaces(&entry.id, result, entry.replaces.as_deref())
        .map_err(|m| AppError::BadInput(m.into()))?;
    let spoke = result.spoke();
    if let Some(i) = &entry.intention {
        if !spoke || !settings.parties.iter().any(|(c, _)| c == i) {
            return bad("That voting intention is not one we know.");
        }
    }
    if let Some(s) = &entry.intention_source {
        if !spoke || !matches!(s.as_str(), "said" | "inferred") {
            return bad("Say whether the intention was said or inferred.");
        }
    }
    if let Some(f) = entry.firmness {
        if !spoke || !(1..=5).contains(&f) {
            return bad("Firmness is 1 to 5.");
        }
    }
    // An intention belongs to somebody: one with nobody holding it would count a
    // contact but no supporter, and could never be found again for that voter.
    if (entry.intention.is_some() || entry.firmness.is_some()) && entry.elector_id.is_none() {
        return bad(NO_HOLDER);
    }
    if entry.notes.as_ref().is_some_and(|n| n.len() > 4_000) {
        return bad("Notes are limited to 4,000 characters.");
    }
    if entry.issues.iter().any(|i| !spoke || !settings.issues.iter().any(|(c, _)| c == i)) {
        return bad("That issue is not one on the campaign's list.");
    }
    if entry.follow_ups.iter().any(|k| !FOLLOW_UPS.iter().any(|(c, _)| c == k)) {
        return bad("That follow-up is not one we know.");
    }
    for (question, answer) in &entry.answers {
        let known = settings.survey.iter().any(|q| &q.id == question && q.answers.contains(answer));
        if !spoke || !known {
            return bad("That survey answer is not one of the choices.");
        }
    }
    check_contact(entry)?;
    let position_ok = |v: Option<f64>, limit: f64| v.is_none_or(|v| v.is_finite() && v.abs() <= limit);
    if !position_ok(entry.lat, 90.0) || !position_ok(entry.lon, 180.0) {
        return bad("The phone's position could not be read.");
    }
    Ok(result)
}

/// A phone number or email comes only with a call back or wants-to-volunteer, with the
/// person's consent, and must read as one (the volunteer record's own checks).
fn check_contact(entry: &DoorEntry) -> AppResult<()> {
    let given = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
    if !given(&entry.contact_phone) && !given(&entry.contact_email) {
        return Ok(());
    }
    if !entry.follow_ups.iter().any(|k| CONTACT_FOLLOW_UPS.contains(&k.as_str())) {
        return Err(AppError::BadInput(
            "A phone number or email is kept only with \"Call back\" or \"Wants to volunteer\": tick one."
                .into(),
        ));
    }
    if !entry.contact_consent {
        return Err(AppError::BadInput(
            "Tick that they agreed to be contacted before saving a phone number or email.".into(),
        ));
    }
    // The names are the volunteer record's; only the number and address are checked here.
    crate::volunteer::queries::check_contact(
        "-",
        "-",
        entry.contact_email.as_deref(),
        entry.contact_phone.as_deref(),
    )
    .map(|_| ())
    .map_err(|(_, reason)| AppError::BadInput(format!("The contact details: {reason}.")))
}
