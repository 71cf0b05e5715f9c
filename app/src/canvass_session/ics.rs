//! Sessions as iCalendar (RFC 5545), for any calendar app: one event per session, in UTC,
//! with the meeting point as its location and its coordinates as GEO. The `icalendar`
//! crate writes the text: CRLF line ends, long lines folded at 75 octets, text escaped.

use super::SessionSummary;
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// The same session keeps the same UID, so a calendar updates it instead of doubling it.
pub fn uid(session_id: i64) -> String {
    format!("canvass-session-{session_id}@groundwork")
}

fn event(s: &SessionSummary, now: DateTime<Utc>) -> Event {
    let mut description = format!("Canvass session for {}.\nMeet at: {}.", s.seat_name, s.meeting_point);
    if let Some(c) = s.capacity {
        description.push_str(&format!("\nPlaces: {c}."));
    }
    if let Some(team) = &s.team {
        description.push_str(&format!("\nTeam: {team}."));
    }
    if let Some(map) = s.map_link() {
        description.push_str(&format!("\nMap: {map}"));
    }
    let mut event = Event::new();
    event
        .uid(&uid(s.id))
        .timestamp(now)
        .summary(&s.title)
        .starts(s.starts_at)
        .ends(s.ends_at)
        .location(&s.meeting_point)
        .description(&description)
        .status(EventStatus::Confirmed);
    if let (Some(lat), Some(lon)) = (s.lat, s.lon) {
        event.append_property(Property::new("GEO", format!("{lat:.6};{lon:.6}")));
    }
    event.done()
}

/// A calendar of the given sessions.
pub fn calendar(name: &str, sessions: &[SessionSummary], now: DateTime<Utc>) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for s in sessions {
        calendar.push(event(s, now));
    }
    calendar.done().to_string()
}
