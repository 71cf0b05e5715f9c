//! What a campaign sets for its doorstep: parties, issues, survey, script, the privacy
//! notice and organiser review. Stored in `campaign_settings` (JSON where a list);
//! anything not set there takes the UK default below.

use serde::{Deserialize, Serialize};

/// What a voter may ask for next: (stored kind, label).
pub const FOLLOW_UPS: [(&str, &str); 6] = [
    ("poster", "Wants a poster"),
    ("postal_vote", "Wants a postal vote"),
    ("volunteer", "Wants to volunteer"),
    ("join", "Wants to join"),
    ("call_back", "Call back"),
    ("do_not_knock", "Do not knock again"),
];

/// The follow-ups that need a way to reach the person: a phone number or email is taken
/// (with consent) only with one of these.
pub const CONTACT_FOLLOW_UPS: [&str; 2] = ["call_back", "volunteer"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyQuestion {
    /// Stable id, stored with each answer.
    pub id: String,
    pub question: String,
    pub answers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoorstepSettings {
    /// (intention code, label): `doorstep_parties`.
    pub parties: Vec<(String, String)>,
    /// (value 1–5, label), softest first: `doorstep_firmness`.
    pub firmness: Vec<(i64, String)>,
    /// The results offered at the door, in order, as the campaign names them; codes are
    /// the built-in ones (`RESULTS`): `doorstep_results`.
    pub results: Vec<(String, String)>,
    /// The follow-ups offered, from the built-in kinds (`FOLLOW_UPS`): `doorstep_follow_ups`.
    pub follow_ups: Vec<(String, String)>,
    /// (issue code, label): `doorstep_issues`.
    pub issues: Vec<(String, String)>,
    /// `doorstep_survey`.
    pub survey: Vec<SurveyQuestion>,
    /// What to say at the door: `doorstep_script`.
    pub script: String,
    /// What a volunteer shows a voter who asks what we keep: `privacy_notice`.
    pub privacy_notice: String,
    /// Hold every entry for an organiser to confirm: `doorstep_review` = `on`.
    pub review: bool,
    /// Flag an entry that comes without the phone's position:
    /// `doorstep_require_position` = `on`.
    #[serde(default)]
    pub require_position: bool,
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect()
}

impl Default for DoorstepSettings {
    fn default() -> Self {
        DoorstepSettings {
            parties: pairs(&super::INTENTIONS),
            firmness: vec![
                (1, "1 Soft".into()),
                (2, "2".into()),
                (3, "3".into()),
                (4, "4".into()),
                (5, "5 Certain".into()),
            ],
            results: pairs(&super::RESULTS),
            follow_ups: pairs(&FOLLOW_UPS),
            issues: pairs(&[
                ("cost_of_living", "Cost of living"),
                ("nhs", "NHS"),
                ("housing", "Housing"),
                ("crime", "Crime"),
                ("schools", "Schools"),
                ("transport", "Transport"),
                ("environment", "Environment"),
                ("immigration", "Immigration"),
                ("local_services", "Local services"),
            ]),
            survey: vec![SurveyQuestion {
                id: "voted_last".into(),
                question: "Did you vote at the last general election?".into(),
                answers: vec!["Yes".into(), "No".into(), "Would rather not say".into()],
            }],
            script: "Hello, I'm a volunteer with the local campaign. We're talking to people in the area \
                     about what matters to them. Can I ask how you're thinking of voting at the next \
                     election? And is there anything you'd like us to raise?"
                .into(),
            privacy_notice: "We are volunteers for the local campaign. We record whether we spoke to you, \
                             how you told us you might vote, and anything you ask us to follow up, so \
                             that we don't knock again needlessly and can do what you asked. We use it \
                             only for this campaign, keep it securely, never sell it, and delete it \
                             when it is no longer needed. You can ask us what we hold about you, ask us \
                             to correct or delete it, or ask us not to call again; you can also \
                             complain to the Information Commissioner's Office (ico.org.uk)."
                .into(),
            review: false,
            require_position: false,
        }
    }
}

impl DoorstepSettings {
    /// Builds the settings from `campaign_settings` rows; a value that cannot be read
    /// keeps the default (and is reported to the caller's log).
    pub fn from_rows(rows: &[(String, String)]) -> (DoorstepSettings, Vec<String>) {
        let mut s = DoorstepSettings::default();
        let mut unreadable = Vec::new();
        for (key, value) in rows {
            let ok = match key.as_str() {
                "doorstep_parties" => serde_json::from_str(value).map(|v| s.parties = v).is_ok(),
                "doorstep_issues" => serde_json::from_str(value).map(|v| s.issues = v).is_ok(),
                "doorstep_firmness" => serde_json::from_str(value).map(|v| s.firmness = v).is_ok(),
                "doorstep_results" => serde_json::from_str(value).map(|v| s.results = v).is_ok(),
                "doorstep_follow_ups" => serde_json::from_str(value).map(|v| s.follow_ups = v).is_ok(),
                "doorstep_survey" => serde_json::from_str(value).map(|v| s.survey = v).is_ok(),
                "doorstep_script" => {
                    s.script = value.clone();
                    true
                }
                "privacy_notice" => {
                    s.privacy_notice = value.clone();
                    true
                }
                "doorstep_review" => {
                    s.review = matches!(value.trim(), "on" | "true" | "1");
                    true
                }
                "doorstep_require_position" => {
                    s.require_position = matches!(value.trim(), "on" | "true" | "1");
                    true
                }
                _ => true,
            };
            if !ok {
                unreadable.push(key.clone());
            }
        }
        (s, unreadable)
    }

    /// The campaign's name for a result, for any built-in code (entries queued on a phone
    /// before a result was taken off the list still read properly).
    pub fn result_label(&self, code: &str) -> String {
        self.results
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| super::result_label(code).to_string())
    }

    pub fn party_label(&self, code: &str) -> String {
        self.parties
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| code.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_the_rows_and_fall_back_to_the_defaults() {
        let rows = vec![
            ("doorstep_issues".to_string(), r#"[["potholes","Potholes"]]"#.to_string()),
            ("doorstep_parties".to_string(), "not json".to_string()),
            ("doorstep_review".to_string(), "on".to_string()),
        ];
        let (s, bad) = DoorstepSettings::from_rows(&rows);
        assert_eq!(s.issues, vec![("potholes".to_string(), "Potholes".to_string())]);
        assert_eq!(s.parties, DoorstepSettings::default().parties);
        assert!(s.review);
        assert_eq!(bad, vec!["doorstep_parties".to_string()]);
        assert_eq!(DoorstepSettings::default().issues.len(), 9);
        assert!(!DoorstepSettings::default().review);
    }
}
