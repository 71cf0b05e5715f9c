//! Polling day through the real server: the set-up import, telling (stored once, kept
//! when unknown, refused for another seat), strike-off from the knock-up round, and box
//! counts corrected and audited on the dashboard. The demo seat comes with a simulated
//! polling day, so the volunteer is already a teller and a knocker.

use groundwork_tests::*;
use reqwest::header::LOCATION;
use serde_json::json;

const SEAT: &str = "E14000611";

async fn one<T>(app: &TestApp, sql: &'static str) -> T
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    app::on_store!(&app.store, pool => sqlx::query_as::<_, T>(sql).fetch_one(pool).await).expect(sql)
}

/// Another region's seat holding polling district ZZ.
async fn other_seat_with_district_zz(app: &TestApp) {
    app::on_store!(&app.store, pool => async {
        sqlx::query("INSERT INTO regions (name) VALUES ('Elsewhere')").execute(pool).await?;
        sqlx::query("INSERT INTO seats (gss_code, name, region_id, is_target) SELECT 'E14009999', 'Otherby', id, TRUE FROM regions WHERE name = 'Elsewhere'")
            .execute(pool).await?;
        sqlx::query("INSERT INTO wards (seat_id, gss_code, name) SELECT id, 'E05009999', 'Far Ward' FROM seats WHERE gss_code = 'E14009999'")
            .execute(pool).await?;
        sqlx::query("INSERT INTO polling_districts (ward_id, code, name) SELECT id, 'ZZ', 'Far District' FROM wards WHERE gss_code = 'E05009999'")
            .execute(pool).await.map(|_| ())
    }.await)
    .expect("other seat");
}

async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = app.client.post(app.url(path)).form(fields).send().await.expect("post");
    let location = r.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    (r.status().as_u16(), location)
}

