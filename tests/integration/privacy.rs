//! Data-subject rights: a copy of everything held on one elector, erasure that leaves
//! the dashboards' counts alone, and the retention policy's dry run and purge.

use chrono::{NaiveDate, TimeZone, Utc};
use groundwork_tests::*;
use reqwest::header::{ACCEPT, REFERER};
use serde_json::json;

pub(crate) const FIRST: &str = "Zebedee";
pub(crate) const SURNAME: &str = "Quartermaine";
pub(crate) const STREET: &str = "Quillfeather Row";
pub(crate) const NOTE: &str = "Worried about the Quillfeather bus route";

/// One made-up elector living alone, whose door is on the demo volunteer's active list,
/// with a conversation the volunteer recorded there (and the door's view logged).
pub(crate) struct Subject {
    pub(crate) elector: i64,
    pub(crate) household: i64,
    pub(crate) list: i64,
}

pub(crate) async fn subject(app: &TestApp) -> Subject {
    let store = &app.store;
    let (list, seat): (i64, i64) = app::on_store!(store, pool => sqlx::query_as(
        "SELECT wl.id, wl.seat_id FROM walk_lists wl
           JOIN walk_list_assignments a ON a.walk_list_id = wl.id
           JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
          WHERE u.email = $1 AND wl.status = 'active' ORDER BY wl.id LIMIT 1")
        .bind(VOLUNTEER).fetch_one(pool).await)
    .expect("the volunteer has a list");
    let address = format!("17 {STREET}");
    let (household,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "INSERT INTO households (seat_id, address_key, address1, street, house_number, postcode, lat, lon)
         VALUES ($1, 'test:quillfeather', $2, $3, '17', 'BL9 9ZZ', 53.6, -2.3) RETURNING id")
        .bind(seat).bind(&address).bind(STREET).fetch_one(pool).await)
    .expect("household");
    let born = NaiveDate::from_ymd_opt(1970, 3, 14).expect("date");
    let (elector,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "INSERT INTO electors (seat_id, household_id, pd_prefix, elector_number, markers, title, first_name, surname, date_of_birth)
         VALUES ($1, $2, 'ZQ', 1, 'P', 'Mx', $3, $4, $5) RETURNING id")
        .bind(seat).bind(household).bind(FIRST).bind(SURNAME).bind(born).fetch_one(pool).await)
    .expect("elector");
    app::on_store!(store, pool => sqlx::query(
        "INSERT INTO walk_list_households (walk_list_id, household_id, position)
         SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM walk_list_households WHERE walk_list_id = $1")
        .bind(list).bind(household).execute(pool).await.map(|_| ()))
    .expect("on the list");

    let volunteer = app.new_browser();
    app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
    let (status, _) = app.page_with(&volunteer, &format!("/walk/{list}/door/{household}")).await;
    assert_eq!(status, 200, "the volunteer opens the door");
    let entry = json!({ "entries": [{
        "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": list, "household_id": household,
        "result": "spoke", "elector_id": elector, "intention": "lab", "intention_source": "said",
        "firmness": 4, "notes": NOTE, "issues": ["nhs"], "follow_ups": ["poster", "volunteer"] }] });
    let response = volunteer.post(app.url("/api/doorstep/batch")).json(&entry).send().await.expect("batch");
    assert_eq!(response.status(), 200);
    Subject { elector, household, list }
}

pub(crate) async fn audit_count(app: &TestApp, action: &str, object_type: &str, id: i64) -> i64 {
    let (n,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND object_type = $2 AND object_id = $3")
        .bind(action).bind(object_type).bind(id.to_string()).fetch_one(pool).await)
    .expect("audit count");
    n
}

/// Rows anywhere that still hold the subject's name, street or note.
pub(crate) async fn traces(app: &TestApp) -> i64 {
    let (n,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM electors WHERE first_name = $1 OR surname = $2)
              + (SELECT COUNT(*) FROM volunteers WHERE first_name = $1 OR surname = $2)
              + (SELECT COUNT(*) FROM doorstep_reviews WHERE entry LIKE $3)
              + (SELECT COUNT(*) FROM households WHERE address1 LIKE $3 OR street LIKE $3)
              + (SELECT COUNT(*) FROM conversations WHERE notes LIKE $3)
              + (SELECT COUNT(*) FROM audit_log WHERE reason LIKE $4 OR detail LIKE $4 OR object_id LIKE $4)")
        .bind(FIRST).bind(SURNAME).bind("%Quillfeather%").bind(format!("%{SURNAME}%"))
        .fetch_one(pool).await)
    .expect("traces");
    n
}

pub(crate) async fn erase(app: &TestApp, browser: &reqwest::Client, elector: i64, confirm: bool) -> u16 {
    let mut form = vec![("id", elector.to_string()), ("reason", "request".into())];
    if confirm {
        form.push(("confirm", "erase".into()));
    }
    browser
        .post(app.url("/api/erase_elector"))
        .header(ACCEPT, "text/html")
        .header(REFERER, app.url(&format!("/electors/{elector}")))
        .form(&form)
        .send()
        .await
        .expect("erase")
        .status()
        .as_u16()
}

on_both_databases! {
    async fn privacy_a_subject_access_request_shows_everything_held_on_the_elector(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        app.sign_in(ORGANISER).await;

        // Staff find the person first; the log says a search was made, not for whom.
        let (status, html) = app.page(&format!("/seats/E14000611/electors?q={SURNAME}")).await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains(&format!("/electors/{}", s.elector)), "the search finds them");
        assert_eq!(traces(&app).await, 4, "elector, prospect volunteer, household and note are held; no search text is logged");
        for number in ["ZQ-1", "zq1"] {
            let (_, html) = app.page(&format!("/seats/E14000611/electors?q={number}")).await;
            assert!(main_of(&html).contains(&format!("/electors/{}", s.elector)), "found by number as {number}");
        }

        let (status, html) = app.page(&format!("/electors/{}", s.elector)).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        for held in [FIRST, SURNAME, "17 Quillfeather Row", "BL9 9ZZ", "ZQ-1", "14 March 1970", NOTE, "Said by the voter", "Labour"] {
            assert!(main.contains(held), "the readable copy shows {held}");
        }
        assert!(main.contains("doorstep, walk list"), "the volunteer's view of the door is listed");
        assert_eq!(audit_count(&app, "view", "elector", s.elector).await, 1, "the page view is logged once");

        let response = app.client.get(app.url(&format!("/electors/{}/subject-access.json", s.elector)))
            .send().await.expect("json");
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-disposition"].to_str().unwrap_or("").contains("attachment"));
        let sar: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(sar["register"]["surname"], SURNAME);
        assert_eq!(sar["register"]["address"], "17 Quillfeather Row");
        assert_eq!(sar["register"]["markers"], "P");
        assert_eq!(sar["register"]["date_of_birth"], "1970-03-14");
        let conversations = sar["conversations"].as_array().expect("conversations");
        assert_eq!(conversations.len(), 1);
        assert_eq!(conversations[0]["notes"], NOTE);
        assert_eq!(conversations[0]["intention"], "Labour", "the party in words, not its code");
        assert_eq!(conversations[0]["intention_source"], "said");
        assert_eq!(conversations[0]["firmness"], 4);
        let details: Vec<(String, String)> = sar["details"].as_array().expect("details").iter()
            .map(|d| (d["kind"].as_str().unwrap_or_default().to_string(), d["what"].as_str().unwrap_or_default().to_string()))
            .collect();
        for (kind, what) in [("issue raised", "NHS"), ("follow-up", "Wants a poster"), ("follow-up", "Wants to volunteer")] {
            assert!(details.contains(&(kind.to_string(), what.to_string())), "{kind} {what} in {details:?}");
        }
        assert_eq!(sar["walk_lists"].as_array().map(Vec::len), Some(1), "the one list their door is on");
        let log = sar["access_log"].as_array().expect("log");
        // Each entry names the record and who looked, as they are called now.
        let (volunteer_name,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT display_name FROM users WHERE email = $1").bind(VOLUNTEER).fetch_one(pool).await).expect("name");
        assert!(log.iter().any(|a| a["what"].as_str().is_some_and(|w| w.starts_with("17 Quillfeather Row"))
            && a["action"] == "Viewed" && a["who"] == volunteer_name.as_str()), "the volunteer's door view: {log:#?}");
        assert!(log.iter().any(|a| a["what"].as_str().is_some_and(|w| w.contains(SURNAME) && w.ends_with("17 Quillfeather Row"))
            && a["action"] == "Viewed"), "the page view: {log:#?}");
        assert!(!log.iter().any(|a| a["what"] == format!("household {}", s.household)), "no bare ids");
        assert_eq!(audit_count(&app, "export", "elector", s.elector).await, 1, "the download is logged once");
        let _ = s.list;
        app.stop().await;
    }

    async fn privacy_only_the_seats_organisers_and_admins_answer_requests(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        for (who, allowed) in [(ADMIN, true), (ORGANISER, true), (REGIONAL, false), (VOLUNTEER, false)] {
            let browser = app.new_browser();
            app.sign_in_with(&browser, who, PASSWORD).await;
            let (page, _) = app.page_with(&browser, &format!("/electors/{}", s.elector)).await;
            let json = browser.get(app.url(&format!("/electors/{}/subject-access.json", s.elector)))
                .send().await.expect("json").status().as_u16();
            let (search, _) = app.page_with(&browser, &format!("/seats/E14000611/electors?q={SURNAME}")).await;
            let expected = if allowed { 200 } else { 403 };
            assert_eq!((page, json, search), (expected, expected, expected), "{who}");
            if !allowed {
                let refused = browser.post(app.url("/api/erase_elector"))
                    .form(&[("id", s.elector.to_string()), ("reason", "x".into()), ("confirm", "erase".into())])
                    .send().await.expect("erase").status();
                assert_eq!(refused, 403, "{who} may not erase");
                assert_eq!(traces(&app).await, 4, "{who} erased nothing");
            }
        }
        let anonymous = app.new_browser();
        let json = anonymous.get(app.url(&format!("/electors/{}/subject-access.json", s.elector)))
            .send().await.expect("json").status().as_u16();
        assert_eq!(json, 401);
        app.stop().await;
    }

    async fn privacy_erasure_removes_the_person_and_keeps_the_counts(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        let (seat,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT seat_id FROM electors WHERE id = $1").bind(s.elector).fetch_one(pool).await).expect("seat");
        let now = Utc::now();
        let before = app::dashboard::queries::seat_dashboard(&app.store, seat, now).await.expect("dashboard");
        app.sign_in(ORGANISER).await;

        assert_eq!(erase(&app, &app.client, s.elector, false).await, 302, "refused back to the form");
        assert_eq!(traces(&app).await, 4, "without the confirmation nothing is erased");

        assert_eq!(erase(&app, &app.client, s.elector, true).await, 302);
        assert_eq!(traces(&app).await, 0, "no table holds their name, address or notes");
        let after = app::dashboard::queries::seat_dashboard(&app.store, seat, now).await.expect("dashboard");
        // Their open follow-ups are closed (nobody can act on them now): open becomes done.
        let totals = |d: &app::dashboard::SeatDashboard| {
            d.follow_ups.iter().map(|f| (f.kind.clone(), f.open + f.done)).collect::<Vec<_>>()
        };
        assert_eq!(totals(&before), totals(&after), "every follow-up is still counted");
        let open = |d: &app::dashboard::SeatDashboard| d.follow_ups.iter().map(|f| f.open).sum::<i64>();
        assert_eq!(open(&after), open(&before) - 2, "their poster and volunteer follow-ups are closed");
        let (mut before, mut after) = (before, after);
        (before.follow_ups, after.follow_ups) = (Vec::new(), Vec::new());
        assert_eq!(before, after, "every other dashboard figure is unchanged");
        assert_eq!(audit_count(&app, "erase", "elector", s.elector).await, 1);

        let (status, html) = app.page(&format!("/electors/{}", s.elector)).await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains("Erased elector"));
        let (_, html) = app.page(&format!("/seats/E14000611/electors?q={SURNAME}")).await;
        assert!(!main_of(&html).contains(&format!("/electors/{}", s.elector)), "nobody left to find");
        let csv = app.client.get(app.url("/seats/E14000611/export/electors.csv")).send().await.expect("csv")
            .text().await.expect("csv");
        assert!(!csv.contains("-ZQ") && !csv.contains(&format!(",{SURNAME},")), "not in exports");
        app.stop().await;
    }

    async fn privacy_retention_dry_run_then_purge(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        // The subject's conversation was before the election of 1 December 1999.
        let made = Utc.with_ymd_and_hms(1999, 11, 20, 18, 0, 0).single().expect("time");
        app::on_store!(&app.store, pool => sqlx::query(
            "UPDATE conversations SET made_at = $1 WHERE elector_id = $2").bind(made).bind(s.elector)
            .execute(pool).await.map(|_| ())).expect("backdate");
        app::on_store!(&app.store, pool => sqlx::query(
            "UPDATE campaign_settings SET value = '1999-12-01' WHERE key = 'election_date'")
            .execute(pool).await.map(|_| ())).expect("election");
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let held = || app.count("SELECT COUNT(*) FROM conversations WHERE intention IS NOT NULL OR notes IS NOT NULL");
        let held_before = held().await;

        let early = app::retention::run(&app.store, day(2000, 5, 31), false, None).await.expect("run");
        assert_eq!((early.due, early.conversations, early.purged), (false, 1, false), "six months have not passed");
        assert_eq!(early.purge_from, Some(day(2000, 6, 1)));
        let dry = app::retention::run(&app.store, day(2000, 6, 1), true, None).await.expect("dry run");
        assert_eq!((dry.due, dry.conversations, dry.purged), (true, 1, false));
        assert_eq!(held().await, held_before, "a dry run changes nothing");

        let knocks = app.count("SELECT COUNT(*) FROM conversations").await;
        let purge = app::retention::run(&app.store, day(2000, 6, 1), false, None).await.expect("purge");
        assert_eq!((purge.conversations, purge.purged), (1, true));
        assert_eq!(held().await, held_before - 1, "only the old opinion went");
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, knocks, "the knock itself is kept");
        let (result, intention, notes): (String, Option<String>, Option<String>) = app::on_store!(&app.store, pool =>
            sqlx::query_as("SELECT result, intention, notes FROM conversations WHERE elector_id = $1")
                .bind(s.elector).fetch_one(pool).await).expect("row");
        assert_eq!((result.as_str(), intention, notes), ("spoke", None, None));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'purge'").await, 1);
        let again = app::retention::run(&app.store, day(2000, 6, 2), false, None).await.expect("again");
        assert_eq!(again.conversations, 0, "nothing left to purge");
        app.stop().await;
    }
}
