//! Reading a paper returns form: who knocked the sheet's doors, each door's result, and
//! each elector's intention with how firm it is. Plain: no database. The canvasser and
//! the doors are checked against the list when the entries are stored.

use super::sheet::ReturnsForm;
pub use super::sheet::NOT_ON_SHEET;
use crate::doorstep::{DoorEntry, DoorResult};
use crate::error::AppError;
use crate::ids::{ElectorId, HouseholdId, WalkListId};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// A sheet's results, ready to store.
#[derive(Debug, Default, PartialEq)]
pub struct PaperReturns {
    /// The volunteer who knocked, when the sheet names one.
    pub canvasser: Option<i64>,
    pub entries: Vec<DoorEntry>,
}

fn bad(message: String) -> AppError {
    AppError::BadInput(message)
}

/// The canvasser field: a volunteer's id, or [`NOT_ON_SHEET`]; `None` when not chosen.
fn canvasser(field: &str) -> Result<Option<Option<i64>>, AppError> {
    match field.trim() {
        "" => Ok(None),
        NOT_ON_SHEET => Ok(Some(None)),
        id => match id.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Some(Some(id))),
            _ => Err(bad("The canvasser is not one of this seat's volunteers.".into())),
        },
    }
}

/// A firmness field: empty, or 1 to 5.
fn firmness(field: &str, who: &str) -> Result<Option<i64>, AppError> {
    match field.trim() {
        "" => Ok(None),
        f => match f.parse::<i64>() {
            Ok(f) if (1..=5).contains(&f) => Ok(Some(f)),
            _ => Err(bad(format!(
                "{who}: how firm is a number from 1 to 5, not “{}”.",
                f.chars().take(12).collect::<String>()
            ))),
        },
    }
}

/// The entries of a returns form, made at `now`. An elector's intention is a
/// conversation with them ("spoke"); a door's result is stored on its own only when no
/// elector there was given an intention. `name_of` names an elector in an error.
pub fn read(
    form: &ReturnsForm,
    now: DateTime<Utc>,
    name_of: impl Fn(i64) -> String,
) -> Result<PaperReturns, AppError> {
    let mut entries = Vec::new();
    let mut voted = HashSet::new();
    for v in &form.votes {
        let intention = v.intention.trim();
        let firm = firmness(&v.firmness, &name_of(v.elector_id))?;
        if intention.is_empty() {
            if firm.is_some() {
                return Err(bad(format!(
                    "{}: how firm was given but no intention. Choose the intention ticked on the sheet, or clear how firm.",
                    name_of(v.elector_id)
                )));
            }
            continue;
        }
        voted.insert(v.household_id);
        entries.push(DoorEntry {
            id: v.entry_id.clone(),
            walk_list_id: WalkListId(form.walk_list_id),
            household_id: HouseholdId(v.household_id),
            result: DoorResult::Spoke.code().into(),
            elector_id: Some(ElectorId(v.elector_id)),
            intention: Some(intention.to_string()),
            intention_source: Some("said".into()),
            firmness: firm,
            made_at: Some(now),
            ..DoorEntry::default()
        });
    }
    for r in form.rows.iter().filter(|r| !r.result.trim().is_empty() && !voted.contains(&r.household_id)) {
        entries.push(DoorEntry {
            id: r.entry_id.clone(),
            walk_list_id: WalkListId(form.walk_list_id),
            household_id: HouseholdId(r.household_id),
            result: r.result.trim().to_string(),
            made_at: Some(now),
            ..DoorEntry::default()
        });
    }
    let canvasser = match canvasser(&form.canvasser)? {
        Some(c) => c,
        None if entries.is_empty() => None,
        None => {
            return Err(bad(
                "Choose who knocked these doors: the canvasser named on the sheet, or “Not written on the sheet”.".into(),
            ))
        }
    };
    Ok(PaperReturns { canvasser, entries })
}

#[cfg(test)]
mod tests {
    use super::super::sheet::{ReturnRow, VoteRow};
    use super::*;

    fn form(canvasser: &str, firmness: &str, intention: &str) -> ReturnsForm {
        ReturnsForm {
            walk_list_id: 7,
            canvasser: canvasser.into(),
            rows: vec![
                ReturnRow {
                    household_id: 1,
                    entry_id: "a".into(),
                    result: "spoke".into(),
                    do_not_knock: None,
                },
                ReturnRow {
                    household_id: 2,
                    entry_id: "b".into(),
                    result: "not_in".into(),
                    do_not_knock: None,
                },
            ],
            votes: vec![VoteRow {
                household_id: 1,
                elector_id: 11,
                entry_id: "c".into(),
                intention: intention.into(),
                firmness: firmness.into(),
            }],
        }
    }

    fn name(id: i64) -> String {
        format!("Elector {id}")
    }

    #[test]
    fn an_intention_keeps_its_firmness_and_the_sheets_canvasser() {
        let now = Utc::now();
        let read = read(&form("42", "4", "lab"), now, name).expect("read");
        assert_eq!(read.canvasser, Some(42));
        assert_eq!(read.entries.len(), 2, "the intention stands for door 1's result; door 2's not-in");
        assert_eq!(
            (read.entries[0].elector_id, read.entries[0].intention.as_deref(), read.entries[0].firmness),
            (Some(ElectorId(11)), Some("lab"), Some(4))
        );
        assert_eq!(
            (read.entries[1].household_id, read.entries[1].result.as_str()),
            (HouseholdId(2), "not_in")
        );
    }

    #[test]
    fn a_sheet_with_results_must_say_who_knocked() {
        let err = read(&form("", "", "lab"), Utc::now(), name).expect_err("no canvasser");
        assert!(err.to_string().contains("who knocked"), "{err}");
        assert_eq!(read(&form(NOT_ON_SHEET, "", "lab"), Utc::now(), name).map(|r| r.canvasser), Ok(None));
        let blank = ReturnsForm { walk_list_id: 7, ..ReturnsForm::default() };
        assert_eq!(
            read(&blank, Utc::now(), name),
            Ok(PaperReturns::default()),
            "nothing entered, nothing asked"
        );
        assert!(read(&form("-3", "", "lab"), Utc::now(), name).is_err());
    }

    #[test]
    fn firmness_is_one_to_five_and_only_with_an_intention() {
        for wrong in ["0", "6", "x", "-1", "99999999999999999999"] {
            let err = read(&form("1", wrong, "lab"), Utc::now(), name).expect_err(wrong);
            assert!(err.to_string().starts_with("Elector 11: how firm"), "{err}");
        }
        let err = read(&form("1", "3", ""), Utc::now(), name).expect_err("firm, no intention");
        assert!(err.to_string().contains("no intention"), "{err}");
        assert_eq!(read(&form("1", "", "lab"), Utc::now(), name).map(|r| r.entries[0].firmness), Ok(None));
    }
}
