//! The doorstep app: walk lists in walk order, each entry stored once, permissions. What
//! is recorded at a door, and what gets an entry flagged or held, is in `door_details`.

mod door_details;

use groundwork_tests::*;
use reqwest::header::ACCEPT;
use serde_json::json;

/// result, elector, intention, said or inferred, firmness, notes
type StoredSpoke = (String, Option<i64>, Option<String>, Option<String>, Option<i64>, Option<String>);

/// An active list assigned to the demo volunteer, with its doors in walk order.
pub(crate) async fn volunteers_list(app: &TestApp) -> (i64, Vec<i64>) {
    let (list,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT wl.id FROM walk_lists wl
           JOIN walk_list_assignments a ON a.walk_list_id = wl.id
           JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
          WHERE u.email = $1 AND wl.status = 'active' ORDER BY wl.id LIMIT 1")
        .bind(VOLUNTEER).fetch_one(pool).await)
    .expect("the volunteer has an active list");
    (list, doors_of(app, list).await)
}

async fn doors_of(app: &TestApp, list: i64) -> Vec<i64> {
    let rows: Vec<(i64,)> = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT household_id FROM walk_list_households WHERE walk_list_id = $1 ORDER BY position")
        .bind(list).fetch_all(pool).await)
    .expect("doors");
    rows.into_iter().map(|(h,)| h).collect()
}

/// A list the volunteer is not on, with the given status.
async fn someone_elses_list(app: &TestApp, status: &str) -> i64 {
    let (list,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT wl.id FROM walk_lists wl WHERE wl.status = $2 AND NOT EXISTS (
            SELECT 1 FROM walk_list_assignments a JOIN volunteers v ON v.id = a.volunteer_id
              JOIN users u ON u.id = v.user_id WHERE a.walk_list_id = wl.id AND u.email = $1)
          ORDER BY wl.id LIMIT 1")
        .bind(VOLUNTEER).bind(status).fetch_one(pool).await)
    .expect("another list");
    list
}

async fn post_batch(
    app: &TestApp,
    browser: &reqwest::Client,
    entries: serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = browser
        .post(app.url("/api/doorstep/batch"))
        .json(&json!({ "entries": entries }))
        .send()
        .await
        .expect("POST batch");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(serde_json::Value::Null))
}

