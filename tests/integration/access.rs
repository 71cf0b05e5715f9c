//! Access: regional staff get figures only, access follows the patch (a volunteer or team
//! leader moved to another seat, or switched off, loses the old seat at once), and
//! organisers take walk lists back (unassign, close).

use app::auth::users::{self, NewUser, Patch};
use app::auth::Role;
use groundwork_tests::*;
use reqwest::header::ACCEPT;
use serde_json::json;

const GSS: &str = "E14000611";
const CANARY_SURNAME: &str = "Canarywood";
const CANARY_NOTE: &str = "Call back about the canary bins";

async fn one(app: &TestApp, sql: &'static str, bind: i64) -> i64 {
    let (n,): (i64,) =
        app::on_store!(&app.store, pool => sqlx::query_as(sql).bind(bind).fetch_one(pool).await)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    n
}

async fn run(app: &TestApp, sql: &'static str, a: i64, b: i64) {
    app::on_store!(&app.store, pool => sqlx::query(sql).bind(a).bind(b).execute(pool).await.map(|_| ()))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn browser_as(app: &TestApp, email: &str) -> reqwest::Client {
    let browser = app.new_browser();
    assert!(app.sign_in_with(&browser, email, PASSWORD).await.status().is_redirection(), "{email} signs in");
    browser
}

async fn post(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    form: &[(&str, String)],
) -> (u16, String) {
    let response = browser.post(app.url(path)).form(form).send().await.expect("POST");
    (response.status().as_u16(), response.text().await.unwrap_or_default())
}

/// The demo volunteer's first active list and its first door.
async fn volunteers_list(app: &TestApp) -> (i64, i64) {
    let (list, door): (i64, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT wl.id, (SELECT household_id FROM walk_list_households WHERE walk_list_id = wl.id ORDER BY position LIMIT 1)
           FROM walk_lists wl JOIN walk_list_assignments a ON a.walk_list_id = wl.id
           JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
          WHERE u.email = $1 AND wl.status = 'active' ORDER BY wl.id LIMIT 1")
        .bind(VOLUNTEER).fetch_one(pool).await)
    .expect("the volunteer's list");
    (list, door)
}

/// A second seat in the demo's region, to move people to.
async fn another_seat(app: &TestApp, seat: i64) -> i64 {
    let sql = "INSERT INTO seats (gss_code, name, region_id, electorate, is_target)
               SELECT 'E14000612', 'Bury South', region_id, 70000, TRUE FROM seats WHERE id = $1 RETURNING id";
    one(app, sql, seat).await
}

async fn demo_seat(app: &TestApp) -> i64 {
    one(app, "SELECT id FROM seats WHERE gss_code = 'E14000611' AND id > $1", 0).await
}

async fn change_role(app: &TestApp, admin: &reqwest::Client, user: i64, role: &str, seat: i64) {
    let form = [("user_id", user.to_string()), ("role", role.to_string()), ("patch", format!("seat:{seat}"))];
    let (status, body) = post(app, admin, "/api/change_role", &form).await;
    assert_eq!(status, 200, "change role: {body}");
}

fn entry(list: i64, door: i64) -> serde_json::Value {
    json!({ "entries": [{ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": list, "household_id": door, "result": "not_in" }] })
}

on_both_databases! {
    async fn access_regional_staff_see_follow_up_counts_but_no_names_addresses_or_notes(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let seat = demo_seat(&app).await;
        // A recognisable call-back: a named elector, their address, the canvasser's note
        // (which starts with a tab and a formula, for the CSV).
        let elector = one(&app, "SELECT MIN(id) FROM electors WHERE seat_id = $1", seat).await;
        run(&app, "UPDATE electors SET surname = 'Canarywood' WHERE id = $1 AND seat_id = $2", elector, seat).await;
        let household = one(&app, "SELECT household_id FROM electors WHERE id = $1", elector).await;
        run(&app, "UPDATE households SET address1 = '77 Canary Row' WHERE id = $1 AND seat_id = $2", household, seat).await;
        let now = chrono::Utc::now();
        app::on_store!(&app.store, pool => async {
            sqlx::query("INSERT INTO conversations (id, seat_id, household_id, elector_id, result, notes, made_at, received_at)
                         VALUES ('canary-conversation', $1, $2, $3, 'spoke', $4, $5, $5)")
                .bind(seat).bind(household).bind(elector).bind(format!("\t={CANARY_NOTE}")).bind(now).execute(pool).await?;
            sqlx::query("INSERT INTO follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at)
                         VALUES ('canary-conversation', $1, $2, $3, 'call_back', 'open', $4)")
                .bind(seat).bind(household).bind(elector).bind(now).execute(pool).await.map(|_| ())
        }.await).expect("the call-back");
        let follow_up = one(&app, "SELECT id FROM follow_ups WHERE conversation_id = 'canary-conversation' AND id > $1", 0).await;
        let personal = [CANARY_SURNAME, "77 Canary Row", CANARY_NOTE];

        let regional = browser_as(&app, REGIONAL).await;
        let csv = format!("/dashboard/export/{GSS}/follow-ups.csv");
        for path in [csv.clone(), format!("{csv}?kind=call_back"), format!("/dashboard/seats/{GSS}/follow-ups?kind=call_back")] {
            let (status, body) = app.page_with(&regional, &path).await;
            assert_eq!(status, 403, "{path} is not for regional staff");
            assert!(personal.iter().all(|p| !body.contains(p)), "{path}: {body}");
        }
        let form = [("gss_code", GSS.to_string()), ("id", follow_up.to_string())];
        assert_eq!(post(&app, &regional, "/api/follow_up_done", &form).await.0, 403);
        assert_eq!(post(&app, &regional, "/api/seat_follow_ups", &[("gss_code", GSS.to_string())]).await.0, 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE conversation_id = 'canary-conversation' AND status = 'open'").await, 1);
        // The seat dashboard gives them the counts, with no way into the lists.
        let (status, html) = app.page_with(&regional, &format!("/dashboard/seats/{GSS}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("data-stat=\"follow-ups-open\""), "the count is there");
        assert!(!html.contains(&format!("/dashboard/seats/{GSS}/follow-ups")) && !html.contains("follow-ups.csv"), "no link to the lists");
        assert!(personal.iter().all(|p| !html.contains(p)));
        let (status, wards) = app.page_with(&regional, &format!("/dashboard/export/{GSS}/wards.csv")).await;
        assert_eq!(status, 200, "figures are theirs: {wards}");

        // The seat's organiser gets the list and the CSV (the note defused), and marks it done.
        let organiser = browser_as(&app, ORGANISER).await;
        let (status, body) = app.page_with(&organiser, &format!("{csv}?kind=call_back")).await;
        assert_eq!(status, 200);
        assert!(body.contains(CANARY_SURNAME) && body.contains("77 Canary Row"), "{body}");
        assert!(body.contains(&format!("'\t={CANARY_NOTE}")), "a tab before a formula is defused: {body:?}");
        let (status, html) = app.page_with(&organiser, &format!("/dashboard/seats/{GSS}/follow-ups?kind=call_back")).await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains(CANARY_SURNAME));
        assert!(app.page_with(&organiser, &format!("/dashboard/seats/{GSS}")).await.1.contains("follow-ups.csv"));
        let (status, body) = post(&app, &organiser, "/api/follow_up_done", &form).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE conversation_id = 'canary-conversation' AND status = 'done'").await, 1);
        app.stop().await;
    }

    async fn access_a_volunteer_moved_to_another_seat_or_switched_off_loses_the_old_seat_at_once(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let seat = demo_seat(&app).await;
        let elsewhere = another_seat(&app, seat).await;
        let (list, door) = volunteers_list(&app).await;
        let user = app.count("SELECT id FROM users WHERE email = 'volunteer@demo.groundwork.example'").await;
        // A session of the seat the volunteer has a record in.
        let session = one(&app, "SELECT MIN(id) FROM canvass_sessions WHERE seat_id = $1", seat).await;
        let volunteer = browser_as(&app, VOLUNTEER).await;
        let admin = browser_as(&app, ADMIN).await;
        let reads = [format!("/walk/{list}"), format!("/walk/{list}/door/{door}"), format!("/sessions/{session}")];
        let statuses = |browser: reqwest::Client| {
            let (app, reads) = (&app, reads.clone());
            async move {
                let mut out = Vec::new();
                for path in &reads {
                    out.push(app.page_with(&browser, path).await.0);
                }
                let batch = browser.post(app.url("/api/doorstep/batch")).json(&entry(list, door)).send().await.expect("POST");
                out.push(batch.status().as_u16());
                let mine = browser.post(app.url("/api/my_walk_lists")).header(ACCEPT, "application/json").send().await.expect("POST");
                let mine: serde_json::Value = mine.json().await.unwrap_or_default();
                let listed = mine.as_array().is_some_and(|l| l.iter().any(|w| w["id"].as_i64() == Some(list)));
                (out, listed)
            }
        };
        assert_eq!(statuses(volunteer.clone()).await, (vec![200, 200, 200, 200], true), "before the move");

        // Moved to another seat: the same session loses the old seat's list, door, session.
        change_role(&app, &admin, user, "volunteer", elsewhere).await;
        assert_eq!(statuses(volunteer.clone()).await, (vec![403, 403, 403, 403], false), "after the move");
        let before = app.count("SELECT COUNT(*) FROM conversations").await;
        let form = [("id", uuid::Uuid::new_v4().to_string()), ("walk_list_id", list.to_string()),
                    ("household_id", door.to_string()), ("result", "not_in".to_string())];
        assert_eq!(post(&app, &volunteer, "/api/doorstep/record", &form).await.0, 403, "nor the door form");
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, before, "nothing stored");

        // Back on the seat, the assignment (kept) works again; switched off, nothing does.
        change_role(&app, &admin, user, "volunteer", seat).await;
        assert_eq!(statuses(volunteer.clone()).await.0, vec![200, 200, 200, 200], "moved back");
        let (status, body) = post(&app, &admin, "/api/set_active", &[("user_id", user.to_string()), ("active", "false".into())]).await;
        assert_eq!(status, 200, "{body}");
        let (after, listed) = statuses(volunteer.clone()).await;
        assert!(after.iter().all(|s| [302, 303, 401].contains(s)) && !listed, "switched off: {after:?}");
        app.stop().await;
    }

    async fn access_a_team_leader_moved_to_another_seat_loses_their_team_at_once(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let seat = demo_seat(&app).await;
        let elsewhere = another_seat(&app, seat).await;
        let leader = users::create(&app.store, NewUser {
            email: "tess.leader@example.org", display_name: "Tess Leader", password: PASSWORD, role: Role::TeamLeader,
        }).await.expect("team leader");
        users::give_patch(&app.store, leader, Patch::Seat(seat)).await.expect("patch");
        let team = one(&app, "INSERT INTO teams (seat_id, name, leader_user_id, created_at)
                              SELECT id, 'North team', $1, '2026-01-01T00:00:00Z' FROM seats WHERE gss_code = 'E14000611' RETURNING id", leader).await;
        let member = one(&app, "SELECT MIN(id) FROM volunteers WHERE seat_id = $1", seat).await;
        run(&app, "UPDATE volunteers SET team_id = $1 WHERE id = $2", team, member).await;
        let browser = browser_as(&app, "tess.leader@example.org").await;
        let pages = [format!("/seats/{GSS}/volunteers"), format!("/volunteers/{member}"), format!("/seats/{GSS}/sessions")];
        for path in &pages {
            assert_eq!(app.page_with(&browser, path).await.0, 200, "{path} before the move");
        }
        let admin = browser_as(&app, ADMIN).await;
        change_role(&app, &admin, leader, "team_leader", elsewhere).await;
        for path in &pages {
            let (status, html) = app.page_with(&browser, path).await;
            assert_eq!(status, 403, "{path} after the move");
            assert!(!html.contains("North team"), "{path}");
        }
        app.stop().await;
    }

    async fn access_organisers_unassign_and_close_walk_lists_and_both_are_audited(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let (list, door) = volunteers_list(&app).await;
        let volunteer = browser_as(&app, VOLUNTEER).await;
        let organiser = browser_as(&app, ORGANISER).await;
        let form = [("walk_list_id", list.to_string())];
        for who in [&volunteer, &browser_as(&app, REGIONAL).await] {
            assert_eq!(post(&app, who, "/api/turf/unassign", &form).await.0, 403);
            assert_eq!(post(&app, who, "/api/turf/close", &form).await.0, 403);
        }
        let mine = one(&app, "SELECT v.id FROM volunteers v JOIN users u ON u.id = v.user_id WHERE u.email = 'volunteer@demo.groundwork.example' AND v.id > $1", 0).await;
        // The lists are paged: the volunteer's are the ones filtered by them.
        let (_, turf) = app.page_with(&organiser, &format!("/seats/{GSS}/map?volunteer={mine}")).await;
        assert!(turf.contains(&format!("data-unassign=\"{list}\"")) && turf.contains(&format!("data-close=\"{list}\"")), "the buttons");

        let (status, body) = post(&app, &organiser, "/api/turf/unassign", &form).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(one(&app, "SELECT COUNT(*) FROM walk_list_assignments WHERE walk_list_id = $1", list).await, 0);
        assert_eq!(app.page_with(&volunteer, &format!("/walk/{list}/door/{door}")).await.0, 403, "gone from the volunteer at once");
        let (status, body) = post(&app, &organiser, "/api/turf/unassign", &form).await;
        assert!(status == 400 && body.contains("not assigned"), "{status} {body}");

        // Given back, then closed: nobody records on it.
        run(&app, "INSERT INTO walk_list_assignments (walk_list_id, volunteer_id) VALUES ($1, $2)", list, mine).await;
        assert_eq!(app.page_with(&volunteer, &format!("/walk/{list}")).await.0, 200);
        let (status, body) = post(&app, &organiser, "/api/turf/close", &form).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(app.page_with(&volunteer, &format!("/walk/{list}")).await.0, 403);
        let batch = volunteer.post(app.url("/api/doorstep/batch")).json(&entry(list, door)).send().await.expect("POST");
        assert_eq!(batch.status().as_u16(), 403);
        assert_eq!(post(&app, &organiser, "/api/turf/close", &form).await.0, 400, "already closed");
        let audited: Vec<(String,)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT reason FROM audit_log WHERE object_type = 'walk_list' AND object_id = $1 AND action = 'change' ORDER BY id")
            .bind(list.to_string()).fetch_all(pool).await).expect("audit");
        let audited: Vec<String> = audited.into_iter().map(|(r,)| r).collect();
        assert_eq!(audited.len(), 2, "{audited:?}");
        assert!(audited[0].starts_with("unassigned from ") && audited[0].contains("Val Volunteer"), "{audited:?}");
        assert_eq!(audited[1], "closed");
        app.stop().await;
    }
}
