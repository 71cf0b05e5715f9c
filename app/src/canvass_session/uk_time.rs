//! Sessions are stored in UTC and shown, typed and exported in UK time: GMT in winter,
//! British Summer Time (UTC+1) from 01:00 UTC on the last Sunday of March to 01:00 UTC on
//! the last Sunday of October.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let last = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or_default();
    last - Duration::days(i64::from(last.weekday().num_days_from_sunday()))
}

/// Whether UK clocks are on summer time at this instant.
pub fn is_bst(at: DateTime<Utc>) -> bool {
    let year = at.year();
    let start = last_sunday(year, 3).and_hms_opt(1, 0, 0).unwrap_or_default().and_utc();
    let end = last_sunday(year, 10).and_hms_opt(1, 0, 0).unwrap_or_default().and_utc();
    start <= at && at < end
}

/// The UK wall-clock time of an instant.
pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + Duration::hours(if is_bst(at) { 1 } else { 0 })
}

/// The instant a UK wall-clock time names. (In the hour the clocks go back, the earlier
/// of the two; an hour skipped in spring is read as summer time.)
pub fn from_local(wall: NaiveDateTime) -> DateTime<Utc> {
    let summer = (wall - Duration::hours(1)).and_utc();
    if is_bst(summer) {
        summer
    } else {
        wall.and_utc()
    }
}

/// "Sat 28 Nov 2026, 10:30–13:30" (UK time).
pub fn span(start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let (s, e) = (local(start), local(end));
    if s.date() == e.date() {
        format!("{}–{}", s.format("%a %-d %b %Y, %H:%M"), e.format("%H:%M"))
    } else {
        format!("{} – {}", s.format("%a %-d %b %Y, %H:%M"), e.format("%a %-d %b, %H:%M"))
    }
}

/// "Sat 28 Nov 2026" (UK date).
pub fn day(at: DateTime<Utc>) -> String {
    local(at).format("%a %-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn summer_time_runs_from_the_last_sunday_of_march_to_the_last_sunday_of_october() {
        // 2026: clocks go forward on 29 March and back on 25 October.
        assert!(!is_bst(Utc.with_ymd_and_hms(2026, 3, 29, 0, 59, 0).single().expect("valid date")));
        assert!(is_bst(Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).single().expect("valid date")));
        assert!(is_bst(Utc.with_ymd_and_hms(2026, 10, 25, 0, 59, 0).single().expect("valid date")));
        assert!(!is_bst(Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).single().expect("valid date")));
    }

    #[test]
    fn a_session_typed_in_uk_time_is_stored_in_utc_and_shown_back_the_same() {
        let summer = NaiveDate::from_ymd_opt(2026, 7, 4)
            .expect("valid date")
            .and_hms_opt(10, 30, 0)
            .expect("valid date");
        assert_eq!(
            from_local(summer),
            Utc.with_ymd_and_hms(2026, 7, 4, 9, 30, 0).single().expect("valid date")
        );
        assert_eq!(local(from_local(summer)), summer);
        let winter = NaiveDate::from_ymd_opt(2026, 11, 28)
            .expect("valid date")
            .and_hms_opt(10, 30, 0)
            .expect("valid date");
        assert_eq!(
            from_local(winter),
            Utc.with_ymd_and_hms(2026, 11, 28, 10, 30, 0).single().expect("valid date")
        );
        let start = Utc.with_ymd_and_hms(2026, 7, 4, 9, 30, 0).single().expect("valid date");
        assert_eq!(span(start, start + Duration::hours(3)), "Sat 4 Jul 2026, 10:30–13:30");
    }
}
