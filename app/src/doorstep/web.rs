//! The door form as a plain HTML form posts it, for phones without JavaScript (or before
//! it loads). A plain axum handler rather than a server function, because checkboxes
//! (issues, follow-ups) send one field several times.

use super::{doors_after, filled, queries, DoorEntry, DoorResult};
use crate::auth::session::user_from_headers;
use crate::error::{AppError, AppResult};
use crate::ids::{ElectorId, HouseholdId, WalkListId};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

/// Reads the posted fields into an entry, refusing what cannot be read. Only a
/// conversation carries an elector, an intention, issues and survey answers: a "not in"
/// pressed after filling some of them in stores just the knock (and any follow-ups).
pub fn entry_from_form(fields: &[(String, String)]) -> AppResult<DoorEntry> {
    let one = |name: &str| filled(fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
    let all = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    };
    let number = |name: &str, label: &str| -> AppResult<Option<i64>> {
        one(name)
            .map(|v| {
                v.parse::<i64>().map_err(|_| AppError::BadInput(format!("The {label} could not be read.")))
            })
            .transpose()
    };
    let required = |name: &str| {
        number(name, "door")?.ok_or_else(|| AppError::BadInput("The form is incomplete.".into()))
    };
    let result =
        one("result").ok_or_else(|| AppError::BadInput("Choose what happened at the door.".into()))?;
    let spoke = DoorResult::parse(&result).is_some_and(DoorResult::spoke);
    let intention = one("intention").filter(|_| spoke);
    let answers = fields
        .iter()
        .filter(|(k, v)| spoke && k.starts_with("q_") && !v.trim().is_empty())
        .map(|(k, v)| (k[2..].to_string(), v.trim().to_string()))
        .collect();
    Ok(DoorEntry {
        id: one("id").unwrap_or_default(),
        walk_list_id: WalkListId(required("walk_list_id")?),
        household_id: HouseholdId(required("household_id")?),
        elector_id: if spoke { number("elector_id", "elector")?.map(ElectorId) } else { None },
        intention_source: one("intention_source").filter(|_| intention.is_some()),
        intention,
        firmness: if spoke { number("firmness", "firmness")? } else { None },
        notes: one("notes"),
        issues: if spoke { all("issues") } else { Vec::new() },
        follow_ups: all("follow_ups"),
        answers,
        contact_phone: one("contact_phone"),
        contact_email: one("contact_email"),
        contact_consent: one("contact_consent").is_some(),
        replaces: one("replaces"),
        result,
        ..DoorEntry::default()
    })
}

fn found(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_string())]).into_response()
}

/// Stores the entry (once, however often it is sent) and goes on to the next door still
/// to knock; on a refusal, back to the door with the reason.
pub async fn record(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let store = &state.store;
    let user = match user_from_headers(store, &headers).await {
        Ok(user) => user,
        Err(_) => return found("/login"),
    };
    let entry = match entry_from_form(&fields) {
        Ok(entry) => entry,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let (list, household) = (entry.walk_list_id.0, entry.household_id.0);
    let back = |e: AppError| {
        let query = serde_urlencoded::to_string([("error", e.to_string())]).unwrap_or_default();
        found(&format!("/walk/{list}/door/{household}?{query}"))
    };
    match queries::store_entries(store, &user, vec![entry], chrono::Utc::now()).await {
        // Someone else's list or door: there is no form to go back to.
        Err(e @ (AppError::Forbidden | AppError::NotFound(_))) => return e.into_response(),
        Err(e) => return back(e),
        Ok(_) => {}
    }
    match queries::doors(store, list).await {
        Ok(doors) => match doors_after(&doors, household).first() {
            Some(next) => found(&format!("/walk/{list}/door/{next}")),
            None => found(&format!("/walk/{list}?done=1")),
        },
        Err(e) => back(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_posted_form_becomes_an_entry() {
        let spoke = fields(&[
            ("id", "x"),
            ("walk_list_id", "3"),
            ("household_id", "9"),
            ("elector_id", "12"),
            ("intention", "lab"),
            ("intention_source", "said"),
            ("firmness", "4"),
            ("issues", "nhs"),
            ("issues", "housing"),
            ("q_voted_last", "Yes"),
            ("follow_ups", "poster"),
            ("notes", " "),
            ("result", "spoke"),
        ]);
        let e = entry_from_form(&spoke).expect("entry");
        assert_eq!(
            (e.walk_list_id, e.household_id, e.elector_id, e.firmness),
            (WalkListId(3), HouseholdId(9), Some(ElectorId(12)), Some(4))
        );
        assert_eq!(e.issues, vec!["nhs".to_string(), "housing".to_string()]);
        assert_eq!(e.answers, vec![("voted_last".to_string(), "Yes".to_string())]);
        assert_eq!(e.follow_ups, vec!["poster".to_string()]);
        assert_eq!(e.notes, None);
        // The same fields with "Refused" pressed keep only the knock and its follow-ups.
        let mut refused = spoke.clone();
        refused.retain(|(k, _)| k != "result");
        refused.push(("result".into(), "refused".into()));
        let e = entry_from_form(&refused).expect("entry");
        assert_eq!((e.elector_id, e.intention.clone(), e.firmness), (None, None, None));
        assert!(e.issues.is_empty() && e.answers.is_empty());
        assert_eq!(e.follow_ups, vec!["poster".to_string()]);
        assert!(entry_from_form(&fields(&[
            ("id", "x"),
            ("walk_list_id", "a"),
            ("household_id", "1"),
            ("result", "not_in")
        ]))
        .is_err());
    }
}
