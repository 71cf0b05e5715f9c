//! What the server does not take on trust from a phone or a browser: the phone's clock,
//! a missing position, a resent or borrowed entry id, where a write came from, and the
//! Host header (the walk sheet's QR code).

use chrono::{DateTime, Duration, Utc};
use groundwork_tests::*;
use serde_json::{json, Value};

/// The demo volunteer's first active list, a door on it and an elector at that door.
async fn list_door_elector(app: &TestApp) -> (i64, i64, i64) {
    let (list, door): (i64, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT wl.id, (SELECT wh.household_id FROM walk_list_households wh
                         WHERE wh.walk_list_id = wl.id AND EXISTS (SELECT 1 FROM electors e WHERE e.household_id = wh.household_id)
                         ORDER BY wh.position LIMIT 1)
           FROM walk_lists wl JOIN walk_list_assignments a ON a.walk_list_id = wl.id
           JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
          WHERE u.email = $1 AND wl.status = 'active' ORDER BY wl.id LIMIT 1")
        .bind(VOLUNTEER).fetch_one(pool).await)
    .expect("the volunteer's list");
    let (elector,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT MIN(id) FROM electors WHERE household_id = $1").bind(door).fetch_one(pool).await)
    .expect("an elector");
    (list, door, elector)
}

async fn post_batch(app: &TestApp, entries: Value) -> Value {
    let response = app
        .client
        .post(app.url("/api/doorstep/batch"))
        .json(&json!({ "entries": entries }))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("outcome")
}

/// A time on a right clock, `minutes` ago: entries a few minutes apart, so the "too fast
/// after the previous one" check stays out of the way.
fn ago(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes)).to_rfc3339()
}

/// (stored, already had, flagged) of a batch's answer.
fn outcome(v: &Value) -> (i64, i64, i64) {
    (
        v["stored"].as_i64().unwrap_or(-1),
        v["already_had"].as_i64().unwrap_or(-1),
        v["flagged"].as_i64().unwrap_or(-1),
    )
}

