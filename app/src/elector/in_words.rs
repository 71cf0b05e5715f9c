//! A subject access copy reads in words: the campaign's names for parties, issues,
//! follow-ups and survey questions rather than the codes stored, and the access log
//! with who did what, to which record, named as it is now.

use super::{AccessRecord, SubjectAccess};
use crate::doorstep::{DoorstepSettings, FOLLOW_UPS};
use crate::error::AppResult;
use crate::store::Store;
use chrono::{DateTime, Utc};

/// One audit entry about them, as read from the log.
#[derive(sqlx::FromRow)]
pub struct AccessRow {
    at: DateTime<Utc>,
    action: String,
    object_type: String,
    object_id: String,
    reason: Option<String>,
    who: Option<String>,
}

/// The access log in words, each record named by `audit::names` (so an erased record
/// reads as erased).
pub async fn access_log(store: &Store, rows: Vec<AccessRow>) -> AppResult<Vec<AccessRecord>> {
    let objects: Vec<(String, String)> =
        rows.iter().map(|r| (r.object_type.clone(), r.object_id.clone())).collect();
    let names = crate::audit::names::names(store, &objects, None).await?;
    Ok(rows
        .into_iter()
        .zip(objects)
        .map(|(r, key)| AccessRecord {
            at: r.at,
            action: crate::audit::page::action_label(&r.action),
            what: names.get(&key).cloned().unwrap_or_else(|| crate::audit::names::fallback(&key.0, &key.1)),
            reason: r.reason,
            who: Some(r.who.unwrap_or_else(|| "A deleted account".into())),
        })
        .collect())
}

fn label(list: &[(String, String)], code: &str) -> String {
    list.iter().find(|(c, _)| c == code).map_or_else(|| code.replace('_', " "), |(_, l)| l.clone())
}

/// A follow-up as stored in the copy ("call_back, phone 0161…") with its kind in words.
fn follow_up(settings: &DoorstepSettings, what: &str) -> String {
    let (kind, rest) = what.split_once(", ").map_or((what, None), |(k, r)| (k, Some(r)));
    let built_in = FOLLOW_UPS.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect::<Vec<_>>();
    let words = if settings.follow_ups.iter().any(|(c, _)| c == kind) {
        label(&settings.follow_ups, kind)
    } else {
        label(&built_in, kind)
    };
    match rest {
        Some(rest) => format!("{words}, {rest}"),
        None => words,
    }
}

/// Replaces the codes in `sar` with the campaign's words for them.
pub fn in_words(sar: &mut SubjectAccess, settings: &DoorstepSettings) {
    for c in &mut sar.conversations {
        c.intention = c.intention.as_deref().map(|i| settings.party_label(i));
    }
    for r in &mut sar.reviewed_entries {
        r.intention = r.intention.as_deref().map(|i| settings.party_label(i));
    }
    for d in &mut sar.details {
        d.what = match d.kind.as_str() {
            "issue raised" => label(&settings.issues, &d.what),
            "follow-up" => follow_up(settings, &d.what),
            "survey answer" => match d.what.split_once(": ") {
                Some((id, answer)) => {
                    let question =
                        settings.survey.iter().find(|q| q.id == id).map_or(id, |q| q.question.as_str());
                    format!("{question}: {answer}")
                }
                None => d.what.clone(),
            },
            _ => d.what.clone(),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elector::{ConversationRecord, DetailRecord, RegisterEntry};

    fn sar() -> SubjectAccess {
        let at = Utc::now();
        SubjectAccess {
            generated_at: at,
            register: RegisterEntry {
                id: 1,
                seat: "Bury North".into(),
                title: None,
                first_name: "Ada".into(),
                middle_names: None,
                surname: "Lee".into(),
                elector_number: "AB1".into(),
                markers: String::new(),
                date_of_birth: None,
                attainment_date: None,
                left_register: None,
                erased_at: None,
                address: "1 Mill St".into(),
                postcode: None,
                uprn: None,
                polling_district: None,
            },
            conversations: vec![ConversationRecord {
                made_at: at,
                about: "you".into(),
                result: "spoke".into(),
                intention: Some("con".into()),
                intention_source: Some("said".into()),
                firmness: Some(4),
                notes: None,
            }],
            details: vec![
                DetailRecord {
                    made_at: at,
                    kind: "issue raised".into(),
                    what: "cost_of_living".into(),
                    status: None,
                },
                DetailRecord {
                    made_at: at,
                    kind: "follow-up".into(),
                    what: "call_back, phone 0161 496 0000".into(),
                    status: Some("open".into()),
                },
                DetailRecord {
                    made_at: at,
                    kind: "issue raised".into(),
                    what: "gone_issue".into(),
                    status: None,
                },
            ],
            reviewed_entries: vec![],
            volunteer_records: vec![],
            walk_lists: vec![],
            turnout_history: vec![],
            access_log: vec![],
        }
    }

    #[test]
    fn parties_issues_and_follow_ups_read_in_the_campaigns_words() {
        let mut sar = sar();
        in_words(&mut sar, &DoorstepSettings::default());
        assert_eq!(sar.conversations[0].intention.as_deref(), Some("Conservative"));
        assert_eq!(sar.details[0].what, "Cost of living");
        assert_eq!(sar.details[1].what, "Call back, phone 0161 496 0000");
        assert_eq!(sar.details[2].what, "gone issue", "a code no longer on the list still reads as words");
    }
}
