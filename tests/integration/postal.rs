//! Postal votes and the marked register through the real server: the absent-voters list
//! and the marked register imported all-or-nothing with unknown numbers reported, the
//! postal chase queue (a "sent" vote leaves it and the knock-up), who sees it, and
//! erasure and subject access covering postal status, chase answers and turnout history.

use groundwork_tests::*;
use reqwest::header::LOCATION;

const SEAT: &str = "E14000611";

/// A live elector of the demo seat: (id, number as printed, surname).
async fn electors(app: &TestApp, n: usize) -> Vec<(i64, String, String)> {
    let rows: Vec<(i64, String, i64, i64, String)> = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT e.id, e.pd_prefix, e.elector_number, e.elector_suffix, e.surname FROM electors e
          JOIN seats s ON s.id = e.seat_id WHERE s.gss_code = 'E14000611' AND e.left_at IS NULL ORDER BY e.id")
        .fetch_all(pool).await)
    .expect("electors");
    rows.into_iter()
        .take(n)
        .map(|(id, p, num, suf, surname)| {
            let number = if suf == 0 { format!("{p}-{num}") } else { format!("{p}-{num}/{suf}") };
            (id, number, surname)
        })
        .collect()
}

/// Posts a file (and fields) as the page's multipart form; the decoded message back.
async fn upload(app: &TestApp, path: &str, fields: &[(&str, &str)], file: &str) -> String {
    let mut form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(file.as_bytes().to_vec()).file_name("list.csv"));
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let r = app.client.post(app.url(path)).multipart(form).send().await.expect("upload");
    assert_eq!(r.status().as_u16(), 303, "{path}");
    message(r.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default())
}

fn message(location: &str) -> String {
    let url = reqwest::Url::parse(&format!("http://localhost{location}")).expect("location");
    url.query_pairs().filter(|(k, _)| k == "msg" || k == "error").map(|(_, v)| v.into_owned()).collect()
}

async fn chase(app: &TestApp, elector: i64, status: &str) -> String {
    let r = app
        .client
        .post(app.url(&format!("/seats/{SEAT}/polling-day/postal/chase")))
        .form(&[("elector_id", elector.to_string()), ("status", status.to_string())])
        .send()
        .await
        .expect("chase");
    message(r.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default())
}

async fn queue(app: &TestApp) -> String {
    main_of(&app.page(&format!("/seats/{SEAT}/polling-day/postal")).await.1)
}

async fn count_for(app: &TestApp, sql: &'static str, id: i64) -> i64 {
    app::on_store!(&app.store, pool => sqlx::query_as::<_, (i64,)>(sql).bind(id).fetch_one(pool).await)
        .expect(sql)
        .0
}

/// A promise of the demo seat in a district with a ballot box: (elector id, district id, number, surname).
async fn a_promise(app: &TestApp) -> (i64, i64, String, String) {
    let seat = app::seat::queries::find(&app.store, SEAT).await.expect("seat");
    let all = app::polling_day::queries::promises(&app.store, seat.id, None).await.expect("promises");
    let (district, p) = all.iter().find(|(_, p)| p.to_knock()).cloned().expect("a promise to knock up");
    let (surname,): (String,) =
        app::on_store!(&app.store, pool => sqlx::query_as("SELECT surname FROM electors WHERE id = $1")
        .bind(p.elector_id).fetch_one(pool).await)
        .expect("surname");
    (p.elector_id, district, p.number, surname)
}

