//! Reading and saving campaign settings. A save checks every field first and writes
//! nothing if any is wrong; each changed value is written to the audit log with what it
//! was before and what it became.

use super::fields::{self, Kind};
use super::{SettingField, SettingsView};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use std::collections::HashMap;

async fn stored(store: &Store) -> AppResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT key, value FROM campaign_settings").fetch_all(pool).await)?;
    Ok(rows.into_iter().collect())
}

fn value_of(stored: &HashMap<String, String>, key: &str) -> String {
    stored.get(key).cloned().unwrap_or_else(|| fields::default_value(key))
}

pub fn require_admin(user: &CurrentUser) -> AppResult<()> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Every setting as an admin edits it (the caller checks who may see them).
pub async fn view(store: &Store) -> AppResult<SettingsView> {
    let stored = stored(store).await?;
    let fields = fields::FIELDS
        .iter()
        .map(|f| SettingField {
            key: f.key.to_string(),
            group: f.group.to_string(),
            label: f.label.to_string(),
            help: f.help.to_string(),
            multiline: !matches!(
                f.kind,
                Kind::Line
                    | Kind::OnOff
                    | Kind::Date
                    | Kind::Months
                    | Kind::Days
                    | Kind::Percent
                    | Kind::TileUrl
                    | Kind::Party
            ),
            on_off: f.kind == Kind::OnOff,
            text: fields::to_text(f.kind, &value_of(&stored, f.key)),
        })
        .collect();
    Ok(SettingsView { fields })
}

/// Saves the settings given (key → what the admin typed); keys not given are left as
/// they are. `by` is the admin (none from the command line). Returns how many changed.
pub async fn save(store: &Store, by: Option<i64>, given: &HashMap<String, String>) -> AppResult<usize> {
    let current = stored(store).await?;
    if let Some(unknown) = given.keys().find(|k| fields::field(k).is_none()) {
        return Err(AppError::BadInput(format!("There is no setting called \"{unknown}\".")));
    }
    // "Our party" is checked against the party list as it will be after this save.
    let parties_text = match given.get("doorstep_parties") {
        Some(text) => fields::parse(fields::field("doorstep_parties").expect("listed"), text, &[])
            .map_err(|e| AppError::BadInput(format!("Voting intention choices: {e}.")))?,
        None => value_of(&current, "doorstep_parties"),
    };
    let parties: Vec<(String, String)> = serde_json::from_str(&parties_text).unwrap_or_default();
    let mut changes: Vec<(&'static fields::Field, String, String)> = Vec::new();
    let mut problems = Vec::new();
    for f in fields::FIELDS {
        let Some(text) = given.get(f.key) else { continue };
        match fields::parse(f, text, &parties) {
            Ok(new) => {
                let old = value_of(&current, f.key);
                if new != old {
                    changes.push((f, old, new));
                }
            }
            Err(e) => problems.push(format!("{}: {e}.", f.label)),
        }
    }
    if given.get("our_party").is_none() && !parties.iter().any(|(c, _)| *c == value_of(&current, "our_party"))
    {
        problems.push(format!(
            "Voting intention choices: our party's code \"{}\" must stay on the list (or change our party first).",
            value_of(&current, "our_party")
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::BadInput(problems.join(" ")));
    }
    let n = changes.len();
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let now = chrono::Utc::now();
        for (f, old, new) in &changes {
            sqlx::query("INSERT INTO campaign_settings (key, value) VALUES ($1, $2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(f.key).bind(new).execute(&mut *tx).await?;
            let what = format!("{}: {} → {}", f.label, shown(f.kind, old), shown(f.kind, new));
            sqlx::query("INSERT INTO audit_log (at, user_id, action, object_type, object_id, reason)
                         VALUES ($1, $2, 'change', 'setting', $3, $4)")
                .bind(now).bind(by).bind(f.key).bind(what).execute(&mut *tx).await?;
        }
        Ok::<_, sqlx::Error>(())
    })})).await?;
    Ok(n)
}

/// A value as the audit log shows it: the edited text on one line, "(empty)" for nothing.
fn shown(kind: Kind, stored: &str) -> String {
    let text = fields::to_text(kind, stored).lines().map(str::trim).collect::<Vec<_>>().join("; ");
    if text.is_empty() {
        "(empty)".into()
    } else {
        format!("\"{text}\"")
    }
}
