//! The load spread over synthetic seats, and polling day under load: tellers posting poll
//! numbers while knockers-up reload their rounds. Correctness only (nothing acknowledged
//! lost or doubled, seat by seat; strike-offs seen and timed); the speed figures come from
//! `groundwork-perf load`, never from a test.

use app::polling_day::poll_number::PollNumber;
use groundwork_tests::*;
use perf::load::polling::{self, PollingOptions};
use perf::load::{self, LoadOptions};
use std::time::Duration;

on_both_databases! {
    async fn load_over_several_seats_stores_each_seats_conversations_exactly_once(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        let opts = LoadOptions {
            servers: vec![app.base.clone()],
            bare: None,
            volunteers: 12,
            batch: 8,
            think: Duration::from_millis(20),
            duration: Duration::from_secs(2),
            compare: Duration::ZERO,
            doors: 10,
            grace: Duration::from_secs(30),
            seats: 3,
            electors: 400,
        };
        let report = load::run(&app.store, &opts).await.expect("the load runs");
        assert!(report.exact() && report.unacknowledged == 0, "{report:?}");
        assert!(report.main.errors.is_empty() && report.main.refused == 0, "{:?}", report.main.errors);
        assert_eq!(report.per_seat.len(), 3, "every seat had its volunteers: {:?}", report.per_seat);
        assert!(report.per_seat.iter().all(|c| c.acknowledged > 0 && c.stored == c.acknowledged), "{:?}", report.per_seat);
        // Each seat is a whole register: several wards, 10-20 districts, its own streets.
        let (seats, wards, districts): (i64, i64, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(DISTINCT s.id), COUNT(DISTINCT w.id), COUNT(pd.id) FROM seats s JOIN wards w ON w.seat_id = s.id
               JOIN polling_districts pd ON pd.ward_id = w.id").fetch_one(pool).await).expect("count");
        assert_eq!(seats, 3);
        assert!(wards >= 9 && (30..=60).contains(&districts), "{wards} wards, {districts} districts");
        app.stop().await;
    }

    async fn polling_day_load_stores_every_telling_entry_once_and_times_the_strike_offs(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        let opts = PollingOptions {
            servers: vec![app.base.clone()],
            seats: 2,
            electors: 600,
            volunteers: 24,
            batch: 6,
            think: Duration::from_millis(100),
            reload: Duration::from_millis(200),
            duration: Duration::from_secs(3),
            grace: Duration::from_secs(30),
        };
        let report = polling::run(&app.store, &opts).await.expect("the polling-day load runs");
        assert!(report.errors.is_empty() && report.refused == 0, "{report:?}");
        assert!(report.exact(), "{:?}", report.per_seat);
        assert_eq!(report.per_seat.len(), 2, "{:?}", report.per_seat);
        for c in &report.per_seat {
            assert!(c.acknowledged > 0, "{c:?}");
            assert_eq!((c.stored, c.missing, c.duplicated, c.unacknowledged), (c.acknowledged, 0, 0, 0), "{c:?}");
        }
        assert!(report.entries_acked > 0 && report.telling.requests > 0, "{report:?}");
        assert!(report.knock_up.requests > 0, "the knockers loaded their rounds: {report:?}");
        assert!(report.strike_off.requests > 0 && report.strike_off.p99 > 0.0, "strike-offs were seen and timed: {report:?}");
        assert_eq!(report.stale, 0, "no load begun after an entry was acknowledged still listed that voter");

        // Each number matched the elector it names; the slips of the pen were kept, unmatched.
        let rows: Vec<(String, Option<String>, Option<i64>)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT t.typed, e.pd_prefix, e.elector_number FROM telling_entries t LEFT JOIN electors e ON e.id = t.elector_id")
            .fetch_all(pool).await).expect("entries");
        assert_eq!(rows.len(), report.entries_acked);
        let mut slips = 0;
        for (typed, prefix, number) in &rows {
            let n = PollNumber::parse(typed).expect("a poll number");
            match (prefix, number) {
                (Some(p), Some(number)) => assert_eq!((n.prefix.as_deref(), n.number), (Some(p.as_str()), *number), "{typed}"),
                _ => {
                    assert!(n.number > 900_000, "{typed} should have matched");
                    slips += 1;
                }
            }
        }
        assert!(slips < rows.len(), "most numbers matched");
        app.stop().await;
    }
}
