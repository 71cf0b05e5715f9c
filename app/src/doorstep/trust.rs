//! What the server does not take on the phone's word: its clock, and (when the campaign
//! asks for positions) whether it said where it was.
//!
//! A doubtful entry is kept and flagged for an organiser rather than refused: the phone
//! cannot fix its clock, so a refusal would leave the entry in its outbox for ever and a
//! real conversation would be lost. Its time becomes the time it arrived, so a phone set
//! to 2099 can never make its entry an elector's latest intention.

use super::{DoorEntry, DoorstepSettings};
use chrono::{DateTime, Duration, Utc};

/// How far back a phone's clock is believed: a week of being offline.
pub const CLOCK_PAST: Duration = Duration::days(7);
/// How far ahead: a few minutes of clock drift.
pub const CLOCK_AHEAD: Duration = Duration::minutes(5);

/// When the entry was made: the phone's time when it falls in [received − 7 days,
/// received + 5 minutes], else the received time with the reason it is flagged.
pub fn made_at(claimed: Option<DateTime<Utc>>, received: DateTime<Utc>) -> (DateTime<Utc>, Option<String>) {
    match claimed {
        None => (received, None),
        Some(t) if t >= received - CLOCK_PAST && t <= received + CLOCK_AHEAD => (t, None),
        Some(t) => (
            received,
            Some(format!(
                "the phone's clock said {}; stored as the time it arrived",
                t.format("%-d %b %Y %H:%M")
            )),
        ),
    }
}

/// The reason to flag an entry that came without the phone's position, when the campaign
/// asks for positions (`doorstep_require_position`).
pub fn position_missing(entry: &DoorEntry, settings: &DoorstepSettings) -> Option<String> {
    let missing = entry.lat.is_none() || entry.lon.is_none();
    (settings.require_position && missing).then(|| "no position from the phone".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phones_clock_is_believed_only_inside_the_window() {
        let now = DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").expect("time").to_utc();
        assert_eq!(made_at(None, now), (now, None));
        let hour_ago = now - Duration::hours(1);
        assert_eq!(made_at(Some(hour_ago), now), (hour_ago, None));
        let edge = now - CLOCK_PAST;
        assert_eq!(made_at(Some(edge), now), (edge, None));
        assert_eq!(made_at(Some(now + CLOCK_AHEAD), now), (now + CLOCK_AHEAD, None));
        for wrong in [now + CLOCK_AHEAD + Duration::seconds(1), now - CLOCK_PAST - Duration::seconds(1)] {
            let (at, why) = made_at(Some(wrong), now);
            assert_eq!(at, now);
            assert!(why.is_some_and(|w| w.contains("clock")));
        }
        let (at, why) = made_at(Some(now + Duration::days(365 * 73)), now);
        assert_eq!(at, now);
        assert!(why.is_some_and(|w| w.contains("2099")));
    }

    #[test]
    fn a_missing_position_is_flagged_only_when_the_campaign_asks_for_one() {
        let entry = DoorEntry::default();
        let mut settings = DoorstepSettings::default();
        assert_eq!(position_missing(&entry, &settings), None);
        settings.require_position = true;
        assert!(position_missing(&entry, &settings).is_some());
        let placed = DoorEntry { lat: Some(53.6), lon: Some(-2.3), ..DoorEntry::default() };
        assert_eq!(position_missing(&placed, &settings), None);
    }
}
