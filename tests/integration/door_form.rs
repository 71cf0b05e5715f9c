//! The door form's traps (issue 19): an intention nobody holds, the one-person door, and a
//! call back's or would-be volunteer's phone and email, kept only with their consent.

use groundwork_tests::*;
use reqwest::header::ACCEPT;
use serde_json::json;

/// The demo volunteer's first active list, and its doors with how many live at each.
async fn list_and_doors(app: &TestApp) -> (i64, Vec<(i64, i64)>) {
    let (list, _) = crate::doorstep::volunteers_list(app).await;
    let doors: Vec<(i64, i64)> = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT wh.household_id, COUNT(e.id) FROM walk_list_households wh
           LEFT JOIN electors e ON e.household_id = wh.household_id AND e.left_at IS NULL
          WHERE wh.walk_list_id = $1 GROUP BY wh.household_id, wh.position ORDER BY wh.position")
        .bind(list).fetch_all(pool).await)
    .expect("doors");
    (list, doors)
}

async fn electors_at(app: &TestApp, household: i64) -> Vec<i64> {
    let rows: Vec<(i64,)> = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT id FROM electors WHERE household_id = $1 AND left_at IS NULL ORDER BY id")
        .bind(household).fetch_all(pool).await)
    .expect("electors");
    rows.into_iter().map(|(id,)| id).collect()
}

async fn post_batch(app: &TestApp, entries: serde_json::Value) -> (u16, String) {
    let response = app
        .client
        .post(app.url("/api/doorstep/batch"))
        .json(&json!({ "entries": entries }))
        .send()
        .await
        .expect("POST batch");
    (response.status().as_u16(), response.text().await.unwrap_or_default())
}