/// The message or error a form's redirect carries.
fn decoded(location: &str) -> String {
    let url = reqwest::Url::parse(&format!("http://localhost{location}")).expect("location");
    url.query_pairs()
        .filter(|(k, _)| k == "msg" || k == "error")
        .map(|(_, v)| v.into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

on_both_databases! {
    async fn polling_day_setup_import_is_all_or_nothing_and_names_each_mistake(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        other_seat_with_district_zz(&app).await;
        app.sign_in(ORGANISER).await;
        let (district,): (String,) = one(&app, "SELECT pd.code FROM ballot_boxes b JOIN polling_districts pd ON pd.id = b.polling_district_id ORDER BY pd.code LIMIT 1").await;
        let before: (i64,) = one(&app, "SELECT COUNT(*) FROM polling_stations").await;

        let bad = format!("district,station,cars\n{district},New Hall,\nZZ,Far Hall,\n{district},Again,\n");
        let (status, location) = post_form(&app, "/seats/E14000611/polling-day/setup", &[("action", "import"), ("csv", &bad)]).await;
        assert_eq!(status, 303);
        let message = decoded(&location);
        assert!(message.contains("Nothing was saved"), "{message}");
        assert!(message.contains("line 3, district: \"ZZ\" is a polling district of Otherby"), "{message}");
        assert!(message.contains(&format!("line 4, district: \"{district}\" is already on line 2")), "{message}");
        let after: (i64,) = one(&app, "SELECT COUNT(*) FROM polling_stations").await;
        assert_eq!(before, after, "a refused file saves nothing");

        let good = format!("district,station,station_address,committee_room,canvassers,cars\n{district},New Hall,1 New Road,Bury Labour Club,20,6\n");
        let (status, location) = post_form(&app, "/seats/E14000611/polling-day/setup", &[("action", "import"), ("csv", &good)]).await;
        assert_eq!((status, decoded(&location)), (303, "Saved the set-up: 1 polling districts.".to_string()));
        let (_, html) = app.page("/seats/E14000611/polling-day/setup").await;
        assert!(html.contains(&format!("{district},New Hall,1 New Road,{district},Bury Labour Club")), "the edit screen shows the saved set-up");
        let (cars,): (i64,) = one(&app, "SELECT cars FROM committee_rooms WHERE name = 'Bury Labour Club'").await;
        assert_eq!(cars, 6);
        app.stop().await;
    }

    async fn telling_entries_are_stored_once_kept_when_unknown_and_refused_for_another_seat(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        other_seat_with_district_zz(&app).await;
        app.sign_in(VOLUNTEER).await;
        let (prefix, number, elector, station): (String, i64, i64, i64) = one(&app,
            "SELECT e.pd_prefix, e.elector_number, e.id, b.station_id FROM electors e
               JOIN ballot_boxes b ON b.polling_district_id = e.polling_district_id
               JOIN polling_day_helpers h ON h.station_id = b.station_id JOIN users u ON u.id = h.user_id
              WHERE u.email = 'volunteer@demo.groundwork.example' AND e.left_at IS NULL AND e.elector_suffix = 0
                AND NOT EXISTS (SELECT 1 FROM telling_entries t WHERE t.elector_id = e.id) ORDER BY e.id LIMIT 1").await;
        let told = format!("{prefix}-{number}");
        let (fix_prefix, fix_number): (String, i64) = one(&app,
            "SELECT e.pd_prefix, e.elector_number FROM electors e
               JOIN ballot_boxes b ON b.polling_district_id = e.polling_district_id
               JOIN polling_day_helpers h ON h.station_id = b.station_id
              WHERE e.left_at IS NULL AND e.elector_suffix = 0
                AND NOT EXISTS (SELECT 1 FROM telling_entries t WHERE t.elector_id = e.id) ORDER BY e.id LIMIT 1 OFFSET 1").await;
        let (first, scribble) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
        let batch = json!({ "gss_code": SEAT, "entries": [
            { "id": first, "station_id": station, "typed": told },
            { "id": scribble, "station_id": station, "typed": "88x" },
        ]});
        let send = |body: serde_json::Value| {
            let request = app.client.post(app.url("/api/polling-day/telling")).json(&body);
            async move {
                let r = request.send().await.expect("batch");
                (r.status().as_u16(), r.text().await.expect("body"))
            }
        };
        let (status, body) = send(batch.clone()).await;
        assert_eq!(status, 200, "{body}");
        let outcome: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!((outcome["stored"].as_i64(), outcome["unknown"].as_i64()), (Some(2), Some(1)));

        // The phone sends the same batch again (it never heard back), and another teller's
        // phone tells the same voter: neither is stored again.
        let (_, body) = send(batch).await;
        assert!(body.contains("\"already_had\":2"), "{body}");
        let again = json!({ "gss_code": SEAT, "entries": [{ "id": uuid::Uuid::now_v7().to_string(), "station_id": station, "typed": told.to_lowercase() }]});
        let (_, body) = send(again).await;
        assert!(body.contains("\"already_had\":1"), "{body}");
        let sql = format!("SELECT COUNT(*) FROM telling_entries WHERE elector_id = {elector}");
        let n: i64 = app::on_store!(&app.store, pool => sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql.clone())).fetch_one(pool).await).expect("count").0;
        assert_eq!(n, 1, "the voter is told once");

        // The scribble is kept, with who, where and when, and listed for correction.
        let (user, kept_station): (Option<i64>, i64) = one(&app, "SELECT user_id, station_id FROM telling_entries WHERE typed = '88x'").await;
        assert!(user.is_some());
        assert_eq!(kept_station, station);
        let (_, html) = app.page(&format!("/poll/{SEAT}/telling?station={station}")).await;
        assert!(main_of(&html).contains("data-unknown=\"88x\""), "the unknown number is shown for correction");

        // Another seat's district is refused with a message, and nothing of the batch is stored.
        let elsewhere = json!({ "gss_code": SEAT, "entries": [
            { "id": uuid::Uuid::now_v7().to_string(), "station_id": station, "typed": "99999" },
            { "id": uuid::Uuid::now_v7().to_string(), "station_id": station, "typed": "ZZ-1" },
        ]});
        let (status, body) = send(elsewhere).await;
        assert_eq!(status, 400);
        assert!(body.contains("ZZ is a polling district of Otherby, not of Bury North"), "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM telling_entries WHERE typed = '99999'").await, 0);

        // A station that is not the teller's own is refused.
        let (other,): (i64,) = one(&app, "SELECT id FROM polling_stations WHERE id NOT IN (SELECT station_id FROM polling_day_helpers WHERE station_id IS NOT NULL) ORDER BY id LIMIT 1").await;
        let (status, _) = send(json!({ "gss_code": SEAT, "entries": [{ "id": uuid::Uuid::now_v7().to_string(), "station_id": other, "typed": told }]})).await;
        assert_eq!(status, 403);

        // Correcting the scribble to a real number matches it; undoing the first takes it back.
        let (status, location) = post_form(&app, &format!("/poll/{SEAT}/telling"),
            &[("action", "correct"), ("id", &scribble), ("station_id", &station.to_string()), ("typed", &format!("{fix_prefix}-{fix_number}"))]).await;
        assert_eq!((status, decoded(&location)), (303, format!("Corrected to {fix_prefix}-{fix_number}.")));
        let (status, location) = post_form(&app, &format!("/poll/{SEAT}/telling"), &[("action", "undo"), ("id", &first), ("station_id", &station.to_string())]).await;
        assert_eq!((status, decoded(&location).contains("Taken back")), (303, true), "{location}");
        assert_eq!(app.count("SELECT COUNT(*) FROM telling_entries WHERE undone_at IS NOT NULL").await, 1);
        app.stop().await;
    }

    async fn a_batch_of_numbers_matches_each_to_its_own_voter(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        // Voters at the volunteer's station not yet told, the first with a number no one
        // else at the station has (so it can be typed bare).
        let sql = "SELECT e.id, e.pd_prefix, e.elector_number, b.station_id,
                          EXISTS (SELECT 1 FROM telling_entries t WHERE t.elector_id = e.id) AS told
               FROM electors e
               JOIN ballot_boxes b ON b.polling_district_id = e.polling_district_id
               JOIN polling_day_helpers h ON h.station_id = b.station_id JOIN users u ON u.id = h.user_id
              WHERE u.email = 'volunteer@demo.groundwork.example' AND e.left_at IS NULL AND e.elector_suffix = 0
              ORDER BY e.id";
        let here: Vec<(i64, String, i64, i64, bool)> =
            app::on_store!(&app.store, pool => sqlx::query_as(sql).fetch_all(pool).await).expect("voters");
        let untold: Vec<(i64, String, i64, i64)> =
            here.iter().filter(|v| !v.4).map(|(id, p, n, s, _)| (*id, p.clone(), *n, *s)).collect();
        let bare = untold.iter().position(|v| here.iter().filter(|o| o.2 == v.2).count() == 1).expect("a number typed bare");
        let mut voters = vec![untold[bare].clone()];
        voters.extend(untold.iter().enumerate().filter(|(i, _)| *i != bare).take(4).map(|(_, v)| v.clone()));
        assert_eq!(voters.len(), 5, "the demo station has voters to tell");
        let station = voters[0].3;
        let forms = |(i, (_, p, n, _)): (usize, &(i64, String, i64, i64))| match i {
            0 => n.to_string(),
            1 => format!("{p}-{n}"),
            2 => format!("{}{n}", p.to_lowercase()),
            3 => format!("{p}-{n}/0"),
            _ => format!("{p} {n}.0"),
        };
        let mut entries: Vec<serde_json::Value> = voters.iter().enumerate().map(forms)
            .map(|typed| json!({ "id": uuid::Uuid::now_v7().to_string(), "station_id": station, "typed": typed }))
            .collect();
        // In the same batch: the first voter told again under a new id, the same entry
        // twice, and a number that matches nobody.
        entries.push(json!({ "id": uuid::Uuid::now_v7().to_string(), "station_id": station, "typed": format!("{}-{}", voters[0].1, voters[0].2) }));
        entries.push(entries[1].clone());
        entries.push(json!({ "id": uuid::Uuid::now_v7().to_string(), "station_id": station, "typed": "999999" }));
        let r = app.client.post(app.url("/api/polling-day/telling"))
            .json(&json!({ "gss_code": SEAT, "entries": &entries })).send().await.expect("batch");
        assert_eq!(r.status().as_u16(), 200);
        let outcome: serde_json::Value = r.json().await.expect("json");
        assert_eq!(
            (outcome["stored"].as_i64(), outcome["unknown"].as_i64(), outcome["already_had"].as_i64()),
            (Some(6), Some(1), Some(2))
        );
        for (i, voter) in voters.iter().enumerate() {
            let typed = forms((i, voter));
            let sql = format!("SELECT elector_id FROM telling_entries WHERE id = '{}'", entries[i]["id"].as_str().expect("id"));
            let (matched,): (Option<i64>,) = app::on_store!(&app.store, pool =>
                sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_one(pool).await).expect("entry");
            assert_eq!(matched, Some(voter.0), "{typed} is matched to its own voter");
        }
        app.stop().await;
    }

    async fn a_voter_struck_off_drops_out_of_the_knock_up_round_at_once(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let a = &app;
        let round = |path: String| async move { main_of(&a.page(&path).await.1) };
        let first = round(format!("/poll/{SEAT}/knock-up")).await;
        let electors: Vec<i64> = first.split("data-elector=\"").skip(1).filter_map(|s| s.split('"').next()?.parse().ok()).collect();
        assert!(electors.len() >= 4, "the demo's round has promises to knock: {}", electors.len());
        let district: String = first.split("name=\"district\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("district").to_string();
        // The district's round is cut into walks: keep to the one the page opened.
        let walk: String = first.split("name=\"walk\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("walk").to_string();
        let path = format!("/poll/{SEAT}/knock-up?district={district}&walk={walk}");
        let knock = |elector: i64, result: &'static str| {
            let id = uuid::Uuid::now_v7().to_string();
            let (e, d, w) = (elector.to_string(), district.clone(), walk.clone());
            async move { post_form(a, &format!("/poll/{SEAT}/knock-up"), &[("id", &id), ("elector_id", &e), ("district", &d), ("walk", &w), ("result", result)]).await }
        };
        let on_list = |html: &str, e: i64| html.contains(&format!("data-elector=\"{e}\""));

        // Told at the station: off the list on the next load.
        let (station,): (i64,) = one(&app, "SELECT station_id FROM polling_day_helpers WHERE station_id IS NOT NULL").await;
        app::on_store!(&app.store, pool => sqlx::query(
            "INSERT INTO telling_entries (id, seat_id, station_id, typed, elector_id, made_at, received_at)
             SELECT $1, seat_id, $2, 'by hand', id, $3, $3 FROM electors WHERE id = $4")
            .bind(uuid::Uuid::now_v7().to_string()).bind(station).bind(chrono::Utc::now()).bind(electors[0])
            .execute(pool).await.map(|_| ())).expect("told");
        let (status, location) = knock(electors[1], "voted").await;
        assert_eq!((status, decoded(&location)), (303, "Recorded: Voted.".to_string()));
        knock(electors[2], "not_in").await;
        knock(electors[3], "do_not_return").await;
        let next = round(path.clone()).await;
        assert!(!on_list(&next, electors[0]), "told at the station");
        assert!(!on_list(&next, electors[1]), "said voted at the door");
        assert!(on_list(&next, electors[2]), "not in: knocked again next round");
        assert!(next.contains("last time: Not in"));
        assert!(!on_list(&next, electors[3]), "do not return");

        // The marked register's turnout history is on each promise: one who stayed at home
        // last time is marked, so a knocker can press them hardest.
        let not_in = electors[2];
        let stayed_home = |voted: bool| async move {
            app::on_store!(&a.store, pool => sqlx::query(
                "INSERT INTO turnout_history (elector_id, marked_register_id, voted)
                 SELECT $1, id, $2 FROM marked_registers ORDER BY election_date DESC LIMIT 1
                 ON CONFLICT (elector_id, marked_register_id) DO UPDATE SET voted = $2")
                .bind(not_in).bind(voted).execute(pool).await.map(|r| r.rows_affected())).expect("history")
        };
        let tag = |html: &str| html.split(&format!("data-elector=\"{not_in}\"")).nth(1)
            .and_then(|s| s.split("</form>").next()).is_some_and(|form| form.contains("did not vote last election"));
        assert_eq!(stayed_home(false).await, 1, "the demo has a marked register");
        assert!(tag(&round(path.clone()).await), "did not vote last time: marked");
        stayed_home(true).await;
        assert!(!tag(&round(path.clone()).await), "voted last time: not marked");

        // The district picker's counts, made in SQL, follow the round's own rule.
        use app::polling_day::queries::{promises, promises_by_district, PromiseRule};
        let (seat_id,): (i64,) = one(&app, "SELECT id FROM seats WHERE gss_code = 'E14000611'").await;
        let rule = PromiseRule::load(&app.store).await.expect("rule");
        let counted = promises_by_district(&app.store, &rule, seat_id).await.expect("counts");
        let mut by_rule = std::collections::HashMap::<i64, (i64, i64)>::new();
        for (d, p) in promises(&app.store, seat_id, None).await.expect("promises") {
            let n = by_rule.entry(d).or_default();
            *n = (n.0 + 1, n.1 + i64::from(p.to_knock()));
        }
        assert_eq!(counted, by_rule);
        let d: i64 = district.parse().expect("district id");
        assert!(counted[&d].1 < counted[&d].0, "the strike-offs above count as done: {:?}", counted[&d]);

        // The server shares the picker's counts and the district's walks for a few seconds
        // (the first load above filled them, before the strike-offs), but the walk shown,
        // and so the district being knocked up, counts as of now.
        let link = next.split(&format!("district={district}\"")).nth(1).and_then(|s| s.split("</a>").next()).expect("the district's link");
        let text: String = link.split('<').map(|part| part.split_once('>').map_or(part, |(_, t)| t)).collect();
        let shown: i64 = text.rsplit('(').next().and_then(|s| s.split(')').next()).and_then(|n| n.trim().parse().ok()).unwrap_or_else(|| panic!("a count in {text:?}"));
        assert_eq!(shown, counted[&d].1);
        let memo = app::polling_day::queries::KnockUpMemo::default();
        let before = memo.tally(&app.store, &rule, seat_id).await.expect("tally");
        let walks = memo.round(&app.store, &rule, seat_id, d).await.expect("walks");
        knock(electors[2], "voted").await;
        let again = memo.tally(&app.store, &rule, seat_id).await.expect("tally");
        assert!(std::sync::Arc::ptr_eq(&before, &again), "within memo::FRESH one count serves every load");
        let walks_again = memo.round(&app.store, &rule, seat_id, d).await.expect("walks");
        assert!(std::sync::Arc::ptr_eq(&walks, &walks_again), "and one read of the district's walks");
        let now = promises_by_district(&app.store, &rule, seat_id).await.expect("counts");
        assert_eq!(now[&d].1, before[&d].1 - 1, "counted afresh, the voter has gone");
        assert!(!on_list(&round(path.clone()).await, electors[2]), "the walk shown is read as of now");

        // A teller's entry undone puts the promise back on the walk at once, and one who is
        // erased is off it at once, name and all (the walk was read before).
        let erased = electors[0];
        app::on_store!(&app.store, pool => sqlx::query("UPDATE telling_entries SET undone_at = $1 WHERE elector_id = $2")
            .bind(chrono::Utc::now()).bind(erased).execute(pool).await.map(|_| ())).expect("undone");
        let (name,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT first_name || ' ' || surname FROM electors WHERE id = $1").bind(erased)
            .fetch_one(pool).await).expect("name");
        let before = round(path.clone()).await;
        assert!(on_list(&before, erased), "the entry undone");
        let reason = app::elector::erasure::Reason::parse("request").expect("reason");
        app::elector::erasure::erase(&app.store, erased, None, reason).await.expect("erased");
        let after = round(path.clone()).await;
        assert!(!on_list(&after, erased), "erased");
        let times = |html: &str| html.matches(name.as_str()).count();
        assert!(times(&before) >= 1, "{name} is shown before");
        assert_eq!(times(&after), times(&before) - 1, "{name} is not shown");

        // A voter outside the knocker's room is refused.
        let (outside,): (i64,) = one(&app, "SELECT e.id FROM electors e JOIN ballot_boxes b ON b.polling_district_id = e.polling_district_id
            WHERE b.committee_room_id <> (SELECT committee_room_id FROM polling_day_helpers WHERE committee_room_id IS NOT NULL) LIMIT 1").await;
        let (status, _) = knock(outside, "voted").await;
        assert_eq!(status, 403);
        app.stop().await;
    }

    async fn box_counts_are_corrected_audited_and_feed_the_dashboard(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let (box_id, label): (i64, String) = one(&app, "SELECT id, label FROM ballot_boxes ORDER BY label LIMIT 1").await;
        let a = &app;
        let count = |papers: &'static str, at: &'static str| {
            let b = box_id.to_string();
            async move { post_form(a, &format!("/seats/{SEAT}/polling-day/counts"), &[("box_id", &b), ("at_time", at), ("papers", papers)]).await }
        };
        let (status, location) = count("500", "21:00").await;
        assert_eq!((status, decoded(&location)), (303, "Saved the count: 500 papers by 21:00.".to_string()));
        count("520", "21:00").await;
        let (status, location) = count("520", "23:30").await;
        assert_eq!(status, 303);
        assert!(decoded(&location).contains("from 07:00 to 22:00"), "{location}");
        let audit: (String,) = one(&app, "SELECT reason FROM audit_log WHERE object_type = 'ballot_box' ORDER BY id DESC LIMIT 1").await;
        assert_eq!(audit.0, format!("box {label} at 21:00: 500 → 520 papers (corrected)"));

        let (status, html) = app.page(&format!("/seats/{SEAT}/polling-day")).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("520 by 21:00"), "the latest count is the box's input");
        assert!(main.contains("telling corrected for coverage"), "the demo's boxes have telling and counts");
        assert!(main.contains("Where next"));
        assert!(html.contains("http-equiv=\"refresh\""), "the wall screen refreshes itself");

        // Regional staff read the figures, with no one's name on the page, and may not count.
        let regional = app.new_browser();
        app.sign_in_with(&regional, REGIONAL, PASSWORD).await;
        let (status, html) = app.page_with(&regional, &format!("/seats/{SEAT}/polling-day")).await;
        assert_eq!(status, 200);
        let (surname,): (String,) = one(&app, "SELECT e.first_name || ' ' || e.surname FROM telling_entries t JOIN electors e ON e.id = t.elector_id LIMIT 1").await;
        assert!(!main_of(&html).contains(&surname), "no names on the dashboard");
        let r = regional.post(app.url(&format!("/seats/{SEAT}/polling-day/counts"))).form(&[("box_id", box_id.to_string())]).send().await.expect("post");
        assert_eq!(r.status().as_u16(), 403);
        app.stop().await;
    }
}
