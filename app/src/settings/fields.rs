//! Each campaign setting: its key in `campaign_settings`, how it is shown for editing,
//! and how what an admin typed is checked and stored. Lists are edited as one line per
//! item (`code = Label`), because a textarea works on any phone and without JavaScript,
//! and an error can then name the line.

use crate::doorstep::{DoorstepSettings, SurveyQuestion, FOLLOW_UPS, RESULTS};
use chrono::NaiveDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One line of text.
    Line,
    /// Paragraphs.
    Text,
    /// `code = Label` per line; codes are made from the label when left out.
    Pairs,
    /// As `Pairs`, but only the built-in codes (whose meaning the app relies on) may be
    /// listed: the campaign chooses which to offer, in what order, under what name.
    Builtin(&'static [(&'static str, &'static str)]),
    /// `5 = Certain` per line, values 1 to 5.
    Firmness,
    /// `id = Question | answer | answer` per line.
    Survey,
    OnOff,
    /// YYYY-MM-DD, or empty.
    Date,
    /// A whole number of months.
    Months,
    /// A whole number of days, 1 to 90.
    Days,
    /// A whole number from 1 to 100.
    Percent,
    /// An http(s) tile address with {z}, {x} and {y}, or empty for no tiles.
    TileUrl,
    /// A code from the party list.
    Party,
}

pub struct Field {
    pub key: &'static str,
    pub group: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub kind: Kind,
}

pub const GROUPS: [(&str, &str); 5] = [
    ("party", "Your party"),
    ("doorstep", "On the doorstep"),
    ("register", "The electoral register"),
    ("privacy", "Privacy and retention"),
    ("map", "Maps"),
];

pub const FIELDS: &[Field] = &[
    Field { key: "our_party", group: "party", label: "Our party's code", help: "The code from the party list that counts as a supporter on the dashboards.", kind: Kind::Party },
    Field { key: "our_party_name", group: "party", label: "Our party's name in election results", help: "As the results files spell it, e.g. Labour. Used for the win number.", kind: Kind::Line },
    Field { key: "doorstep_parties", group: "doorstep", label: "Voting intention choices", help: "One per line: code = label. Keep a code once entries use it; change the label freely.", kind: Kind::Pairs },
    Field { key: "doorstep_firmness", group: "doorstep", label: "How firm", help: "One per line: a value from 1 (soft) to 5 (certain) = label. Leave values out to use a shorter scale.", kind: Kind::Firmness },
    Field { key: "doorstep_results", group: "doorstep", label: "Results at the door", help: "One per line: code = label. Codes are fixed (not_in, spoke, refused, moved, wrong_address, deceased, come_back, inaccessible); \"not_in\" and \"spoke\" must stay.", kind: Kind::Builtin(&RESULTS) },
    Field { key: "doorstep_issues", group: "doorstep", label: "Issues voters raise", help: "One per line: code = label, or just the label.", kind: Kind::Pairs },
    Field { key: "doorstep_follow_ups", group: "doorstep", label: "Follow-ups", help: "One per line: code = label. Codes are fixed (poster, postal_vote, volunteer, join, call_back, do_not_knock) because each sets work in motion.", kind: Kind::Builtin(&FOLLOW_UPS) },
    Field { key: "doorstep_survey", group: "doorstep", label: "Survey questions", help: "One per line: id = question | answer | answer …", kind: Kind::Survey },
    Field { key: "doorstep_script", group: "doorstep", label: "Script", help: "What a volunteer says at the door.", kind: Kind::Text },
    Field { key: "doorstep_review", group: "doorstep", label: "Hold every entry for an organiser to confirm", help: "Entries far from the address or made implausibly fast are always flagged.", kind: Kind::OnOff },
    Field { key: "doorstep_require_position", group: "doorstep", label: "Flag entries sent without the phone's position", help: "On: an entry whose phone gave no position is flagged for an organiser to look at.", kind: Kind::OnOff },
    Field { key: "register_left_limit", group: "register", label: "Largest share of electors a full register may mark as left (%)", help: "1 to 100. A full register that would mark more as left is refused as partial unless the organiser types the number to confirm. Default 10.", kind: Kind::Percent },
    Field { key: "privacy_notice", group: "privacy", label: "Privacy notice shown at the door", help: "What a volunteer shows a voter who asks what we keep.", kind: Kind::Text },
    Field { key: "election_date", group: "privacy", label: "Election date", help: "YYYY-MM-DD. Intentions and notes from before it are purged after the retention period. Empty: nothing is purged.", kind: Kind::Date },
    Field { key: "retention_months", group: "privacy", label: "Retention period (months after the election)", help: "1 to 60.", kind: Kind::Months },
    Field { key: "register_upload_days", group: "privacy", label: "Keep uploaded register files (days)", help: "1 to 90. An uploaded file, imported or not, is deleted this many days after it was uploaded.", kind: Kind::Days },
    Field { key: "map_tile_url", group: "map", label: "Map tile address", help: "For example https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty: maps show boundaries and doors with no background, and work offline.", kind: Kind::TileUrl },
    Field { key: "map_tile_attribution", group: "map", label: "Map tile attribution", help: "Shown on the map, as the tile provider requires.", kind: Kind::Line },
];