on_both_databases! {
    async fn door_form_an_intention_with_nobody_who_answered_is_refused_and_nothing_is_stored(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = list_and_doors(&app).await;
        let (door, _) = *doors.iter().find(|(_, n)| *n >= 2).expect("a door of two or more");
        let conversations = app.count("SELECT COUNT(*) FROM conversations").await;
        // "Spoke, Labour, 5" with nobody ticked under "Who answered", from the phone's outbox…
        let nobody = json!({ "id": uuid::Uuid::now_v7().to_string(), "walk_list_id": list, "household_id": door,
            "result": "spoke", "intention": "lab", "intention_source": "said", "firmness": 5 });
        let (status, body) = post_batch(&app, json!([nobody])).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("Choose who answered"), "{body}");
        // …and from the plain form: back to the door with the reason.
        let path = format!("/walk/{list}/door/{door}");
        let form = [("id", uuid::Uuid::now_v7().to_string()), ("walk_list_id", list.to_string()),
            ("household_id", door.to_string()), ("result", "spoke".into()), ("intention", "lab".into()),
            ("firmness", "5".into())];
        let response = app.client.post(app.url("/api/doorstep/record")).header(ACCEPT, "text/html")
            .header(reqwest::header::REFERER, app.url(&path)).form(&form).send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 302);
        let back = response.headers()["location"].to_str().expect("location").to_string();
        assert!(back.starts_with(&format!("{path}?error=")) && back.contains("Choose+who+answered"), "{back}");
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, conversations, "nothing stored");
        // With the person chosen, the intention is theirs.
        let elector = electors_at(&app, door).await[1];
        let id = uuid::Uuid::now_v7().to_string();
        let held = json!({ "id": id, "walk_list_id": list, "household_id": door, "elector_id": elector,
            "result": "spoke", "intention": "lab", "intention_source": "said", "firmness": 5 });
        let (status, body) = post_batch(&app, json!([held])).await;
        assert_eq!(status, 200, "{body}");
        let stored: (Option<i64>, Option<String>, Option<i64>) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT elector_id, intention, firmness FROM conversations WHERE id = $1").bind(&id).fetch_one(pool).await)
            .expect("stored");
        assert_eq!(stored, (Some(elector), Some("lab".into()), Some(5)));
        // Spoke with no intention needs nobody chosen (someone not on the register answered).
        let (status, body) = post_batch(&app, json!([{ "id": uuid::Uuid::now_v7().to_string(), "walk_list_id": list,
            "household_id": door, "result": "spoke", "issues": ["nhs"] }])).await;
        assert_eq!(status, 200, "{body}");
        app.stop().await;
    }

    async fn door_form_a_one_person_door_has_its_elector_chosen_and_a_bigger_door_none(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = list_and_doors(&app).await;
        let (single, _) = *doors.iter().find(|(_, n)| *n == 1).expect("a one-person door");
        let (family, _) = *doors.iter().find(|(_, n)| *n >= 2).expect("a door of two or more");
        let only = electors_at(&app, single).await[0];
        let (_, html) = app.page(&format!("/walk/{list}/door/{single}")).await;
        let main = main_of(&html);
        assert!(main.contains(&format!("name=\"elector_id\" value=\"{only}\" checked")), "{main}");
        assert!(main.contains("Someone not listed"), "{main}");
        let (_, html) = app.page(&format!("/walk/{list}/door/{family}")).await;
        let main = main_of(&html);
        let holder = main.split("data-holder").nth(1).and_then(|r| r.split("</fieldset>").next()).expect("who answered");
        assert!(!holder.contains("checked"), "nobody is guessed at a bigger door: {holder}");
        // Save comes after the follow-ups, in the sticky bar.
        let (follow_ups, save) = (main.find("Follow-ups").expect("follow-ups"), main.find("class=\"save-bar\"").expect("save bar"));
        assert!(follow_ups < save, "follow-ups sit above Save");
        app.stop().await;
    }

    async fn door_form_a_call_back_keeps_a_phone_and_email_only_with_consent_and_the_prospect_gets_them(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = list_and_doors(&app).await;
        let (door, _) = *doors.iter().find(|(_, n)| *n >= 1).expect("a door");
        let elector = electors_at(&app, door).await[0];
        let entry = |consent: bool, follow_ups: serde_json::Value| json!({ "id": uuid::Uuid::now_v7().to_string(),
            "walk_list_id": list, "household_id": door, "elector_id": elector, "result": "spoke",
            "follow_ups": follow_ups, "contact_phone": "07700 900123", "contact_email": "Pat.Example@Example.org",
            "contact_consent": consent });
        let (status, body) = post_batch(&app, json!([entry(false, json!(["call_back", "volunteer"]))])).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("agreed to be contacted"), "{body}");
        let (status, body) = post_batch(&app, json!([entry(true, json!(["poster"]))])).await;
        assert_eq!(status, 400, "a number with nothing to call back about: {body}");
        let (status, body) = post_batch(&app, json!([{ "id": uuid::Uuid::now_v7().to_string(), "walk_list_id": list,
            "household_id": door, "result": "not_in", "follow_ups": ["call_back"], "contact_phone": "call me",
            "contact_consent": true }])).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE phone IS NOT NULL").await, 0);

        let good = entry(true, json!(["call_back", "volunteer", "poster"]));
        let id = good["id"].as_str().expect("id").to_string();
        let (status, body) = post_batch(&app, json!([good])).await;
        assert_eq!(status, 200, "{body}");
        let rows: Vec<(String, Option<String>, Option<String>, bool)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT kind, phone, email, contact_consent_at IS NOT NULL FROM follow_ups WHERE conversation_id = $1 ORDER BY kind")
            .bind(&id).fetch_all(pool).await).expect("follow-ups");
        let phone = Some("07700 900123".to_string());
        let email = Some("pat.example@example.org".to_string());
        assert_eq!(rows, vec![
            ("call_back".into(), phone.clone(), email.clone(), true),
            ("poster".into(), None, None, false),
            ("volunteer".into(), phone.clone(), email.clone(), true),
        ]);
        let prospect: (Option<String>, Option<String>, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT v.phone, v.email, (SELECT COUNT(*) FROM volunteer_consents c WHERE c.volunteer_id = v.id AND c.given)
               FROM volunteers v WHERE v.conversation_id = $1").bind(&id).fetch_one(pool).await).expect("prospect");
        assert_eq!(prospect, (phone, email, 1), "the prospect can be reached, with consent on record");
        // The organiser's call-back list shows how to reach them.
        app.sign_in(ORGANISER).await;
        let (status, html) = app.page("/dashboard/seats/E14000611/follow-ups?kind=call_back").await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains("07700 900123 · pat.example@example.org"), "{}", main_of(&html));
        app.stop().await;
    }
}

