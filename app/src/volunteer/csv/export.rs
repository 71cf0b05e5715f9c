//! The export: the seat's volunteers, one row each, in the columns the import reads back.

use super::existing;
use crate::error::AppResult;
use crate::store::Store;
use crate::volunteer::queries::{teams, wards};
use crate::volunteer::Purpose;
use std::collections::HashMap;

fn yes_no(answer: Option<bool>) -> String {
    match answer {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

/// The seat's volunteers, one row each, in the import's columns.
pub async fn export_rows(store: &Store, seat_id: i64) -> AppResult<Vec<Vec<String>>> {
    let ward_names: HashMap<i64, String> =
        wards(store, seat_id).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let team_names: HashMap<i64, String> =
        teams(store, seat_id).await?.into_iter().map(|t| (t.id, t.name)).collect();
    Ok(existing(store, seat_id)
        .await?
        .into_iter()
        .map(|(id, e)| {
            let v = e.volunteer;
            vec![
                id.to_string(),
                v.first_name,
                v.surname,
                v.email.unwrap_or_default(),
                v.phone.unwrap_or_default(),
                v.ward_id.and_then(|w| ward_names.get(&w).cloned()).unwrap_or_default(),
                v.stage.map(|s| s.as_str().to_string()).unwrap_or_default(),
                v.team_id.and_then(|t| team_names.get(&t).cloned()).unwrap_or_default(),
                v.availability,
                yes_no(Some(v.drives)),
                v.languages,
                v.skills,
                v.needs,
                v.heard_from,
                yes_no(e.consents.get(&Purpose::Sessions).copied()),
                yes_no(e.consents.get(&Purpose::News).copied()),
                yes_no(e.consents.get(&Purpose::Fundraising).copied()),
                v.notes,
                e.attended.to_string(),
                e.last_session.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            ]
        })
        .collect())
}
