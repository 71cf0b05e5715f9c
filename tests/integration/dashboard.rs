//! The seat dashboard and the league table against a small, hand-counted campaign.
//!
//! Testford (North West, target): Conservative 20,000, Labour 19,000 (majority 1,000) on
//! an electorate of 50,000 with 39,500 valid votes in 2019. Its register holds 7 live
//! electors (and one who left), so the win number is 20,000 × 7 ÷ 50,000 = 2.8 → 2, + 1 = 3.
//!
//!   ward Alpha: district AA (h1: e1 e2, h2: e3), district AB (h3: e4)
//!   ward Beta:  district BA (h4: e5, h5: e6 e7, and e8 who has left)
//!
//!   #  door elector result  intention        days ago
//!   1  h1   e1      spoke   lab said         1
//!   2  h1   e2      spoke   con said         1
//!   3  h1   e1      spoke   con inferred     10   (older: e1 is lab)
//!   4  h2   e3      spoke   lab inferred     2
//!   5  h2   -       not_in                   20
//!   6  h3   e4      spoke   undecided said   3
//!   7  h3   e4      spoke   lab said         30   (older: e4 is undecided)
//!   8  h4   -       not_in                   1
//!   9  h4   -       refused                  5
//!  10  h5   e6      spoke   lab said         15   (older: e6 is reform)
//!  11  h5   e7      spoke   green inferred   40
//!  12  h5   -       come_back                100  (before the charts' twelve weeks)
//!  13  h5   e6      spoke   reform said      4
//!
//! Knocks 13, spoke 9 (69.2%), doors reached 5; supporters e1 and e3 = 2 (66.7% of 3).
//! Sessions: 3 days ago (v1 2.5 h, v2 3.0 h, v3 absent), 40 days ago (v1 2.0 h), and one
//! in 5 days: 2 active volunteers, 2 sessions run, 7.5 hours, 13 ÷ 7.5 = 1.7 doors an hour.
//!
//! Issues raised (conversation: issues): 1 nhs, cost_of_living; 2 cost_of_living; 3 nhs;
//! 4 housing; 6 cost_of_living; 7 nhs; 10 cost_of_living, potholes (not on the campaign's
//! list); 11 housing; 13 nhs. In all: cost of living 4, NHS 4, housing 2, potholes 1. In the
//! last four weeks (up to 21–27 days back, by weekday) cost of living 4 (days 1, 1, 3, 15),
//! NHS 3 (1, 10, 4), housing 1 (2), potholes 1; in the four before, NHS 1 (30), housing 1 (40).
//! Follow-ups (conversation: kind): 1 poster, 1 postal_vote, 4 poster, 6 call_back (done),
//! 10 volunteer, 10 poster (done), 13 call_back. Open: poster 2 (oldest 2 days ago),
//! call_back 1 (+1 done), postal_vote 1, volunteer 1: 5 open.
//!
//! Otherby (North West, target) we hold: Labour 15,000 over Conservative 14,500, electorate
//! 40,000, no register: win number 14,501. Southam (South East, target): Conservative 25,000
//! over Labour 20,000, electorate 60,000: win number 25,001.

use app::auth::users::{self, NewUser, Patch};
use app::auth::Role;
use chrono::{DateTime, Duration, Utc};
use groundwork_tests::*;

const ORG_A: &str = "organiser.a@example.org";
const REG_NW: &str = "regional.nw@example.org";
const ADMIN_X: &str = "admin@example.org";
const VOL_A: &str = "volunteer.a@example.org";

/// (household, elector, result, intention, source, days ago)
type Conversation = (usize, Option<usize>, &'static str, Option<&'static str>, Option<&'static str>, i64);
/// (volunteer, attended, hours)
type Attendance = (usize, bool, Option<f64>);

fn square(x0: f64) -> String {
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{x0},53.0],[{x1},53.0],[{x1},53.1],[{x0},53.1],[{x0},53.0]]]}}"#,
        x1 = x0 + 0.1
    )
}