async fn prospects_of(app: &TestApp, conversation: &str) -> i64 {
    let (n,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM volunteers WHERE conversation_id = $1").bind(conversation).fetch_one(pool).await)
    .expect("prospects");
    n
}

/// Every knock counted for the seat's dashboard: the conversations, and the counter the
/// triggers keep beside them.
async fn knocks(app: &TestApp) -> (i64, i64) {
    let counted = app.count("SELECT CAST(COALESCE(SUM(knocks), 0) AS BIGINT) FROM dashboard_districts").await;
    (app.count("SELECT COUNT(*) FROM conversations").await, counted)
}

on_both_databases! {
    async fn door_form_a_correction_replaces_the_earlier_entry_once_and_an_undo_takes_it_back(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (list, doors) = list_and_doors(&app).await;
        let (door, _) = *doors.iter().find(|(_, n)| *n >= 1).expect("a door");
        let elector = electors_at(&app, door).await[0];
        let before = knocks(&app).await;
        let on_door = || async {
            let rows: Vec<(String, String)> = app::on_store!(&app.store, pool => sqlx::query_as(
                "SELECT id, result FROM conversations WHERE walk_list_id = $1 AND household_id = $2 ORDER BY id")
                .bind(list).bind(door).fetch_all(pool).await).expect("rows");
            rows
        };
        // A mis-tap: "Refused" with "Wants to volunteer" and "Do not knock again"…
        let first = uuid::Uuid::now_v7().to_string();
        let (status, body) = post_batch(&app, json!([{ "id": first, "walk_list_id": list, "household_id": door,
            "result": "refused", "follow_ups": ["do_not_knock", "volunteer"] }])).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(prospects_of(&app, &first).await, 1);
        assert_eq!(knocks(&app).await, (before.0 + 1, before.1 + 1));
        // …corrected to "spoke, Labour", sent twice (the answer lost the first time).
        let second = uuid::Uuid::now_v7().to_string();
        let correction = json!({ "id": second, "walk_list_id": list, "household_id": door, "elector_id": elector,
            "result": "spoke", "intention": "lab", "intention_source": "said", "replaces": first });
        for _ in 0..2 {
            let (status, body) = post_batch(&app, json!([correction.clone()])).await;
            assert_eq!(status, 200, "{body}");
        }
        assert_eq!(on_door().await, vec![(second.clone(), "spoke".to_string())], "replaced, exactly once");
        assert_eq!(knocks(&app).await, (before.0 + 1, before.1 + 1), "doors knocked are not inflated");
        let (dnk,): (bool,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT do_not_knock FROM households WHERE id = $1").bind(door).fetch_one(pool).await).expect("door");
        assert!(!dnk, "the mis-tapped do-not-knock is taken back");
        assert_eq!(prospects_of(&app, &first).await, 0, "no prospect from the mis-tap");

        // Another user (the organiser) cannot take back the volunteer's entry.
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let theirs = json!({ "entries": [{ "id": uuid::Uuid::now_v7().to_string(), "walk_list_id": list,
            "household_id": door, "result": "undo", "replaces": second }] });
        let response = organiser.post(app.url("/api/doorstep/batch")).json(&theirs).send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(on_door().await.len(), 1, "someone else's entry stays");

        // Undo, twice too: nothing is recorded at the door any more.
        let undo = json!({ "id": uuid::Uuid::now_v7().to_string(), "walk_list_id": list, "household_id": door,
            "result": "undo", "replaces": second });
        for _ in 0..2 {
            let (status, body) = post_batch(&app, json!([undo.clone()])).await;
            assert_eq!(status, 200, "{body}");
        }
        assert!(on_door().await.is_empty());
        assert_eq!(knocks(&app).await, before, "the counts are as before the door");
        // An undo must name what it undoes.
        let (status, _) = post_batch(&app, json!([{ "id": uuid::Uuid::now_v7().to_string(), "walk_list_id": list,
            "household_id": door, "result": "undo" }])).await;
        assert_eq!(status, 400);
        app.stop().await;
    }
}
