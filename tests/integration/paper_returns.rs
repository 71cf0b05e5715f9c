//! Paper returns record what the phone does: which volunteer knocked (the canvasser the
//! sheet names) and how firm each intention is, and refuse a sheet that says neither
//! plainly, storing nothing of it.

use super::turf::{cut, doors_of, list_ids};
use groundwork_tests::*;
use reqwest::header::ACCEPT;
use serde_json::{json, Value};

/// A list of eight doors cut by the organiser, its returns code, and a door with an
/// elector: (list, code, door, elector, elector's name).
async fn sheet(app: &TestApp) -> (i64, String, i64, i64, String) {
    let (status, outcome) = cut(app, json!({ "never_contacted": true, "list_size": 8 })).await;
    assert_eq!(status, 200, "{outcome}");
    let list = list_ids(&outcome)[0];
    let (_, html) = app.page(&format!("/lists/{list}/print")).await;
    let code = html.split("data-code=\"").nth(1).and_then(|r| r.split('"').next()).expect("code").to_string();
    let doors = doors_of(app, list).await;
    let mut found = None;
    for (door, _) in doors {
        let row: Option<(i64, String, String)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id, first_name, surname FROM electors WHERE household_id = $1 AND erased_at IS NULL ORDER BY id LIMIT 1")
            .bind(door).fetch_optional(pool).await).expect("elector");
        if let Some((elector, first, surname)) = row {
            found = Some((door, elector, format!("{first} {surname}")));
            break;
        }
    }
    let (door, elector, name) = found.expect("a door with an elector");
    (list, code, door, elector, name)
}

async fn volunteer_of(app: &TestApp, gss: &str) -> i64 {
    let (id,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT v.id FROM volunteers v JOIN seats s ON s.id = v.seat_id WHERE s.gss_code = $1 AND v.erased_at IS NULL
          ORDER BY v.id LIMIT 1").bind(gss).fetch_one(pool).await).expect("a volunteer");
    id
}

async fn send(app: &TestApp, form: &[(&str, String)]) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/api/turf/save_returns"))
        .header(ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn form(
    list: i64,
    door: i64,
    elector: i64,
    canvasser: &str,
    intention: &str,
    firmness: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("form[walk_list_id]", list.to_string()),
        ("form[canvasser]", canvasser.to_string()),
        ("form[rows][0][household_id]", door.to_string()),
        ("form[rows][0][entry_id]", uuid::Uuid::new_v4().to_string()),
        ("form[rows][0][result]", "spoke".into()),
        ("form[votes][0][household_id]", door.to_string()),
        ("form[votes][0][elector_id]", elector.to_string()),
        ("form[votes][0][entry_id]", uuid::Uuid::new_v4().to_string()),
        ("form[votes][0][intention]", intention.to_string()),
        ("form[votes][0][firmness]", firmness.to_string()),
    ]
}

on_both_databases! {
    async fn paper_returns_record_the_canvasser_and_how_firm_each_intention_is(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let (list, code, door, elector, name) = sheet(&app).await;
        let (_, print) = app.page(&format!("/lists/{list}/print")).await;
        let print = main_of(&print);
        assert!(print.contains("Canvassed by") && print.contains("How firm: 1 soft to 5 certain"), "room on paper for both");
        let (status, page) = app.page(&format!("/returns/{code}")).await;
        assert_eq!(status, 200);
        let page = main_of(&page);
        assert!(page.contains("Who knocked these doors") && page.contains("[firmness]"), "the screen asks for both");

        let volunteer = volunteer_of(&app, "E14000611").await;
        let conversations = || app.count("SELECT COUNT(*) FROM conversations");
        let before = conversations().await;
        let (status, body) = send(&app, &form(list, door, elector, "", "lab", "5")).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.to_string().contains("who knocked"), "{body}");
        let (status, body) = send(&app, &form(list, door, elector, &volunteer.to_string(), "lab", "9")).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.to_string().contains(&name), "the error names the elector: {body}");
        let (status, body) = send(&app, &form(list, door, elector, &volunteer.to_string(), "", "3")).await;
        assert_eq!(status, 400, "a firmness with no intention: {body}");
        let (status, body) = send(&app, &form(list, door, elector, "987654321", "lab", "5")).await;
        assert_eq!(status, 400, "not a volunteer of the seat: {body}");
        assert_eq!(conversations().await, before, "nothing of a refused sheet is stored");

        let (status, body) = send(&app, &form(list, door, elector, &volunteer.to_string(), "lab", "5")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["stored"], 1, "{body}");
        let (by, firmness, intention): (Option<i64>, Option<i64>, Option<String>) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT volunteer_id, CAST(firmness AS BIGINT), intention FROM conversations WHERE walk_list_id = $1 AND elector_id = $2")
            .bind(list).bind(elector).fetch_one(pool).await).expect("stored");
        assert_eq!((by, firmness, intention.as_deref()), (Some(volunteer), Some(5), Some("lab")));
        let (flagged,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM doorstep_reviews WHERE walk_list_id = $1").bind(list).fetch_one(pool).await).expect("reviews");
        assert_eq!(flagged, 0, "a sheet typed in at once is not 'implausibly fast'");

        let (status, body) = send(&app, &form(list, door, elector, "unknown", "undecided", "")).await;
        assert_eq!(status, 200, "{body}");
        let (nobody,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM conversations WHERE walk_list_id = $1 AND volunteer_id IS NULL AND intention = 'undecided'")
            .bind(list).fetch_one(pool).await).expect("unknown canvasser");
        assert_eq!(nobody, 1, "a sheet that names nobody is stored without a canvasser");
        app.stop().await;
    }
}