async fn fixture(app: &TestApp, now: DateTime<Utc>) {
    let days = |n: i64| now - Duration::days(n);
    app::on_store!(&app.store, pool => async {
        let region = |name: &'static str| async move {
            let (id,): (i64,) = sqlx::query_as("INSERT INTO regions (name) VALUES ($1) RETURNING id")
                .bind(name).fetch_one(pool).await?;
            Ok::<i64, sqlx::Error>(id)
        };
        let (nw, se) = (region("North West").await?, region("South East").await?);
        let seat = |gss: &'static str, name: &'static str, region: i64, electorate: i64| async move {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO seats (gss_code, name, region_id, electorate, is_target) VALUES ($1, $2, $3, $4, TRUE) RETURNING id")
                .bind(gss).bind(name).bind(region).bind(electorate).fetch_one(pool).await?;
            Ok::<i64, sqlx::Error>(id)
        };
        let a = seat("E14000001", "Testford", nw, 7).await?;
        let b = seat("E14000002", "Otherby", nw, 40_000).await?;
        let c = seat("E14000003", "Southam", se, 60_000).await?;
        for (s, winner, runner, wv, rv, maj, el, valid) in [
            (a, "Conservative", "Labour", 20_000, 19_000, 1_000, 50_000, 39_500),
            (b, "Labour", "Conservative", 15_000, 14_500, 500, 40_000, 29_500),
            (c, "Conservative", "Labour", 25_000, 20_000, 5_000, 60_000, 45_000),
        ] {
            sqlx::query("INSERT INTO seat_results (seat_id, year, winner, runner_up, winner_votes, runner_up_votes, majority, electorate, valid_votes, invalid_votes)
                         VALUES ($1, 2019, $2, $3, $4, $5, $6, $7, $8, 100)")
                .bind(s).bind(winner).bind(runner).bind(wv as i64).bind(rv as i64).bind(maj as i64).bind(el as i64).bind(valid as i64)
                .execute(pool).await?;
        }
        let mut wards = Vec::new();
        for (code, name, x0) in [("E05000001", "Alpha", -2.3), ("E05000002", "Beta", -2.2)] {
            let (id,): (i64,) = sqlx::query_as("INSERT INTO wards (seat_id, gss_code, name, boundary) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(a).bind(code).bind(name).bind(square(x0)).fetch_one(pool).await?;
            wards.push(id);
        }
        let mut pds = Vec::new();
        for (ward, code) in [(wards[0], "AA"), (wards[0], "AB"), (wards[1], "BA")] {
            let (id,): (i64,) = sqlx::query_as("INSERT INTO polling_districts (ward_id, code, name) VALUES ($1, $2, $3) RETURNING id")
                .bind(ward).bind(code).bind(format!("District {code}")).fetch_one(pool).await?;
            pds.push(id);
        }
        let mut homes = Vec::new();
        for (i, pd) in [0usize, 0, 1, 2, 2].into_iter().enumerate() {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO households (seat_id, polling_district_id, address_key, address1) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(a).bind(pds[pd]).bind(format!("h{}", i + 1)).bind(format!("{} Test Street", i + 1)).fetch_one(pool).await?;
            homes.push((id, pd));
        }
        let mut electors = Vec::new();
        // (household index, left the register)
        for (n, (h, left)) in [(0, false), (0, false), (1, false), (2, false), (3, false), (4, false), (4, false), (4, true)].into_iter().enumerate() {
            let (home, pd) = homes[h];
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO electors (seat_id, household_id, polling_district_id, pd_prefix, elector_number, first_name, surname, left_at)
                 VALUES ($1, $2, $3, 'T', $4, 'Test', $5, $6) RETURNING id")
                .bind(a).bind(home).bind(pds[pd]).bind(n as i64 + 1).bind(format!("Elector{}", n + 1))
                .bind(left.then(|| days(60))).fetch_one(pool).await?;
            electors.push(id);
        }
        let conversations: [Conversation; 13] = [
            (0, Some(0), "spoke", Some("lab"), Some("said"), 1),
            (0, Some(1), "spoke", Some("con"), Some("said"), 1),
            (0, Some(0), "spoke", Some("con"), Some("inferred"), 10),
            (1, Some(2), "spoke", Some("lab"), Some("inferred"), 2),
            (1, None, "not_in", None, None, 20),
            (2, Some(3), "spoke", Some("undecided"), Some("said"), 3),
            (2, Some(3), "spoke", Some("lab"), Some("said"), 30),
            (3, None, "not_in", None, None, 1),
            (3, None, "refused", None, None, 5),
            (4, Some(5), "spoke", Some("lab"), Some("said"), 15),
            (4, Some(6), "spoke", Some("green"), Some("inferred"), 40),
            (4, None, "come_back", None, None, 100),
            (4, Some(5), "spoke", Some("reform"), Some("said"), 4),
        ];
        for (i, (h, e, result, intention, source, ago)) in conversations.into_iter().enumerate() {
            // Distinct seconds keep every conversation's time apart.
            let at = days(ago) - Duration::seconds(i as i64);
            sqlx::query("INSERT INTO conversations (id, seat_id, household_id, elector_id, result, intention, intention_source, made_at, received_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
                .bind(format!("fixture-{i}")).bind(a).bind(homes[h].0).bind(e.map(|e| electors[e]))
                .bind(result).bind(intention).bind(source).bind(at).execute(pool).await?;
        }
        let issues: [(usize, &str); 11] = [
            (0, "nhs"), (0, "cost_of_living"), (1, "cost_of_living"), (2, "nhs"), (3, "housing"), (5, "cost_of_living"),
            (6, "nhs"), (9, "cost_of_living"), (9, "potholes"), (10, "housing"), (12, "nhs"),
        ];
        for (i, issue) in issues {
            // Seat and time are left to the database to fill in from the conversation.
            sqlx::query("INSERT INTO conversation_issues (conversation_id, issue) VALUES ($1, $2)")
                .bind(format!("fixture-{i}")).bind(issue).execute(pool).await?;
        }
        let follow_ups: [(usize, &str, bool); 7] = [
            (0, "poster", false), (0, "postal_vote", false), (3, "poster", false), (5, "call_back", true),
            (9, "volunteer", false), (9, "poster", true), (12, "call_back", false),
        ];
        for (i, kind, done) in follow_ups {
            let (h, e, _, _, _, ago) = conversations[i];
            let at = days(ago) - Duration::seconds(i as i64);
            sqlx::query("INSERT INTO follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at, done_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(format!("fixture-{i}")).bind(a).bind(homes[h].0).bind(e.map(|e| electors[e])).bind(kind)
                .bind(if done { "done" } else { "open" }).bind(at).bind(done.then_some(now))
                .execute(pool).await?;
        }
        let mut volunteers = Vec::new();
        for name in ["One", "Two", "Three"] {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO volunteers (seat_id, first_name, surname, created_at) VALUES ($1, $2, 'Volunteer', $3) RETURNING id")
                .bind(a).bind(name).bind(now).fetch_one(pool).await?;
            volunteers.push(id);
        }
        let sessions: [(i64, &[Attendance]); 3] = [
            (3, &[(0, true, Some(2.5)), (1, true, Some(3.0)), (2, false, None)]),
            (40, &[(0, true, Some(2.0))]),
            (-5, &[(2, false, None)]),
        ];
        for (ago, attendance) in sessions {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO canvass_sessions (seat_id, title, starts_at, ends_at, meeting_point) VALUES ($1, 'Canvass', $2, $3, 'Library') RETURNING id")
                .bind(a).bind(days(ago)).bind(days(ago) + Duration::hours(3)).fetch_one(pool).await?;
            for (v, attended, hours) in attendance {
                sqlx::query("INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, hours) VALUES ($1, $2, $3, $4)")
                    .bind(id).bind(volunteers[*v]).bind(*attended).bind(*hours).execute(pool).await?;
            }
        }
        Ok::<(), sqlx::Error>(())
    }.await)
    .expect("fixture");

    let (a, nw): (i64, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT s.id, s.region_id FROM seats s WHERE s.gss_code = 'E14000001'").fetch_one(pool).await)
    .expect("ids");
    for (email, role, patch) in [
        (ADMIN_X, Role::Admin, None),
        (REG_NW, Role::Regional, Some(Patch::Region(nw))),
        (ORG_A, Role::Organiser, Some(Patch::Seat(a))),
        (VOL_A, Role::Volunteer, Some(Patch::Seat(a))),
    ] {
        let id = users::create(&app.store, NewUser { email, display_name: email, password: PASSWORD, role })
            .await
            .expect("user");
        if let Some(patch) = patch {
            users::give_patch(&app.store, id, patch).await.expect("patch");
        }
    }
}

async fn app_as(backend: Backend, email: &str) -> (TestApp, reqwest::Client, DateTime<Utc>) {
    let app = TestApp::empty(backend).await.expect("app");
    let now = Utc::now();
    fixture(&app, now).await;
    let browser = app.new_browser();
    app.sign_in_with(&browser, email, PASSWORD).await;
    (app, browser, now)
}

/// The text of the element that carries `attr`, within the part of `html` after `within`.
fn text_at(html: &str, within: &str, attr: &str) -> String {
    let scope = &html[html.find(within).unwrap_or_else(|| panic!("{within} in {html}"))..];
    let scope = &scope[..scope.find("</tr>").unwrap_or(scope.len())];
    let at = scope.find(attr).unwrap_or_else(|| panic!("{attr} after {within} in {scope}"));
    let rest = &scope[at..];
    let start = rest.find('>').expect("tag end") + 1;
    rest[start..start + rest[start..].find('<').expect("text end")].to_string()
}

fn stat(html: &str, key: &str) -> String {
    text_at(html, &format!("data-stat=\"{key}\""), "")
}

fn row(html: &str, anchor: &str, cols: &[(&str, &str)]) {
    for (col, want) in cols {
        assert_eq!(text_at(html, anchor, &format!("data-col=\"{col}\"")), *want, "{anchor} {col}");
    }
}

on_both_databases! {
    async fn the_seat_dashboard_shows_the_hand_counted_figures(backend) {
        let (app, browser, now) = app_as(backend, ORG_A).await;
        let (status, html) = app.page_with(&browser, "/dashboard/seats/E14000001").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        for (key, want) in [
            ("electorate", "7"), ("knocks", "13"), ("spoke", "9"), ("contact-rate", "69.2%"),
            ("supporters", "2"), ("win-number", "3"), ("with-intention", "6"),
            ("volunteers-active", "2"), ("sessions-run", "2"), ("volunteer-hours", "7.5"), ("doors-per-hour", "1.7"),
        ] {
            assert_eq!(stat(&main, key), want, "{key}");
        }
        for (key, want) in [("supporters", "2"), ("target", "3"), ("progress", "66.7%"), ("still", "1"), ("majority", "1,000")] {
            assert_eq!(text_at(&main, &format!("data-win=\"{key}\""), ""), want, "win {key}");
        }
        assert!(main.contains("20,000 × 7 ÷ 50,000, rounded down, + 1 = <strong>3</strong>"), "{main}");
        for (party, said, inferred, total) in [("lab", "1", "1", "2"), ("con", "1", "0", "1"), ("undecided", "1", "0", "1"), ("reform", "1", "0", "1"), ("green", "0", "1", "1")] {
            let anchor = format!("data-party=\"{party}\"");
            assert_eq!(text_at(&main, &anchor, "class=\"num said\""), said, "{party} said");
            assert_eq!(text_at(&main, &anchor, "class=\"num inferred\""), inferred, "{party} inferred");
            assert_eq!(text_at(&main, &anchor, "class=\"num total\""), total, "{party} total");
        }
        assert!(!main.contains("data-party=\"ld\""), "no party without electors");
        let area = |h: &'static str, e: &'static str, k: &'static str, s: &'static str, c: &'static str, sup: &'static str| {
            [("households", h), ("electors", e), ("knocks", k), ("spoke", s), ("contact", c), ("supporters", sup)]
        };
        row(&main, "data-area=\"E05000001\"", &area("3", "4", "7", "6", "85.7%", "2"));
        row(&main, "data-area=\"E05000002\"", &area("2", "3", "6", "3", "50.0%", "0"));
        row(&main, "data-area=\"AA\"", &area("2", "3", "5", "4", "80.0%", "2"));
        row(&main, "data-area=\"AB\"", &area("1", "1", "2", "2", "100.0%", "0"));
        row(&main, "data-area=\"BA\"", &area("2", "3", "6", "3", "50.0%", "0"));
        // Conversations per day over the last twelve weeks; the one 100 days ago is outside them.
        let today = now.date_naive();
        for (ago, want) in [(0, "0"), (1, "3"), (2, "1"), (3, "1"), (4, "1"), (5, "1"), (10, "1"), (15, "1"), (20, "1"), (30, "1"), (40, "1"), (6, "0")] {
            let day = today - Duration::days(ago);
            assert_eq!(text_at(&main, &format!("data-day=\"{day}\""), "class=\"num\""), want, "{ago} days ago");
        }
        assert!(!main.contains(&format!("data-day=\"{}\"", today - Duration::days(100))));
        let weekly = &main[main.find("id=\"weekly\"").expect("weekly table")..];
        let weekly = &weekly[..weekly.find("</table>").expect("end")];
        let sum: i64 = weekly.split("data-week=").skip(1).map(|r| text_at(r, "", "class=\"num\"").parse::<i64>().expect("n")).sum();
        assert_eq!(sum, 12, "every conversation in the window, by week");
        let monday = |d: chrono::NaiveDate| d - Duration::days(chrono::Datelike::weekday(&d).num_days_from_monday() as i64);
        let this_week: i64 = [0i64, 1, 2, 3, 4, 5, 10].iter().filter(|&&a| a <= 6 && monday(today - Duration::days(a)) == monday(today))
            .map(|&a| if a == 1 { 3 } else if a == 0 { 0 } else { 1 }).sum();
        assert_eq!(text_at(weekly, &format!("data-week=\"{}\"", monday(today)), "class=\"num\""), this_week.to_string());
        // The map has both wards, drawn as accessible SVG.
        assert!(main.contains("<svg class=\"chart map\" role=\"img\" aria-labelledby=\"ward-map-t ward-map-d\""));
        assert!(main.contains("<title>Alpha: 85.7%</title>") && main.contains("<title>Beta: 50.0%</title>"), "{main}");
        app.stop().await;
    }

    async fn the_seat_dashboard_counts_follow_ups_and_the_issues_raised_by_week(backend) {
        let (app, browser, now) = app_as(backend, ORG_A).await;
        let (status, html) = app.page_with(&browser, "/dashboard/seats/E14000001").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(!main.contains("not recorded yet"));
        assert_eq!(stat(&main, "follow-ups-open"), "5");
        let two_days_ago = (now - Duration::days(2) - Duration::seconds(3)).format("%-d %b").to_string();
        for (kind, open, done, since) in [
            ("poster", "2", "1", two_days_ago.as_str()), ("call_back", "1", "1", ""), ("postal_vote", "1", "0", ""), ("volunteer", "1", "0", ""),
        ] {
            row(&main, &format!("data-follow-up=\"{kind}\""), &[("open", open), ("done", done)]);
            if !since.is_empty() {
                row(&main, &format!("data-follow-up=\"{kind}\""), &[("since", since)]);
            }
        }
        let table = &main[main.find("id=\"follow-ups\"").expect("follow-ups table")..];
        let kinds: Vec<&str> = table.split("data-follow-up=\"").skip(1).map(|s| &s[..s.find('"').expect("quote")]).collect();
        assert_eq!(kinds, ["poster", "call_back", "postal_vote", "volunteer"], "most open first");
        assert!(main.contains("href=\"/dashboard/seats/E14000001/follow-ups?kind=poster\">Posters to deliver</a>"), "{main}");

        let issues = &main[main.find("id=\"issues\"").expect("issues table")..];
        let order: Vec<&str> = issues.split("data-issue=\"").skip(1).map(|s| &s[..s.find('"').expect("quote")]).collect();
        assert_eq!(order, ["cost_of_living", "nhs", "housing", "potholes"]);
        for (issue, label, raised, recent, before) in [
            ("cost_of_living", "Cost of living", "4", "4", "0"), ("nhs", "NHS", "4", "3", "1"),
            ("housing", "Housing", "2", "1", "1"), ("potholes", "potholes", "1", "1", "0"),
        ] {
            let anchor = format!("data-issue=\"{issue}\"");
            row(issues, &anchor, &[("raised", raised), ("recent", recent), ("before", before)]);
            assert_eq!(text_at(issues, &anchor, "<th scope=\"row\""), label);
        }
        // Week by week: each issue's weeks add up to its total, and the current week holds
        // what was raised since Monday.
        let weekly = &main[main.find("id=\"issues-weekly\"").expect("weekly issues")..];
        let weekly = &weekly[..weekly.find("</table>").expect("end")];
        let today = now.date_naive();
        let monday = today - Duration::days(chrono::Datelike::weekday(&today).num_days_from_monday() as i64);
        for (issue, total, raised_days) in [("cost_of_living", 4, vec![1, 1, 3, 15]), ("nhs", 4, vec![1, 10, 30, 4]), ("housing", 2, vec![2, 40])] {
            let cells: Vec<i64> = weekly.split(&format!("data-issue=\"{issue}\" class=\"num\">")).skip(1)
                .map(|c| c[..c.find('<').expect("cell end")].parse().expect("n")).collect();
            assert_eq!(cells.len(), 12, "{issue}: twelve weeks");
            assert_eq!(cells.iter().sum::<i64>(), total, "{issue}");
            let this_week = raised_days.iter().filter(|&&a| today - Duration::days(a) >= monday).count() as i64;
            assert_eq!(*cells.last().expect("this week"), this_week, "{issue} this week");
        }
        assert!(main.contains("<svg class=\"chart lines\" role=\"img\" aria-labelledby=\"issues-chart-t issues-chart-d\""));
        assert_eq!(main.matches("<polyline class=\"series\"").count(), 4, "one line per issue");
        app.stop().await;
    }

    async fn an_organiser_works_through_the_follow_ups_and_marks_them_done(backend) {
        let (app, browser, _) = app_as(backend, ORG_A).await;
        let (status, html) = app.page_with(&browser, "/dashboard/seats/E14000001/follow-ups?kind=poster").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        let ids: Vec<i64> = main.split("data-follow-up-id=\"").skip(1)
            .map(|s| s[..s.find('"').expect("quote")].parse().expect("id")).collect();
        assert_eq!(ids.len(), 2, "two posters to deliver: {main}");
        let first = main.find("1 Test Street").expect("h1");
        assert!(first < main.find("2 Test Street").expect("h2"), "in address order");
        assert!(main.contains("Test Elector1"), "who asked");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND reason = 'follow-ups list'").await, 1);

        let csv = browser.get(app.url("/dashboard/export/E14000001/follow-ups.csv?kind=poster")).send().await.expect("GET");
        assert_eq!(csv.status().as_u16(), 200);
        let csv = csv.text().await.expect("body");
        assert_eq!(csv.lines().count(), 3, "{csv}");
        assert!(csv.starts_with("id,kind,asked_on,address,elector,notes\r\n"));
        assert!(csv.contains(",poster,") && csv.contains(",1 Test Street,Test Elector1,"), "{csv}");
        let issues = browser.get(app.url("/dashboard/export/E14000001/issues.csv")).send().await.expect("GET").text().await.expect("body");
        assert!(issues.lines().nth(1).expect("first issue").starts_with("cost_of_living,Cost of living,4,"), "{issues}");

        let done = browser.post(app.url("/api/follow_up_done"))
            .form(&[("gss_code", "E14000001".to_string()), ("id", ids[0].to_string())]).send().await.expect("POST");
        assert!(done.status().is_success() || done.status().is_redirection(), "{}", done.status());
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE status = 'done' AND done_by IS NOT NULL AND done_at IS NOT NULL").await, 1);
        let (_, after) = app.page_with(&browser, "/dashboard/seats/E14000001").await;
        let main = main_of(&after);
        row(&main, "data-follow-up=\"poster\"", &[("open", "1"), ("done", "2")]);
        assert_eq!(stat(&main, "follow-ups-open"), "4");
        // Done twice is still done; a follow-up of another seat, or none, is refused.
        let again = browser.post(app.url("/api/follow_up_done"))
            .form(&[("gss_code", "E14000001".to_string()), ("id", ids[0].to_string())]).send().await.expect("POST");
        assert!(again.status().is_success() || again.status().is_redirection());
        let none = browser.post(app.url("/api/follow_up_done"))
            .form(&[("gss_code", "E14000001".to_string()), ("id", "999999".to_string())]).send().await.expect("POST");
        assert_eq!(none.status().as_u16(), 400);
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE status = 'open'").await, 4);
        app.stop().await;
    }

    async fn a_new_conversation_shows_at_once(backend) {
        let (app, browser, now) = app_as(backend, ORG_A).await;
        let (_, before) = app.page_with(&browser, "/dashboard/seats/E14000001").await;
        assert_eq!(stat(&main_of(&before), "supporters"), "2");
        app::on_store!(&app.store, pool => sqlx::query(
            "INSERT INTO conversations (id, seat_id, household_id, elector_id, result, intention, intention_source, made_at, received_at)
             SELECT 'fresh', e.seat_id, e.household_id, e.id, 'spoke', 'lab', 'said', $1, $1 FROM electors e WHERE e.surname = 'Elector5'")
            .bind(now).execute(pool).await.map(|_| ())).expect("insert");
        let (_, after) = app.page_with(&browser, "/dashboard/seats/E14000001").await;
        let main = main_of(&after);
        assert_eq!((stat(&main, "knocks").as_str(), stat(&main, "supporters").as_str(), stat(&main, "contact-rate").as_str()), ("14", "3", "71.4%"));
        app.stop().await;
    }

    async fn the_league_table_ranks_every_target_seat_in_the_patch(backend) {
        let (app, browser, _) = app_as(backend, ADMIN_X).await;
        let (status, html) = app.page_with(&browser, "/dashboard").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert_eq!(seat_order(&main), ["E14000001", "E14000003", "E14000002"], "smallest majority to overturn first, held seats last");
        row(&main, "data-seat=\"E14000001\"", &[("majority", "1,000"), ("contact", "69.2%"), ("supporters", "2"), ("win-number", "3"), ("recent", "8"), ("change", " (+6)"), ("volunteers", "2")]);
        row(&main, "data-seat=\"E14000002\"", &[("majority", "held by 500"), ("contact", "—"), ("supporters", "0"), ("win-number", "14,501"), ("recent", "0"), ("volunteers", "0")]);
        row(&main, "data-seat=\"E14000003\"", &[("majority", "5,000"), ("win-number", "25,001")]);
        assert!(main.contains("href=\"/dashboard/seats/E14000001\""), "drill-down link");
        let (_, by_contact) = app.page_with(&browser, "/dashboard?sort=contact").await;
        assert_eq!(seat_order(&main_of(&by_contact)), ["E14000001", "E14000002", "E14000003"]);
        let (_, by_name) = app.page_with(&browser, "/dashboard?sort=name").await;
        assert_eq!(seat_order(&main_of(&by_name)), ["E14000002", "E14000003", "E14000001"]);
        let (_, south_east) = app.page_with(&browser, "/dashboard?sort=name&region=South%20East").await;
        assert_eq!(seat_order(&main_of(&south_east)), ["E14000003"]);
        app.stop().await;
    }

    async fn each_role_sees_only_its_patch_and_volunteers_are_refused(backend) {
        let (app, _, _) = app_as(backend, ADMIN_X).await;
        for (email, league, own, other) in [
            (REG_NW, vec!["E14000001", "E14000002"], 200, 403),
            (ORG_A, vec!["E14000001"], 200, 403),
        ] {
            let browser = app.new_browser();
            app.sign_in_with(&browser, email, PASSWORD).await;
            let (status, html) = app.page_with(&browser, "/dashboard?sort=name").await;
            assert_eq!(status, 200, "{email}");
            let mut order = seat_order(&main_of(&html));
            order.sort();
            assert_eq!(order, league, "{email}");
            assert_eq!(app.page_with(&browser, "/dashboard/seats/E14000001").await.0, own, "{email}");
            assert_eq!(app.page_with(&browser, "/dashboard/seats/E14000003").await.0, other, "{email}");
        }
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOL_A, PASSWORD).await;
        for path in ["/dashboard", "/dashboard/seats/E14000001"] {
            let (status, html) = app.page_with(&volunteer, path).await;
            assert_eq!(status, 403, "{path}");
            assert!(!main_of(&html).contains("Testford"), "no seat data leaks into the refusal");
        }
        let (status, _) = app.page_with(&app.new_browser(), "/dashboard").await;
        assert_ne!(status, 200, "signed-out visitors are not shown the league");
        app.stop().await;
    }

    async fn the_tables_export_as_csv_within_the_patch_and_are_audited(backend) {
        let (app, admin, _) = app_as(backend, ADMIN_X).await;
        let response = admin.get(app.url("/dashboard/export/league.csv?sort=name")).send().await.expect("GET");
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
        let body = response.text().await.expect("body");
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 4, "{body}");
        assert!(lines[0].starts_with("gss_code,seat,region,majority,held_by_us"));
        assert_eq!(lines[3], "E14000001,Testford,North West,1000,false,13,9,69.2,2,3,66.7,8,2,2");
        assert_eq!(lines[1], "E14000002,Otherby,North West,500,true,0,0,,0,14501,0.0,0,0,0");

        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORG_A, PASSWORD).await;
        let wards = organiser.get(app.url("/dashboard/export/E14000001/wards.csv")).send().await.expect("GET");
        assert_eq!(wards.status().as_u16(), 200);
        let wards = wards.text().await.expect("body");
        assert!(wards.contains("E05000001,Alpha,,3,4,7,6,85.7,2\r\n"), "{wards}");
        let districts = organiser.get(app.url("/dashboard/export/E14000001/districts.csv")).send().await.expect("GET").text().await.expect("body");
        assert!(districts.contains("BA,District BA,Beta,2,3,6,3,50.0,0\r\n"), "{districts}");
        let other = organiser.get(app.url("/dashboard/export/E14000003/wards.csv")).send().await.expect("GET");
        assert_eq!(other.status().as_u16(), 403);

        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOL_A, PASSWORD).await;
        let refused = volunteer.get(app.url("/dashboard/export/league.csv")).send().await.expect("GET");
        assert_eq!(refused.status().as_u16(), 403);
        assert!(!refused.text().await.expect("body").contains("Testford"));
        let anonymous = app.new_browser().get(app.url("/dashboard/export/league.csv")).send().await.expect("GET");
        assert_eq!(anonymous.status().as_u16(), 401);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export'").await, 3);
        app.stop().await;
    }
}

fn seat_order(html: &str) -> Vec<String> {
    html.split("data-seat=\"").skip(1).map(|s| s[..s.find('"').expect("quote")].to_string()).collect()
}