pub fn field(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}

/// The value a setting has when a campaign has not set it: the doorstep defaults, so
/// that the screen shows what volunteers actually see.
pub fn default_value(key: &str) -> String {
    let d = DoorstepSettings::default();
    let json = |v: serde_json::Result<String>| v.unwrap_or_default();
    match key {
        "our_party" => "lab".into(),
        "our_party_name" => "Labour".into(),
        "doorstep_parties" => json(serde_json::to_string(&d.parties)),
        "doorstep_firmness" => json(serde_json::to_string(&d.firmness)),
        "doorstep_results" => json(serde_json::to_string(&d.results)),
        "doorstep_issues" => json(serde_json::to_string(&d.issues)),
        "doorstep_follow_ups" => json(serde_json::to_string(&d.follow_ups)),
        "doorstep_survey" => json(serde_json::to_string(&d.survey)),
        "doorstep_script" => d.script,
        "doorstep_review" => "off".into(),
        "doorstep_require_position" => "off".into(),
        "privacy_notice" => d.privacy_notice,
        "retention_months" => "6".into(),
        "register_upload_days" => "7".into(),
        "register_left_limit" => crate::register::DEFAULT_LEFT_LIMIT.to_string(),
        _ => String::new(),
    }
}

/// A stored value as an admin edits it.
pub fn to_text(kind: Kind, stored: &str) -> String {
    let lines = |items: Vec<String>| items.join("\n");
    match kind {
        Kind::Pairs | Kind::Builtin(_) => match serde_json::from_str::<Vec<(String, String)>>(stored) {
            Ok(pairs) => lines(pairs.into_iter().map(|(c, l)| format!("{c} = {l}")).collect()),
            Err(_) => stored.to_string(),
        },
        Kind::Firmness => match serde_json::from_str::<Vec<(i64, String)>>(stored) {
            Ok(scale) => lines(scale.into_iter().map(|(v, l)| format!("{v} = {l}")).collect()),
            Err(_) => stored.to_string(),
        },
        Kind::Survey => match serde_json::from_str::<Vec<SurveyQuestion>>(stored) {
            Ok(qs) => lines(
                qs.into_iter()
                    .map(|q| {
                        let mut parts = vec![format!("{} = {}", q.id, q.question)];
                        parts.extend(q.answers);
                        parts.join(" | ")
                    })
                    .collect(),
            ),
            Err(_) => stored.to_string(),
        },
        _ => stored.to_string(),
    }
}

/// A code made from a label: "Cost of living" → "cost_of_living".
pub fn code_from(label: &str) -> String {
    let mut code = String::new();
    for c in label.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            code.push(c);
        } else if !code.ends_with('_') && !code.is_empty() {
            code.push('_');
        }
    }
    code.trim_end_matches('_').to_string()
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The non-empty lines of a textarea, numbered from 1 as the admin sees them.
fn numbered(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty())
}

fn parse_pairs(text: &str, builtin: Option<&[(&str, &str)]>) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (n, line) in numbered(text) {
        let (code, label) = match line.split_once('=') {
            Some((c, l)) => (c.trim().to_lowercase(), l.trim().to_string()),
            // A built-in code on its own keeps its usual name.
            None if builtin.is_some_and(|b| b.iter().any(|(c, _)| *c == line)) => {
                (line.to_string(), String::new())
            }
            None => (code_from(line), line.to_string()),
        };
        let label = if label.is_empty() {
            builtin
                .and_then(|b| b.iter().find(|(c, _)| *c == code))
                .map(|(_, l)| l.to_string())
                .unwrap_or_default()
        } else {
            label
        };
        if !valid_code(&code) {
            return Err(format!(
                "line {n}: \"{code}\" cannot be a code (use a–z, 0–9 and _, up to 40 characters)"
            ));
        }
        if label.is_empty() || label.chars().count() > 80 {
            return Err(format!("line {n}: give a label of 1 to 80 characters"));
        }
        if let Some(b) = builtin {
            if !b.iter().any(|(c, _)| *c == code) {
                let known = b.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ");
                return Err(format!("line {n}: \"{code}\" is not one of {known}"));
            }
        }
        if out.iter().any(|(c, _)| *c == code) {
            return Err(format!("line {n}: \"{code}\" is listed twice"));
        }
        out.push((code, label));
    }
    if out.is_empty() {
        return Err("give at least one line".into());
    }
    Ok(out)
}

fn parse_firmness(text: &str) -> Result<Vec<(i64, String)>, String> {
    let mut out: Vec<(i64, String)> = Vec::new();
    for (n, line) in numbered(text) {
        let (value, label) = line.split_once('=').unwrap_or((line, ""));
        let value: i64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v| (1..=5).contains(v))
            .ok_or_else(|| format!("line {n}: start with a value from 1 to 5, then = and a label"))?;
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 40 {
            return Err(format!("line {n}: give a label of 1 to 40 characters"));
        }
        if out.iter().any(|(v, _)| *v == value) {
            return Err(format!("line {n}: {value} is listed twice"));
        }
        out.push((value, label.to_string()));
    }
    if out.len() < 2 {
        return Err("give at least two points on the scale".into());
    }
    out.sort_by_key(|(v, _)| *v);
    Ok(out)
}

