//! The seat dashboard's counters (kept by triggers as conversations are stored, changed
//! and deleted) against a slow recount from the raw rows, after every kind of change.

use app::dashboard::counters::{canvass_counts, recount_canvass, recount_seat, seat_counts};
use chrono::{Duration, Utc};
use groundwork_tests::*;

async fn run(app: &TestApp, sql: &'static str, at: Option<chrono::DateTime<Utc>>) {
    app::on_store!(&app.store, pool => {
        let q = sqlx::query(sql);
        let q = match at { Some(at) => q.bind(at), None => q };
        q.execute(pool).await.map(|_| ())
    })
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn counters_match_a_recount(app: &TestApp, seat: i64, after: &str) -> i64 {
    let fast = canvass_counts(&app.store, seat).await.expect("counters");
    let slow = recount_canvass(&app.store, seat).await.expect("recount");
    assert_eq!(fast, slow, "after {after}");
    let counts = seat_counts(&app.store, seat).await.expect("counters");
    assert_eq!(counts, recount_seat(&app.store, seat).await.expect("recount"), "after {after}");
    assert_eq!(
        counts.days.values().sum::<i64>(),
        app.count("SELECT COUNT(*) FROM conversations").await,
        "after {after}"
    );
    let knocks: i64 = fast.tallies.values().map(|t| t.0).sum();
    assert_eq!(knocks, app.count("SELECT COUNT(*) FROM conversations").await, "after {after}");
    knocks
}

on_both_databases! {
    async fn the_dashboard_counters_equal_a_recount_from_the_raw_rows_after_every_change(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let seat = app.count("SELECT id FROM seats").await;
        let now = Utc::now();
        assert!(counters_match_a_recount(&app, seat, "loading the demo").await > 0);

        // Newer intentions for some electors, older ones for others, and some made at the
        // very same moment as the elector's latest (the later id wins).
        run(&app, "INSERT INTO conversations (id, seat_id, household_id, elector_id, result, intention, intention_source, made_at, received_at)
                   SELECT 'new-' || CAST(e.id AS TEXT), e.seat_id, e.household_id, e.id, 'spoke',
                          CASE WHEN e.id % 3 = 0 THEN 'lab' WHEN e.id % 3 = 1 THEN 'con' ELSE 'green' END,
                          CASE WHEN e.id % 2 = 0 THEN 'inferred' ELSE 'said' END, $1, $1
                     FROM electors e WHERE e.id % 7 = 0", Some(now)).await;
        run(&app, "INSERT INTO conversations (id, seat_id, household_id, elector_id, result, intention, intention_source, made_at, received_at)
                   SELECT 'old-' || CAST(e.id AS TEXT), e.seat_id, e.household_id, e.id, 'spoke', 'reform', 'said', $1, $1
                     FROM electors e WHERE e.id % 11 = 0", Some(now - Duration::days(3000))).await;
        run(&app, "INSERT INTO conversations (id, seat_id, household_id, elector_id, result, intention, intention_source, made_at, received_at)
                   SELECT 'zz-tie-' || c.id, c.seat_id, c.household_id, c.elector_id, 'spoke', 'ld', NULL, c.made_at, c.made_at
                     FROM conversations c WHERE c.elector_id % 5 = 0 AND c.intention IS NOT NULL AND c.id NOT LIKE 'old-%'", None).await;
        run(&app, "INSERT INTO conversations (id, seat_id, household_id, result, made_at, received_at)
                   SELECT 'knock-' || CAST(h.id AS TEXT), h.seat_id, h.id, 'not_in', $1, $1 FROM households h WHERE h.id % 4 = 0",
            Some(now)).await;
        counters_match_a_recount(&app, seat, "new, old and tied intentions and fresh knocks").await;

        // Deleting an elector's latest (their previous one counts again), and bare knocks.
        run(&app, "DELETE FROM conversations WHERE id LIKE 'new-%' AND elector_id % 2 = 0", None).await;
        run(&app, "DELETE FROM conversations WHERE id LIKE 'knock-%' AND household_id % 8 = 0", None).await;
        run(&app, "DELETE FROM conversations WHERE id LIKE 'zz-tie-%' AND elector_id % 10 = 0", None).await;
        counters_match_a_recount(&app, seat, "deletions").await;

        // The retention purge clears intentions before a date; notes alone change nothing.
        run(&app, "UPDATE conversations SET intention = NULL, intention_source = NULL, firmness = NULL, notes = NULL
                   WHERE made_at < $1", Some(now - Duration::days(40))).await;
        run(&app, "UPDATE conversations SET notes = 'Asked about bins' WHERE id LIKE 'new-%'", None).await;
        counters_match_a_recount(&app, seat, "the retention purge").await;

        // A conversation corrected to another result, door and elector.
        run(&app, "UPDATE conversations SET result = 'refused', intention = NULL WHERE id LIKE 'new-%' AND elector_id % 3 = 0", None).await;
        run(&app, "UPDATE conversations SET household_id = (SELECT MIN(id) FROM households), elector_id = NULL
                   WHERE id LIKE 'knock-%' AND household_id % 3 = 0", None).await;
        let knocks = counters_match_a_recount(&app, seat, "corrections").await;

        // The register: electors marked as left, new ones, some of them deleted again, and
        // some who left coming back.
        run(&app, "UPDATE electors SET left_at = $1 WHERE id % 13 = 0", Some(now)).await;
        run(&app, "INSERT INTO electors (seat_id, household_id, polling_district_id, pd_prefix, elector_number, first_name, surname)
                   SELECT seat_id, household_id, polling_district_id, 'ZZ', id, 'New', 'Elector' FROM electors WHERE id % 17 = 0", None).await;
        run(&app, "DELETE FROM electors WHERE pd_prefix = 'ZZ' AND id % 2 = 0", None).await;
        run(&app, "UPDATE electors SET left_at = NULL WHERE id % 26 = 0", None).await;
        assert_eq!(counters_match_a_recount(&app, seat, "register changes").await, knocks);
        let register = seat_counts(&app.store, seat).await.expect("counters").register;
        assert!(register > 0);

        // The dashboard shows what the counters hold.
        let d = app::dashboard::queries::seat_dashboard(&app.store, seat, Utc::now()).await.expect("dashboard");
        assert_eq!(d.totals.knocks, knocks);
        assert_eq!(d.electorate, register);
        let slow = recount_canvass(&app.store, seat).await.expect("recount");
        let with_intention: i64 = slow.intentions.values().sum();
        assert_eq!(d.intentions.iter().map(|i| i.said + i.inferred).sum::<i64>(), with_intention);
        let supporters: i64 = slow.intentions.iter().filter(|((_, p, _), _)| p == "lab").map(|(_, n)| n).sum();
        assert_eq!(d.totals.supporters, supporters);
        app.stop().await;
    }
}

on_both_databases! {
    async fn the_national_generator_makes_every_shipped_seat_at_a_small_scale(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        let scale = 0.0002;
        let made = perf::bench::national::generate(&app.store, scale, Utc::now(), &|_, _| ()).await.expect("generate");
        let shipped = app::seat::catalogue::shipped();
        assert_eq!(made.seats, shipped.len());
        assert!(made.seats >= 630, "every GB seat: {}", made.seats);
        assert_eq!(app.count("SELECT COUNT(*) FROM seats WHERE is_target").await as usize, made.seats);
        let electors: usize = shipped.iter().filter_map(|s| s.last())
            .map(|r| ((r.electorate as f64 * scale).round() as usize).max(2)).sum();
        assert_eq!(made.electors, electors);
        assert_eq!(app.count("SELECT COUNT(*) FROM electors").await as usize, electors);
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await as usize, made.conversations);
        assert!((1_900..=2_100).contains(&made.conversations), "10 million × scale: {}", made.conversations);
        // The counters the triggers kept agree with a recount, seat by seat.
        for seat in [1, 300, made.seats as i64] {
            let fast = canvass_counts(&app.store, seat).await.expect("counters");
            assert_eq!(fast, recount_canvass(&app.store, seat).await.expect("recount"), "seat {seat}");
            let fast = seat_counts(&app.store, seat).await.expect("counters");
            assert_eq!(fast, recount_seat(&app.store, seat).await.expect("recount"), "seat {seat}");
        }
        let league = app::dashboard::queries::league(&app.store, None, Utc::now()).await.expect("league");
        assert_eq!(league.len(), made.seats);
        let knocks: i64 = league.iter().map(|(_, r)| r.tally.knocks).sum();
        assert_eq!(knocks as usize, made.conversations);
        // One region's league holds its seats only, with the same rows as the whole.
        let wales = app::dashboard::queries::league(&app.store, Some("Wales"), Utc::now()).await.expect("league");
        assert_eq!(wales.len() as i64,
            app.count("SELECT COUNT(*) FROM seats s JOIN regions r ON r.id = s.region_id WHERE r.name = 'Wales'").await);
        assert_eq!(wales.len(), 40, "Wales had 40 seats at the 2015 and 2019 elections");
        for (id, row) in &wales {
            assert_eq!(row.region.as_deref(), Some("Wales"));
            let whole = &league.iter().find(|(seat, _)| seat == id).expect("in the whole league").1;
            assert_eq!((row.tally.knocks, row.tally.supporters, &row.trend, row.previous),
                       (whole.tally.knocks, whole.tally.supporters, &whole.trend, whole.previous));
        }
        app.stop().await;
    }
}