async fn count_for(app: &TestApp, sql: &'static str, id: &str) -> i64 {
    let (n,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(sql).bind(id).fetch_one(pool).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    n
}

/// Every row an entry id leaves anywhere: conversation, review, issues, answers,
/// follow-ups, volunteer prospects.
async fn traces(app: &TestApp, id: &str) -> [i64; 6] {
    [
        count_for(app, "SELECT COUNT(*) FROM conversations WHERE id = $1", id).await,
        count_for(app, "SELECT COUNT(*) FROM doorstep_reviews WHERE id = $1", id).await,
        count_for(app, "SELECT COUNT(*) FROM conversation_issues WHERE conversation_id = $1", id).await,
        count_for(app, "SELECT COUNT(*) FROM survey_answers WHERE conversation_id = $1", id).await,
        count_for(app, "SELECT COUNT(*) FROM follow_ups WHERE conversation_id = $1", id).await,
        count_for(app, "SELECT COUNT(*) FROM volunteers WHERE conversation_id = $1", id).await,
    ]
}

on_both_databases! {
    async fn doorstep_a_phone_clock_set_to_2099_never_makes_an_electors_latest_intention(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, door, elector) = list_door_elector(&app).await;
        let said = |id: &str, party: &str, made: String| json!({ "id": id, "walk_list_id": list, "household_id": door,
            "elector_id": elector, "result": "spoke", "intention": party, "intention_source": "said", "made_at": made });
        let future = uuid::Uuid::new_v4().to_string();
        let sent_at = Utc::now();
        assert_eq!(outcome(&post_batch(&app, json!([said(&future, "con", "2099-01-01T09:00:00Z".into())])).await), (1, 0, 1));
        let (made,): (DateTime<Utc>,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT made_at FROM conversations WHERE id = $1").bind(&future).fetch_one(pool).await).expect("stored");
        assert!(made >= sent_at - Duration::seconds(5) && made <= Utc::now(), "stored as received: {made}");
        let (reasons,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT reasons FROM doorstep_reviews WHERE id = $1").bind(&future).fetch_one(pool).await).expect("flagged");
        assert!(reasons.contains("clock") && reasons.contains("2099"), "{reasons}");

        // A conversation a little later, on a right clock, is the latest.
        let later = uuid::Uuid::new_v4().to_string();
        assert_eq!(outcome(&post_batch(&app, json!([said(&later, "lab", ago(-4))])).await), (1, 0, 0));
        let (latest, intention): (String, String) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT conversation_id, intention FROM dashboard_latest WHERE elector_id = $1").bind(elector).fetch_one(pool).await)
            .expect("latest");
        assert_eq!((latest.as_str(), intention.as_str()), (later.as_str(), "lab"));
        // Eight days old is outside the window too; two days old is believed.
        let old = uuid::Uuid::new_v4().to_string();
        let week_ago = (Utc::now() - Duration::days(8)).to_rfc3339();
        assert_eq!(outcome(&post_batch(&app, json!([said(&old, "ld", week_ago)])).await), (1, 0, 1));
        let fine = uuid::Uuid::new_v4().to_string();
        let two_days = Utc::now() - Duration::days(2);
        assert_eq!(outcome(&post_batch(&app, json!([said(&fine, "green", two_days.to_rfc3339())])).await), (1, 0, 0));
        let (made,): (DateTime<Utc>,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT made_at FROM conversations WHERE id = $1").bind(&fine).fetch_one(pool).await).expect("stored");
        assert!((made - two_days).num_seconds().abs() <= 1, "kept as the phone said: {made}");
        app.stop().await;
    }

    async fn doorstep_an_entry_without_a_position_is_flagged_when_the_campaign_asks_for_positions(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, door, _) = list_door_elector(&app).await;
        let knock = |made: String| json!([{ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": list,
            "household_id": door, "result": "not_in", "made_at": made }]);
        assert_eq!(outcome(&post_batch(&app, knock(ago(60))).await), (1, 0, 0), "not asked for: not flagged");
        let admin = app.new_browser();
        app.sign_in_with(&admin, ADMIN, PASSWORD).await;
        let saved = admin.post(app.url("/api/save_settings"))
            .form(&[("values[doorstep_require_position]", "on")]).send().await.expect("POST");
        assert_eq!(saved.status().as_u16(), 200, "{}", saved.text().await.unwrap_or_default());
        assert_eq!(outcome(&post_batch(&app, knock(ago(50))).await), (1, 0, 1));
        assert_eq!(app.count("SELECT COUNT(*) FROM doorstep_reviews WHERE reasons LIKE '%no position from the phone%'").await, 1);
        // With a position (far from the door is a flag of its own, so the door's own).
        let (lat, lon): (Option<f64>, Option<f64>) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT lat, lon FROM households WHERE id = $1").bind(door).fetch_one(pool).await).expect("door");
        let placed = json!([{ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": list, "household_id": door,
            "result": "not_in", "lat": lat.unwrap_or(53.6), "lon": lon.unwrap_or(-2.3), "made_at": ago(40) }]);
        assert_eq!(outcome(&post_batch(&app, placed).await).2, i64::from(lat.is_none()), "a position is enough");
        app.stop().await;
    }

    async fn doorstep_a_resent_entry_does_nothing_at_all(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, door, elector) = list_door_elector(&app).await;
        let id = uuid::Uuid::new_v4().to_string();
        let full = json!({ "id": id, "walk_list_id": list, "household_id": door, "elector_id": elector,
            "result": "spoke", "intention": "lab", "intention_source": "said", "issues": ["nhs"],
            "answers": [["voted_last", "Yes"]], "follow_ups": ["volunteer", "poster"], "made_at": ago(60) });
        assert_eq!(outcome(&post_batch(&app, json!([full.clone()])).await), (1, 0, 0));
        assert_eq!(traces(&app, &id).await, [1, 0, 1, 1, 2, 1]);
        let knocks = app.count("SELECT CAST(COALESCE(SUM(knocks), 0) AS BIGINT) FROM dashboard_doors").await;
        // Sent again, and again with more in it: nothing more anywhere.
        let mut more = full.clone();
        more["issues"] = json!(["housing"]);
        more["follow_ups"] = json!(["call_back", "join"]);
        more["answers"] = json!([["voted_last", "No"]]);
        for again in [full, more] {
            assert_eq!(outcome(&post_batch(&app, json!([again])).await), (0, 1, 0));
            assert_eq!(traces(&app, &id).await, [1, 0, 1, 1, 2, 1]);
        }
        assert_eq!(app.count("SELECT CAST(COALESCE(SUM(knocks), 0) AS BIGINT) FROM dashboard_doors").await, knocks);
        // A knock resent as a would-be volunteer makes no prospect.
        let plain = uuid::Uuid::new_v4().to_string();
        let knock = json!({ "id": plain, "walk_list_id": list, "household_id": door, "result": "refused", "made_at": ago(50) });
        assert_eq!(outcome(&post_batch(&app, json!([knock.clone()])).await), (1, 0, 0));
        let mut volunteering = knock;
        volunteering["follow_ups"] = json!(["volunteer"]);
        assert_eq!(outcome(&post_batch(&app, json!([volunteering])).await), (0, 1, 0));
        assert_eq!(traces(&app, &plain).await, [1, 0, 0, 0, 0, 0]);
        app.stop().await;
    }

    async fn doorstep_an_id_used_in_another_seat_answers_as_a_fresh_one_and_reveals_nothing(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, door, _) = list_door_elector(&app).await;
        // Another region's seat, with a conversation and a held entry of its own.
        let (taken, held) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
        app::on_store!(&app.store, pool => async {
            let (region,): (i64,) = sqlx::query_as("INSERT INTO regions (name) VALUES ('Elsewhere') RETURNING id").fetch_one(pool).await?;
            let (seat,): (i64,) = sqlx::query_as("INSERT INTO seats (gss_code, name, region_id, electorate, is_target)
                VALUES ('E14009999', 'Otherby', $1, 40000, TRUE) RETURNING id").bind(region).fetch_one(pool).await?;
            let (house,): (i64,) = sqlx::query_as("INSERT INTO households (seat_id, address_key, address1, postcode)
                VALUES ($1, 'x:1', '1 Far Lane', 'ZZ1 1ZZ') RETURNING id").bind(seat).fetch_one(pool).await?;
            sqlx::query("INSERT INTO conversations (id, seat_id, household_id, result, notes, made_at, received_at)
                VALUES ($1, $2, $3, 'spoke', 'a far note', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
                .bind(&taken).bind(seat).bind(house).execute(pool).await?;
            sqlx::query("INSERT INTO doorstep_reviews (id, seat_id, household_id, entry, result, reasons, held, made_at, received_at)
                VALUES ($1, $2, $3, '{}', 'spoke', '', TRUE, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
                .bind(&held).bind(seat).bind(house).execute(pool).await.map(|_| ())
        }.await).expect("the other seat");
        let before = [traces(&app, &taken).await, traces(&app, &held).await];
        let mine = |id: &str, minutes: i64| json!([{ "id": id, "walk_list_id": list, "household_id": door,
            "result": "refused", "follow_ups": ["volunteer"], "made_at": ago(minutes) }]);
        let fresh = uuid::Uuid::new_v4().to_string();
        let answer = post_batch(&app, mine(&fresh, 60)).await;
        assert_eq!(outcome(&answer), (1, 0, 0));
        let on_my_list = || app.count("SELECT COUNT(*) FROM conversations c JOIN walk_lists wl ON wl.id = c.walk_list_id
                                        JOIN walk_list_assignments a ON a.walk_list_id = wl.id
                                        JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
                                       WHERE u.email = 'volunteer@demo.groundwork.example'");
        let mine_before = on_my_list().await;
        for (id, minutes) in [(&taken, 50), (&held, 40)] {
            // Exactly the fresh id's answer, first time and when resent.
            assert_eq!(post_batch(&app, mine(id, minutes)).await, answer, "as fresh");
            assert_eq!(outcome(&post_batch(&app, mine(id, minutes)).await), (0, 1, 0), "resent, as a fresh one resent");
            assert_eq!(outcome(&post_batch(&app, mine(&fresh, 60)).await), (0, 1, 0));
        }
        // The other seat's rows are untouched; ours are stored under ids of their own.
        assert_eq!([traces(&app, &taken).await, traces(&app, &held).await], before);
        assert_eq!(on_my_list().await, mine_before + 2);
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteers v JOIN seats s ON s.id = v.seat_id WHERE s.gss_code = 'E14009999'").await, 0);
        app.stop().await;
    }

    async fn writes_from_a_sibling_site_are_refused_and_the_walk_sheet_ignores_the_host_header(backend) {
        let app = TestApp::with_demo_configured(backend, |c| c.public_url = Some("https://canvass.example.org".into()))
            .await.expect("app");
        let form = [("email", ORGANISER), ("password", PASSWORD)];
        for (site, status) in [("same-site", 403), ("cross-site", 403), ("same-origin", 302), ("none", 302)] {
            let response = app.new_browser().post(app.url("/api/login")).header("sec-fetch-site", site)
                .header("accept", "text/html").form(&form).send().await.expect("POST");
            assert_eq!(response.status().as_u16(), status, "Sec-Fetch-Site: {site}");
        }
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let (list,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT MIN(id) FROM walk_lists").fetch_one(pool).await).expect("a list");
        let response = organiser.get(app.url(&format!("/lists/{list}/print")))
            .header("host", "evil.example").header("accept", "text/html").send().await.expect("GET");
        assert_eq!(response.status().as_u16(), 200);
        let html = response.text().await.expect("sheet");
        assert!(html.contains("https://canvass.example.org/returns/"), "the configured address");
        assert!(!html.contains("evil.example"), "never the Host header");
        app.stop().await;
    }
}