async fn conversations_on(app: &TestApp, list: i64) -> i64 {
    let (n,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM conversations WHERE walk_list_id = $1").bind(list).fetch_one(pool).await)
    .expect("count");
    n
}

/// The households of a list page, in the order the page shows them.
fn households_shown(html: &str) -> Vec<i64> {
    main_of(html)
        .split("data-household=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

on_both_databases! {
    async fn doorstep_the_same_entry_sent_three_times_is_stored_once(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = volunteers_list(&app).await;
        let id = uuid::Uuid::new_v4().to_string();
        let entry = json!([{ "id": id, "walk_list_id": list, "household_id": doors[0], "result": "not_in" }]);
        let mut stored = Vec::new();
        for _ in 0..3 {
            let (status, body) = post_batch(&app, &app.client, entry.clone()).await;
            assert_eq!(status, 200, "{body}");
            stored.push(body["stored"].as_i64().expect("stored"));
        }
        assert_eq!(stored, [1, 0, 0]);
        assert_eq!(conversations_on(&app, list).await, 1);
        let (received, made): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT received_at, made_at FROM conversations WHERE id = $1").bind(&id).fetch_one(pool).await).expect("row");
        assert!((received - made).num_seconds().abs() < 60, "made_at defaults to now");
        app.stop().await;
    }

    async fn doorstep_entries_out_of_order_are_all_kept_and_the_latest_by_phone_time_shows(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = volunteers_list(&app).await;
        let door = doors[1];
        // Two volunteers at the same door: the later knock ("spoke") reaches the server first.
        // (Within the week the server believes a phone's clock for.)
        let at = |minutes: i64| (chrono::Utc::now() - chrono::Duration::minutes(minutes)).to_rfc3339();
        let later = json!({ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": list, "household_id": door,
            "result": "spoke", "made_at": at(60) });
        let earlier = json!({ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": list, "household_id": door,
            "result": "not_in", "made_at": at(145) });
        assert_eq!(post_batch(&app, &app.client, json!([later])).await.0, 200);
        assert_eq!(post_batch(&app, &app.client, json!([earlier])).await.0, 200);
        assert_eq!(conversations_on(&app, list).await, 2, "both kept");
        let (_, html) = app.page(&format!("/walk/{list}")).await;
        let main = main_of(&html);
        let row = main.split(&format!("data-household=\"{door}\"")).nth(1).expect("door row");
        let row = &row[..row.find("</li>").expect("end of row")];
        assert!(row.contains("Spoke"), "the later knock wins: {row}");
        assert!(main.contains("<strong data-stat=\"knocked\">1</strong>"), "{main}");
        app.stop().await;
    }

    async fn doorstep_a_volunteer_reaches_only_their_own_active_lists(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (mine, my_doors) = volunteers_list(&app).await;
        let others = someone_elses_list(&app, "active").await;
        let closed = someone_elses_list(&app, "closed").await;
        let before = app.count("SELECT COUNT(*) FROM conversations").await;
        for list in [others, closed] {
            assert_eq!(app.page(&format!("/walk/{list}")).await.0, 403, "list {list}");
            let door = doors_of(&app, list).await[0];
            assert_eq!(app.page(&format!("/walk/{list}/door/{door}")).await.0, 403);
            let entry = json!([{ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": list, "household_id": door, "result": "not_in" }]);
            assert_eq!(post_batch(&app, &app.client, entry).await.0, 403);
        }
        // A door that is not on my list, posted under my list.
        let stranger: i64 = doors_of(&app, others).await.into_iter().find(|h| !my_doors.contains(h)).expect("other door");
        assert_eq!(app.page(&format!("/walk/{mine}/door/{stranger}")).await.0, 403);
        let entry = json!([{ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": mine, "household_id": stranger, "result": "not_in" }]);
        assert_eq!(post_batch(&app, &app.client, entry).await.0, 403);
        // One bad entry refuses the whole batch.
        let mixed = json!([
            { "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": mine, "household_id": my_doors[0], "result": "not_in" },
            { "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": others, "household_id": stranger, "result": "not_in" },
        ]);
        assert_eq!(post_batch(&app, &app.client, mixed).await.0, 403);
        // And the plain form, as a browser without JavaScript sends it.
        let form = [("id", uuid::Uuid::new_v4().to_string()), ("walk_list_id", others.to_string()),
            ("household_id", stranger.to_string()), ("result", "not_in".to_string())];
        let response = app.client.post(app.url("/api/doorstep/record")).header(ACCEPT, "text/html")
            .header(reqwest::header::REFERER, app.url(&format!("/walk/{others}/door/{stranger}")))
            .form(&form).send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 403, "refused outright: there is no door of theirs to go back to");
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, before, "nothing stored");
        // My own list, once closed, is closed to me too.
        app::on_store!(&app.store, pool => sqlx::query("UPDATE walk_lists SET status = 'closed' WHERE id = $1")
            .bind(mine).execute(pool).await.map(|_| ())).expect("close");
        assert_eq!(app.page(&format!("/walk/{mine}")).await.0, 403);
        let entry = json!([{ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": mine, "household_id": my_doors[0], "result": "not_in" }]);
        assert_eq!(post_batch(&app, &app.client, entry).await.0, 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, before, "nothing stored");
        // Signed out: nothing either.
        let (status, _) = post_batch(&app, &app.new_browser(), json!([])).await;
        assert_eq!(status, 401);
        // Staff of the seat may open any of its lists.
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        assert_eq!(app.page_with(&organiser, &format!("/walk/{others}")).await.0, 200);
        app.stop().await;
    }

    async fn doorstep_each_view_of_a_door_is_in_the_audit_log_once(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = volunteers_list(&app).await;
        let views = || app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND object_type = 'household'");
        assert_eq!(views().await, 0);
        assert_eq!(app.page(&format!("/walk/{list}/door/{}", doors[0])).await.0, 200);
        assert_eq!(views().await, 1, "one page view, one entry");
        assert_eq!(app.page(&format!("/walk/{list}")).await.0, 200);
        assert_eq!(views().await, 1, "the list of addresses alone names no elector");
        let (who, object, reason): (String, String, String) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT u.email, a.object_id, a.reason FROM audit_log a JOIN users u ON u.id = a.user_id
              WHERE a.action = 'view'").fetch_one(pool).await).expect("entry");
        assert_eq!((who.as_str(), object), (VOLUNTEER, doors[0].to_string()));
        assert_eq!(reason, format!("doorstep, walk list {list}"));
        app.stop().await;
    }

    async fn doorstep_the_list_shows_its_doors_in_walk_order(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = volunteers_list(&app).await;
        let (_, home) = app.page("/").await;
        assert!(main_of(&home).contains(&format!("href=\"/walk/{list}\"")), "the home page links the list");
        let (status, html) = app.page(&format!("/walk/{list}")).await;
        assert_eq!(status, 200);
        assert_eq!(households_shown(&html), doors);
        let main = main_of(&html);
        assert!(main.contains(&format!("<strong data-stat=\"knocked\">0</strong> of <span data-stat=\"doors\">{}</span>", doors.len())), "{main}");
        assert!(main.contains(&format!("href=\"/walk/{list}/door/{}\" class=\"button primary next-door\">Next door", doors[0])), "{main}");
        // A phone on a weak signal gets the page, the CSS and the small outbox script: no wasm.
        assert!(html.contains("src=\"/doorstep.js\""), "the outbox script is loaded");
        assert!(!html.contains(".wasm"), "the doorstep pages do not load the WebAssembly");
        let (_, door) = app.page(&format!("/walk/{list}/door/{}", doors[0])).await;
        assert!(!door.contains(".wasm"));
        assert!(door.contains("src=\"/door-checks.js\""), "the door form's checks are loaded");
        assert!(app.page("/sessions").await.1.contains(".wasm"), "other pages still hydrate");
        app.stop().await;
    }

    async fn doorstep_the_plain_html_form_records_a_door_and_goes_to_the_next(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = volunteers_list(&app).await;
        let path = format!("/walk/{list}/door/{}", doors[0]);
        let (status, html) = app.page(&path).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        let id = main.split("name=\"id\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("entry id").to_string();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
        let elector: (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM electors WHERE household_id = $1 AND left_at IS NULL ORDER BY id LIMIT 1")
            .bind(doors[0]).fetch_one(pool).await).expect("an elector at the first door");
        let form = [("id", id.clone()), ("walk_list_id", list.to_string()), ("household_id", doors[0].to_string()),
            ("elector_id", elector.0.to_string()), ("intention", "green".into()), ("intention_source", "inferred".into()),
            ("firmness", "3".into()), ("notes", "Potholes on the street".into()), ("result", "spoke".into())];
        for _ in 0..2 {
            // A double submit is the same entry.
            let response = app.client.post(app.url("/api/doorstep/record")).header(ACCEPT, "text/html")
                .header(reqwest::header::REFERER, app.url(&path)).form(&form).send().await.expect("POST");
            assert_eq!(response.status().as_u16(), 302);
            assert_eq!(response.headers()["location"], format!("/walk/{list}/door/{}", doors[1]).as_str());
        }
        let row: StoredSpoke = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT result, elector_id, intention, intention_source, firmness, notes FROM conversations WHERE id = $1")
            .bind(&id).fetch_one(pool).await).expect("stored");
        assert_eq!(row, ("spoke".into(), Some(elector.0), Some("green".into()), Some("inferred".into()), Some(3), Some("Potholes on the street".into())));
        assert_eq!(conversations_on(&app, list).await, 1);
        // "Not in" with the spoke fields' defaults still posted stores just the knock.
        let quick = [("id", uuid::Uuid::new_v4().to_string()), ("walk_list_id", list.to_string()),
            ("household_id", doors[1].to_string()), ("intention_source", "said".into()), ("notes", String::new()), ("result", "not_in".into())];
        let response = app.client.post(app.url("/api/doorstep/record")).header(ACCEPT, "text/html")
            .form(&quick).send().await.expect("POST");
        assert_eq!(response.headers()["location"], format!("/walk/{list}/door/{}", doors[2]).as_str());
        let (_, page) = app.page(&format!("/walk/{list}")).await;
        assert!(main_of(&page).contains("<strong data-stat=\"knocked\">2</strong>"));
        app.stop().await;
    }
}