fn parse_survey(text: &str) -> Result<Vec<SurveyQuestion>, String> {
    let mut out: Vec<SurveyQuestion> = Vec::new();
    for (n, line) in numbered(text) {
        let mut parts = line.split('|').map(str::trim);
        let head = parts.next().unwrap_or_default();
        let (id, question) = match head.split_once('=') {
            Some((id, q)) => (id.trim().to_lowercase(), q.trim().to_string()),
            None => (code_from(head), head.to_string()),
        };
        let answers: Vec<String> = parts.filter(|a| !a.is_empty()).map(str::to_string).collect();
        if !valid_code(&id) {
            return Err(format!("line {n}: \"{id}\" cannot be an id (use a–z, 0–9 and _)"));
        }
        if question.is_empty() {
            return Err(format!("line {n}: the question is missing"));
        }
        if answers.len() < 2 {
            return Err(format!("line {n}: give at least two answers, each after a |"));
        }
        if out.iter().any(|q| q.id == id) {
            return Err(format!("line {n}: the id \"{id}\" is used twice"));
        }
        out.push(SurveyQuestion { id, question, answers });
    }
    Ok(out)
}

/// Checks what an admin typed and gives the value to store, or says what is wrong
/// (naming the line for lists). `parties` is the party list the save will leave, so
/// "our party" can be checked against it.
pub fn parse(field: &Field, text: &str, parties: &[(String, String)]) -> Result<String, String> {
    let text = text.replace("\r\n", "\n");
    let trimmed = text.trim();
    let json = |v: serde_json::Result<String>| v.map_err(|e| e.to_string());
    match field.kind {
        Kind::Line => {
            if trimmed.chars().count() > 200 {
                return Err("keep it to 200 characters".into());
            }
            Ok(trimmed.to_string())
        }
        Kind::Text => {
            if trimmed.chars().count() > 4_000 {
                return Err("keep it to 4,000 characters".into());
            }
            Ok(trimmed.to_string())
        }
        Kind::Pairs => json(serde_json::to_string(&parse_pairs(&text, None)?)),
        Kind::Builtin(codes) => {
            let pairs = parse_pairs(&text, Some(codes))?;
            let required: &[&str] = if field.key == "doorstep_results" { &["not_in", "spoke"] } else { &[] };
            if let Some(missing) = required.iter().find(|r| !pairs.iter().any(|(c, _)| c == *r)) {
                return Err(format!("\"{missing}\" must stay on the list"));
            }
            json(serde_json::to_string(&pairs))
        }
        Kind::Firmness => json(serde_json::to_string(&parse_firmness(&text)?)),
        Kind::Survey => json(serde_json::to_string(&parse_survey(&text)?)),
        Kind::OnOff => match trimmed {
            "on" | "true" | "1" => Ok("on".into()),
            "" | "off" | "false" | "0" => Ok("off".into()),
            other => Err(format!("\"{other}\" is neither on nor off")),
        },
        Kind::Date => {
            if !trimmed.is_empty() && NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").is_err() {
                return Err(format!("\"{trimmed}\" is not a date (YYYY-MM-DD)"));
            }
            Ok(trimmed.to_string())
        }
        Kind::Months => match trimmed.parse::<u32>() {
            Ok(m) if (1..=60).contains(&m) => Ok(m.to_string()),
            _ => Err(format!("\"{trimmed}\" is not a whole number of months from 1 to 60")),
        },
        Kind::Days => match trimmed.parse::<u32>() {
            Ok(d) if (1..=90).contains(&d) => Ok(d.to_string()),
            _ => Err(format!("\"{trimmed}\" is not a whole number of days from 1 to 90")),
        },
        Kind::Percent => match trimmed.parse::<u32>() {
            Ok(p) if (1..=100).contains(&p) => Ok(p.to_string()),
            _ => Err(format!("\"{trimmed}\" is not a whole number from 1 to 100")),
        },
        Kind::TileUrl => {
            let ok = trimmed.is_empty()
                || ((trimmed.starts_with("https://") || trimmed.starts_with("http://"))
                    && ["{z}", "{x}", "{y}"].iter().all(|p| trimmed.contains(p))
                    && !trimmed.contains(char::is_whitespace));
            if !ok {
                return Err("give an http(s) address with {z}, {x} and {y} in it, or leave it empty".into());
            }
            Ok(trimmed.to_string())
        }
        Kind::Party => {
            let code = trimmed.to_lowercase();
            if !parties.iter().any(|(c, _)| *c == code) {
                let known = parties.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ");
                return Err(format!("\"{code}\" is not on the party list ({known})"));
            }
            Ok(code)
        }
    }
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod tests;
