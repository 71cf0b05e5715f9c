//! How someone heard of the campaign, as a code and its label.

/// How someone heard of the campaign.
pub const HEARD_FROM: [(&str, &str); 7] = [
    ("doorstep", "On the doorstep"),
    ("friend", "A friend or family"),
    ("social_media", "Social media"),
    ("event", "An event or meeting"),
    ("website", "Our website"),
    ("member", "As a party member"),
    ("other", "Somewhere else"),
];

pub fn heard_from_label(code: &str) -> &str {
    HEARD_FROM.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or(code)
}