on_both_databases! {
    async fn the_absent_voters_list_is_all_or_nothing_and_reports_numbers_not_on_the_register(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let people = electors(&app, 3).await;
        let path = format!("/seats/{SEAT}/polling-day/postal/import");
        let before = app.count("SELECT COUNT(*) FROM postal_voters").await;

        let bad = format!("Elector Number,Surname\n{},{}\n12-AB,Price\n", people[0].1, people[0].2);
        let refused = upload(&app, &path, &[], &bad).await;
        assert!(refused.contains("Nothing was saved"), "{refused}");
        assert!(refused.contains("line 3, column \"Elector Number\""), "{refused}");
        assert_eq!(app.count("SELECT COUNT(*) FROM postal_voters").await, before, "a refused file writes nothing");

        let good = format!(
            "Elector Number,Surname,Forename,Postal Address 1\n{},{},A,x\n{},{},B,y\nZZ-99999,Nobody,C,z\n{},Notthem,D,w\n",
            people[0].1, people[0].2, people[1].1, people[1].2, people[2].1
        );
        let saved = upload(&app, &path, &[], &good).await;
        assert!(saved.starts_with("Saved the absent-voters list: 2 postal voters"), "{saved}");
        assert!(saved.contains("2 rows were not imported: line 4: ZZ-99999 is not on this seat's register"), "{saved}");
        assert!(saved.contains(&format!("line 5: {} is someone with another surname", people[2].1)), "{saved}");
        assert_eq!(app.count("SELECT COUNT(*) FROM postal_voters").await, 2, "the new list replaces the old");
        assert_eq!(count_for(&app, "SELECT COUNT(*) FROM postal_voters WHERE elector_id = $1", people[2].0).await, 0);
        assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE reason LIKE 'postal voters imported: 2 %'").await == 1);
        app.stop().await;
    }

    async fn a_sent_postal_vote_leaves_the_chase_queue_and_the_knock_up(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let (elector, district, number, surname) = a_promise(&app).await;
        // The walk of the district's round that the promise is on.
        let seat_id = app::seat::queries::find(&app.store, SEAT).await.expect("seat").id;
        let theirs: Vec<_> = app::polling_day::queries::promises(&app.store, seat_id, Some(district)).await.expect("promises")
            .into_iter().map(|(_, p)| p).collect();
        let walk = app::polling_day::knock_up::walks(theirs).into_iter()
            .find(|w| w.doors.iter().any(|d| d.promises.iter().any(|p| p.elector_id == elector))).expect("on a walk").number;
        let saved = upload(&app, &format!("/seats/{SEAT}/polling-day/postal/import"), &[], &format!("elector_number,surname\n{number},{surname}\n")).await;
        assert!(saved.contains("1 postal voters"), "{saved}");
        let knock_up = format!("/poll/{SEAT}/knock-up?district={district}&walk={walk}");
        let chased = format!("data-chase=\"{number}\"");
        let knocked = format!("data-elector=\"{elector}\"");

        assert!(queue(&app).await.contains(&chased), "a postal-vote promise is in the queue");
        assert_eq!(chase(&app, elector, "not_yet").await, "Recorded: Not yet.");
        let html = queue(&app).await;
        assert!(html.contains(&chased) && html.contains("data-status=\"not_yet\""), "\"not yet\" stays in the queue");
        assert!(main_of(&app.page(&knock_up).await.1).contains(&knocked), "not sent: still knocked up");

        assert_eq!(chase(&app, elector, "sent").await, "Recorded: Sent.");
        assert!(!queue(&app).await.contains(&chased), "sent: off the queue");
        assert!(!main_of(&app.page(&knock_up).await.1).contains(&knocked), "sent: off the knock-up round");
        let (who, status): (Option<i64>, String) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT user_id, status FROM postal_chases WHERE elector_id = $1 ORDER BY id DESC LIMIT 1").bind(elector).fetch_one(pool).await).expect("chase");
        assert!(who.is_some());
        assert_eq!(status, "sent");
        assert_eq!(count_for(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'elector' AND object_id = CAST($1 AS TEXT) AND reason = 'postal vote: Sent'", elector).await, 1);
        let seat = app::seat::queries::find(&app.store, SEAT).await.expect("seat");
        let day = app::polling_day::queries::dashboard(&app.store, &seat, true, chrono::Utc::now()).await.expect("dashboard");
        let known: i64 = day.boxes.iter().map(|b| b.estimate.known).sum();
        assert!(known >= 1, "the sent postal vote counts as a known vote");
        assert_eq!(chase(&app, 0, "sent").await, "That voter is not a postal voter of this seat.");

        // Regional staff see the counts, not the names; a volunteer sees nothing.
        let regional = app.new_browser();
        app.sign_in_with(&regional, REGIONAL, PASSWORD).await;
        let (status, html) = app.page_with(&regional, &format!("/seats/{SEAT}/polling-day/postal")).await;
        assert_eq!(status, 200);
        let html = main_of(&html);
        let sent = html.split("data-stat=\"postal-sent\"").nth(1).and_then(|rest| rest.split('<').next());
        assert!(sent.is_some_and(|s| s.ends_with(">1")), "{html}");
        assert!(!html.contains("data-chase") && !html.contains("enctype"), "regional staff get counts only");
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        let (status, _) = app.page_with(&volunteer, &format!("/seats/{SEAT}/polling-day/postal")).await;
        assert_eq!(status, 403);
        app.stop().await;
    }

    async fn the_marked_register_fills_the_turnout_history_and_the_usual_turnout(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let people = electors(&app, 4).await;
        let path = format!("/seats/{SEAT}/polling-day/marked-register");
        let fields = [("label", "Borough election 2025"), ("date", "2025-05-01")];
        let before = app.count("SELECT COUNT(*) FROM turnout_history").await;

        let bad = format!("elector_number,voted\n{},Y\n{},maybe\n", people[0].1, people[1].1);
        let refused = upload(&app, &path, &fields, &bad).await;
        assert!(refused.contains("Nothing was saved. line 3, column \"voted\": \"maybe\" is not yes or no"), "{refused}");
        assert_eq!(app.count("SELECT COUNT(*) FROM turnout_history").await, before);

        let good = format!("elector_number,voted\n{},Y\n{},Y\n{},P\n{},N\nZZ-4242,Y\n", people[0].1, people[1].1, people[2].1, people[3].1);
        let saved = upload(&app, &path, &fields, &good).await;
        assert!(saved.contains("Saved the marked register of Borough election 2025: 4 electors, 3 voted."), "{saved}");
        assert!(saved.contains("1 rows were not imported: line 6: ZZ-4242 is not on this seat's register"), "{saved}");
        // Its 75% is now the calculator's usual turnout (the last marked register wins
        // over the demo's 2024 one by date).
        let (_, html) = app.page(&format!("/seats/{SEAT}/polling-day")).await;
        assert!(main_of(&html).contains("75.0"), "the usual turnout comes from the marked register");
        let (_, html) = app.page(&format!("/electors/{}", people[0].0)).await;
        assert!(main_of(&html).contains("Voted in Borough election 2025"), "the elector page shows the history");
        let (_, html) = app.page(&format!("/electors/{}", people[3].0)).await;
        assert!(main_of(&html).contains("Did not vote in Borough election 2025"));

        // The same election again replaces it.
        let again = upload(&app, &path, &fields, &format!("elector_number\n{}\n", people[0].1)).await;
        assert!(again.contains("(in place of the one imported before): 1 electors, 1 voted"), "{again}");
        assert_eq!(app.count("SELECT COUNT(*) FROM marked_registers WHERE label = 'Borough election 2025'").await, 1);
        assert_eq!(count_for(&app, "SELECT COUNT(*) FROM turnout_history t JOIN marked_registers m ON m.id = t.marked_register_id WHERE m.label = 'Borough election 2025' AND t.elector_id = $1", people[3].0).await, 0);
        let future = upload(&app, &path, &[("label", "Next"), ("date", "2999-01-01")], "elector_number\nAA-1\n").await;
        assert!(future.contains("is in the future"), "{future}");
        app.stop().await;
    }

    async fn subject_access_shows_and_erasure_removes_postal_status_chases_and_turnout_history(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let (elector, _, number, surname) = a_promise(&app).await;
        upload(&app, &format!("/seats/{SEAT}/polling-day/postal/import"), &[], &format!("elector_number,surname\n{number},{surname}\n")).await;
        chase(&app, elector, "lost").await;
        let saved = upload(&app, &format!("/seats/{SEAT}/polling-day/marked-register"), &[("label", "Borough election 2025"), ("date", "2025-05-01")], &format!("elector_number\n{number}\n")).await;
        assert!(saved.contains("1 electors, 1 voted"), "{saved}");

        let (status, sar) = app.page(&format!("/electors/{elector}/subject-access.json")).await;
        assert_eq!(status, 200);
        let sar: serde_json::Value = serde_json::from_str(&sar).expect("json");
        let kinds: Vec<&str> = sar["details"].as_array().expect("details").iter().filter_map(|d| d["kind"].as_str()).collect();
        assert!(kinds.contains(&"postal vote") && kinds.contains(&"postal vote chase"), "{kinds:?}");
        assert!(sar["details"].to_string().contains("said it was lost"));
        let history = sar["turnout_history"].as_array().expect("history");
        assert!(history.iter().any(|h| h["election"] == "Borough election 2025" && h["voted"] == true), "{history:?}");

        let reason = app::elector::erasure::Reason::parse("request").expect("reason");
        app::elector::erasure::erase(&app.store, elector, None, reason).await.expect("erased");
        for sql in [
            "SELECT COUNT(*) FROM postal_voters WHERE elector_id = $1",
            "SELECT COUNT(*) FROM postal_chases WHERE elector_id = $1",
            "SELECT COUNT(*) FROM turnout_history WHERE elector_id = $1",
        ] {
            assert_eq!(count_for(&app, sql, elector).await, 0, "{sql}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM marked_registers WHERE label = 'Borough election 2025' AND voted = 1").await, 1, "the election's figures stay");
        app.stop().await;
    }
}
