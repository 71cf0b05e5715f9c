//! What is recorded at a door (issues, survey answers, follow-ups), the doors skipped as
//! recorded elsewhere, the entries flagged or held for review, and a full disk.

use super::*;

/// The row of one door on a list page.
fn row_of(html: &str, household: i64) -> String {
    let main = main_of(html);
    let row = main.split(&format!("data-household=\"{household}\"")).nth(1).expect("door row").to_string();
    row[..row.find("</li>").expect("end of row")].to_string()
}

async fn seat_knocks(app: &TestApp) -> i64 {
    let (seat,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as("SELECT id FROM seats LIMIT 1").fetch_one(pool).await)
        .expect("seat");
    app::dashboard::queries::seat_dashboard(&app.store, seat, chrono::Utc::now())
        .await
        .expect("dashboard")
        .totals
        .knocks
}

async fn household_position(app: &TestApp, household: i64) -> (f64, f64) {
    let (lat, lon): (Option<f64>, Option<f64>) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT lat, lon FROM households WHERE id = $1").bind(household).fetch_one(pool).await)
    .expect("household");
    (lat.expect("demo doors have a position"), lon.expect("position"))
}

on_both_databases! {
    async fn doorstep_issues_survey_answers_and_follow_ups_are_stored_and_do_not_knock_marks_the_door(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = volunteers_list(&app).await;
        let (elector,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM electors WHERE household_id = $1 AND left_at IS NULL ORDER BY id LIMIT 1")
            .bind(doors[0]).fetch_one(pool).await).expect("an elector at the first door");
        let id = uuid::Uuid::new_v4().to_string();
        let entry = json!([{ "id": id, "walk_list_id": list, "household_id": doors[0], "result": "spoke",
            "elector_id": elector, "intention": "lab", "intention_source": "said", "firmness": 5,
            "issues": ["nhs", "cost_of_living"], "answers": [["voted_last", "Yes"]],
            "follow_ups": ["poster", "volunteer", "do_not_knock"] }]);
        let (status, body) = post_batch(&app, &app.client, entry.clone()).await;
        assert_eq!(status, 200, "{body}");
        let issues: Vec<(String,)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT issue FROM conversation_issues WHERE conversation_id = $1 ORDER BY issue").bind(&id).fetch_all(pool).await).expect("issues");
        assert_eq!(issues, [("cost_of_living".to_string(),), ("nhs".to_string(),)]);
        let answers: Vec<(String, String)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT question, answer FROM survey_answers WHERE conversation_id = $1").bind(&id).fetch_all(pool).await).expect("answers");
        assert_eq!(answers, [("voted_last".to_string(), "Yes".to_string())]);
        let follow_ups: Vec<(String, String, i64, Option<i64>)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT kind, status, household_id, elector_id FROM follow_ups WHERE conversation_id = $1 ORDER BY kind")
            .bind(&id).fetch_all(pool).await).expect("follow-ups");
        let kinds: Vec<&str> = follow_ups.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(kinds, ["do_not_knock", "poster", "volunteer"]);
        assert!(follow_ups.iter().all(|f| f.1 == "open" && f.2 == doors[0] && f.3 == Some(elector)), "{follow_ups:?}");
        // "Wants to volunteer" puts them in the organiser's volunteer list as a prospect,
        // named from the register and linked to this conversation: once, however often sent.
        let prospect = || app.count("SELECT COUNT(*) FROM volunteers v JOIN electors e ON e.id = v.elector_id
             WHERE v.stage = 'prospect' AND v.conversation_id IS NOT NULL AND v.first_name = e.first_name");
        assert_eq!(prospect().await, 1);
        assert_eq!(post_batch(&app, &app.client, entry.clone()).await.0, 200);
        assert_eq!(prospect().await, 1, "sent again, still one prospect");
        // The household is do-not-knock on this list (and on any other that holds it).
        let (_, html) = app.page(&format!("/walk/{list}")).await;
        assert!(row_of(&html, doors[0]).contains("Do not knock"), "{}", row_of(&html, doors[0]));
        let (_, door) = app.page(&format!("/walk/{list}/door/{}", doors[0])).await;
        assert!(main_of(&door).contains("asked us not to knock again"));
        // An issue not on the campaign's list refuses the entry.
        let bad = json!([{ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": list, "household_id": doors[1],
            "result": "spoke", "issues": ["unicorns"] }]);
        assert_eq!(post_batch(&app, &app.client, bad).await.0, 400);
        // The plain form sends each ticked box under the same name. (The demo's own
        // conversations have issues and follow-ups too: count what this adds.)
        let issues = app.count("SELECT COUNT(*) FROM conversation_issues").await;
        let call_backs = app.count("SELECT COUNT(*) FROM follow_ups WHERE kind = 'call_back'").await;
        let form = [("id", uuid::Uuid::new_v4().to_string()), ("walk_list_id", list.to_string()),
            ("household_id", doors[1].to_string()), ("issues", "housing".into()), ("issues", "crime".into()),
            ("follow_ups", "call_back".into()), ("q_voted_last", "No".into()), ("result", "spoke".into())];
        let response = app.client.post(app.url("/api/doorstep/record")).header(ACCEPT, "text/html")
            .form(&form).send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 302);
        assert_eq!(app.count("SELECT COUNT(*) FROM conversation_issues").await, issues + 2);
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE kind = 'call_back'").await, call_backs + 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_answers WHERE answer = 'No'").await, 1);
        app.stop().await;
    }

    async fn doorstep_a_door_recorded_elsewhere_since_the_list_was_made_is_marked_and_skipped(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = volunteers_list(&app).await;
        let (seat, created): (i64, chrono::DateTime<chrono::Utc>) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT seat_id, created_at FROM walk_lists WHERE id = $1").bind(list).fetch_one(pool).await).expect("list");
        // Someone knocked the first door after the list was cut (no list: a phone bank, say);
        // the second door was knocked before the list was cut.
        for (door, made) in [(doors[0], created + chrono::Duration::minutes(5)), (doors[1], created - chrono::Duration::days(2))] {
            app::on_store!(&app.store, pool => sqlx::query(
                "INSERT INTO conversations (id, seat_id, household_id, result, made_at, received_at)
                 VALUES ($1, $2, $3, 'not_in', $4, $4)")
                .bind(uuid::Uuid::new_v4().to_string()).bind(seat).bind(door).bind(made)
                .execute(pool).await.map(|_| ())).expect("conversation");
        }
        let (_, html) = app.page(&format!("/walk/{list}")).await;
        assert!(row_of(&html, doors[0]).contains("Done by someone else"), "{}", row_of(&html, doors[0]));
        assert!(row_of(&html, doors[1]).contains("Not yet"), "{}", row_of(&html, doors[1]));
        let main = main_of(&html);
        assert!(main.contains(&format!("href=\"/walk/{list}/door/{}\" class=\"button primary next-door\"", doors[1])),
            "the next door skips the one already done");
        assert!(main.contains("<strong data-stat=\"knocked\">0</strong>"), "not knocked on this list");
        // The small map: one dot per door, the next one ringed, labelled for screen readers.
        assert!(main.contains("<svg class=\"walk-map\" role=\"img\" aria-labelledby=\"walk-map-t walk-map-d\""));
        assert_eq!(main.matches("<circle class=\"dot").count(), doors.len());
        assert_eq!(main.matches("next-ring").count(), 1);
        app.stop().await;
    }

    async fn doorstep_entries_far_from_the_door_or_too_fast_are_flagged_but_counted(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = volunteers_list(&app).await;
        let (lat, lon) = household_position(&app, doors[0]).await;
        let knocks = seat_knocks(&app).await;
        let base = chrono::Utc::now() - chrono::Duration::hours(2);
        let at = |seconds: i64| (base + chrono::Duration::seconds(seconds)).to_rfc3339();
        let entry = |door: i64, made: String, lat: f64, lon: f64| json!({ "id": uuid::Uuid::new_v4().to_string(),
            "walk_list_id": list, "household_id": door, "result": "not_in", "made_at": made, "lat": lat, "lon": lon });
        // At the door; a kilometre away; two seconds after the previous entry.
        let batch = json!([
            entry(doors[0], at(0), lat, lon),
            entry(doors[1], at(120), lat + 0.009, lon),
            entry(doors[2], at(122), household_position(&app, doors[2]).await.0, household_position(&app, doors[2]).await.1),
        ]);
        let (status, body) = post_batch(&app, &app.client, batch).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!((body["stored"].as_i64(), body["flagged"].as_i64(), body["held"].as_i64()), (Some(3), Some(2), Some(0)));
        let flags: Vec<(i64, String, bool, String)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT household_id, reasons, held, status FROM doorstep_reviews ORDER BY made_at").fetch_all(pool).await).expect("reviews");
        assert_eq!(flags.len(), 2, "{flags:?}");
        assert_eq!(flags[0].0, doors[1]);
        assert!(flags[0].1.contains("m from the address"), "{}", flags[0].1);
        assert_eq!(flags[1].0, doors[2]);
        assert!(flags[1].1.contains("2 s after"), "{}", flags[1].1);
        assert!(flags.iter().all(|f| !f.2 && f.3 == "open"));
        assert_eq!(seat_knocks(&app).await, knocks + 3, "flagged entries still count");
        // The organiser sees them, and rejecting one takes it out of the counts.
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let (status, page) = app.page_with(&organiser, "/doorstep/review").await;
        assert_eq!(status, 200);
        assert!(main_of(&page).contains("m from the address"), "{}", main_of(&page));
        assert_eq!(app.page("/doorstep/review").await.0, 403, "volunteers do not review");
        let far: String = app::on_store!(&app.store, pool => sqlx::query_as::<_, (String,)>(
            "SELECT id FROM doorstep_reviews WHERE household_id = $1").bind(doors[1]).fetch_one(pool).await).expect("id").0;
        let decide = |browser: &reqwest::Client, decision: &'static str| browser.post(app.url("/api/doorstep/decide"))
            .header(ACCEPT, "application/json").form(&[("id", far.clone()), ("decision", decision.to_string())]).send();
        assert!(decide(&app.client, "reject").await.expect("POST").status().as_u16() >= 400, "a volunteer cannot decide");
        assert_eq!(decide(&organiser, "reject").await.expect("POST").status().as_u16(), 200);
        assert_eq!(seat_knocks(&app).await, knocks + 2);
        assert_eq!(app.count("SELECT COUNT(*) FROM doorstep_reviews WHERE status = 'rejected'").await, 1);
        app.stop().await;
    }

    async fn doorstep_with_review_on_entries_are_held_until_an_organiser_confirms(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app::on_store!(&app.store, pool => sqlx::query(
            "INSERT INTO campaign_settings (key, value) VALUES ('doorstep_review', 'on')").execute(pool).await.map(|_| ()))
            .expect("review on");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = volunteers_list(&app).await;
        let knocks = seat_knocks(&app).await;
        let follow_ups = app.count("SELECT COUNT(*) FROM follow_ups").await;
        let posters = app.count("SELECT COUNT(*) FROM follow_ups WHERE kind = 'poster'").await;
        let id = uuid::Uuid::new_v4().to_string();
        let entry = json!([{ "id": id, "walk_list_id": list, "household_id": doors[0], "result": "spoke",
            "follow_ups": ["poster"] }]);
        for _ in 0..2 {
            let (status, body) = post_batch(&app, &app.client, entry.clone()).await;
            assert_eq!(status, 200, "{body}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM doorstep_reviews WHERE held").await, 1, "held once");
        assert_eq!(conversations_on(&app, list).await, 0, "not a conversation yet");
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups").await, follow_ups);
        assert_eq!(seat_knocks(&app).await, knocks, "held entries count nowhere");
        // The volunteer's list still shows the door as done.
        let (_, html) = app.page(&format!("/walk/{list}")).await;
        assert!(row_of(&html, doors[0]).contains("✓ Spoke"), "{}", row_of(&html, doors[0]));
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let (_, page) = app.page_with(&organiser, "/doorstep/review").await;
        assert!(main_of(&page).contains("Held: not counted until confirmed"));
        let response = organiser.post(app.url("/api/doorstep/decide")).header(ACCEPT, "application/json")
            .form(&[("id", id.as_str()), ("decision", "confirm")]).send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(conversations_on(&app, list).await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE kind = 'poster'").await, posters + 1);
        assert_eq!(seat_knocks(&app).await, knocks + 1, "counted once confirmed");
        // Sent again after confirmation: still one.
        assert_eq!(post_batch(&app, &app.client, entry).await.1["stored"].as_i64(), Some(0));
        assert_eq!(conversations_on(&app, list).await, 1);
        app.stop().await;
    }
}

/// SQLite's page limit set to the file's size stands in for a full disk (the same error,
/// SQLITE_FULL, from the same place): the phone is told in words to keep its entries,
/// nothing of the batch is written, and the same batch sent again once there is room is
/// stored, once.
#[tokio::test]
async fn doorstep_a_full_disk_is_a_503_in_words_and_the_batch_sent_again_is_stored_once() {
    let app = TestApp::with_demo(Backend::Sqlite).await.expect("app");
    let app::store::Store::Sqlite(pool) = &app.store else { panic!("an SQLite test app") };
    app.sign_in(VOLUNTEER).await;
    let (list, doors) = volunteers_list(&app).await;
    let start = chrono::Utc::now() - chrono::Duration::days(1);
    let entries: Vec<serde_json::Value> = (0..300)
        .map(|i| {
            json!({ "id": uuid::Uuid::now_v7().to_string(), "walk_list_id": list,
                    "household_id": doors[i % doors.len()], "result": "not_in",
                    "made_at": (start + chrono::Duration::minutes(i as i64)).to_rfc3339() })
        })
        .collect();
    // Every connection the server can use gets the limit (a connection's own setting).
    let limit_pages = |limit: Option<i64>| async move {
        let mut held = Vec::new();
        for _ in 0..8 {
            held.push(pool.acquire().await.expect("connection"));
        }
        for conn in &mut held {
            let (pages,): (i64,) =
                sqlx::query_as("PRAGMA page_count").fetch_one(&mut **conn).await.expect("pages");
            let sql = format!("PRAGMA max_page_count = {}", limit.unwrap_or(pages));
            sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut **conn).await.expect("limit");
        }
    };
    let send = || async {
        let response = app
            .client
            .post(app.url("/api/doorstep/batch"))
            .header(ACCEPT, "application/json")
            .json(&json!({ "entries": entries }))
            .send()
            .await
            .expect("POST batch");
        (response.status().as_u16(), response.text().await.unwrap_or_default())
    };
    let before = conversations_on(&app, list).await;
    limit_pages(None).await;
    let (status, body) = send().await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("nothing was saved"), "{body}");
    assert_eq!(conversations_on(&app, list).await, before, "nothing of the batch is written");
    limit_pages(Some(1_073_741_823)).await;
    for _ in 0..2 {
        let (status, body) = send().await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(conversations_on(&app, list).await, before + 300, "stored once");
    }
    app.stop().await;
}
