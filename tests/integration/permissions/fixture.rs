//! The matrix's fixture: objects inside and outside each caller's patch, planted
//! values, a signed-in browser for each role, and the call itself.

use super::*;

/// Another region's seat with a door, an elector and an active list for someone else.
pub(super) async fn outside_objects(app: &TestApp) -> Objects {
    let store = &app.store;
    let id = |sql: &'static str| async move {
        let (id,): (i64,) =
            app::on_store!(store, pool => sqlx::query_as(sql).fetch_one(pool).await).expect(sql);
        id
    };
    id("INSERT INTO regions (name) VALUES ('Elsewhere') RETURNING id").await;
    let seat = id("INSERT INTO seats (gss_code, name, region_id, electorate, is_target)
                   SELECT 'E14009999', 'Otherby', id, 40000, TRUE FROM regions WHERE name = 'Elsewhere' RETURNING id")
        .await;
    let door = id("INSERT INTO households (seat_id, address_key, address1, postcode)
                   SELECT id, 'x:1', '1 Far Lane', 'ZZ1 1ZZ' FROM seats WHERE gss_code = 'E14009999' RETURNING id")
        .await;
    let elector = id("INSERT INTO electors (seat_id, household_id, pd_prefix, elector_number, first_name, surname)
                      SELECT seat_id, id, 'ZZ', 1, 'Far', 'Away' FROM households WHERE address_key = 'x:1' RETURNING id")
        .await;
    let list = id("INSERT INTO walk_lists (seat_id, name, status, created_at)
                   SELECT id, 'Far list', 'active', '2026-01-01T00:00:00Z' FROM seats WHERE gss_code = 'E14009999' RETURNING id")
        .await;
    app::on_store!(store, pool => sqlx::query(
        "INSERT INTO walk_list_households (walk_list_id, household_id, position) VALUES ($1, $2, 1)")
        .bind(list).bind(door).execute(pool).await.map(|_| ()))
    .expect("door on list");
    let (user,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "INSERT INTO users (email, display_name, password_hash, role, active, created_at)
         VALUES ('far.volunteer@example.org', 'Far Volunteer', 'x', 'volunteer', TRUE, '2026-01-01T00:00:00Z') RETURNING id")
        .fetch_one(pool).await).expect("user");
    users::give_patch(store, user, Patch::Seat(seat)).await.expect("patch");
    let (volunteer,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "INSERT INTO volunteers (seat_id, first_name, surname, created_at)
         VALUES ($1, 'Faraway', 'Helper', '2026-01-01T00:00:00Z') RETURNING id")
        .bind(seat).fetch_one(pool).await)
    .expect("volunteer");
    app::on_store!(store, pool => sqlx::query(
        "INSERT INTO invitations (code_hash, email, display_name, role, seat_id, created_at, expires_at)
         VALUES ('far-invitation', 'far.invited@example.org', 'Far Invited', 'volunteer', $1, '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z')")
        .bind(seat).execute(pool).await.map(|_| ()))
    .expect("an invitation to the far seat");
    let session = canvass_session(app, seat, None).await;
    Objects {
        gss: "E14009999",
        region: "Elsewhere",
        seat,
        list,
        door,
        elector,
        user,
        code: String::new(),
        volunteer,
        session,
    }
}

/// A session a week from now, for one team or for everyone.
pub(super) async fn canvass_session(app: &TestApp, seat: i64, team: Option<i64>) -> i64 {
    let starts = chrono::Utc::now() + chrono::Duration::days(7);
    let (id,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "INSERT INTO canvass_sessions (seat_id, title, starts_at, ends_at, meeting_point, team_id)
         VALUES ($1, 'Saturday canvass', $2, $3, 'The library', $4) RETURNING id")
        .bind(seat).bind(starts).bind(starts + chrono::Duration::hours(2)).bind(team).fetch_one(pool).await)
    .expect("session");
    id
}

pub(super) async fn fixture(app: &TestApp) -> Fixture {
    let store = &app.store;
    let (seat, list, door, volunteer): (i64, i64, i64, i64) = app::on_store!(store, pool => sqlx::query_as(
        "SELECT wl.seat_id, wl.id, (SELECT household_id FROM walk_list_households WHERE walk_list_id = wl.id ORDER BY position LIMIT 1), v.id
           FROM walk_lists wl JOIN walk_list_assignments a ON a.walk_list_id = wl.id
           JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
          WHERE u.email = $1 AND wl.status = 'active' ORDER BY wl.id LIMIT 1")
        .bind(VOLUNTEER).fetch_one(pool).await)
    .expect("the volunteer's list");
    let (elector,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "SELECT id FROM electors WHERE household_id = $1 ORDER BY id LIMIT 1").bind(door).fetch_one(pool).await)
    .expect("an elector at the door");
    let mut outside = outside_objects(app).await;
    let (admin, user): (i64, i64) = app::on_store!(store, pool => sqlx::query_as(
        "SELECT (SELECT id FROM users WHERE email = $1), (SELECT id FROM users WHERE email = $2)")
        .bind(ADMIN).bind(VOLUNTEER).fetch_one(pool).await)
    .expect("users");
    let admin = app::auth::CurrentUser {
        id: admin,
        email: ADMIN.into(),
        display_name: "Admin".into(),
        role: Role::Admin,
    };
    let code = app::people::invitations::invite(
        store,
        &admin,
        "invited@example.org",
        "Ivy Invited",
        Role::Volunteer,
        &format!("seat:{seat}"),
        chrono::Utc::now(),
    )
    .await
    .expect("invitation");
    outside.code = code.clone();

    // A team leader on the seat, on the volunteer's list too.
    let leader = users::create(
        store,
        NewUser {
            email: TEAM_LEADER,
            display_name: "Tess Leader",
            password: PASSWORD,
            role: Role::TeamLeader,
        },
    )
    .await
    .expect("team leader");
    users::give_patch(store, leader, Patch::Seat(seat)).await.expect("patch");
    app::on_store!(store, pool => async {
        let (v,): (i64,) = sqlx::query_as(
            "INSERT INTO volunteers (seat_id, user_id, first_name, surname, stage, created_at)
             VALUES ($1, $2, 'Tess', 'Leader', 'team_leader', '2026-01-01T00:00:00Z') RETURNING id")
            .bind(seat).bind(leader).fetch_one(pool).await?;
        sqlx::query("INSERT INTO walk_list_assignments (walk_list_id, volunteer_id) VALUES ($1, $2)")
            .bind(list).bind(v).execute(pool).await.map(|_| ())
    }.await)
    .expect("team leader on the list");
    // They lead the team the demo volunteer is in, and that team's session.
    let (team,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "INSERT INTO teams (seat_id, name, leader_user_id, created_at) VALUES ($1, 'North team', $2, '2026-01-01T00:00:00Z') RETURNING id")
        .bind(seat).bind(leader).fetch_one(pool).await).expect("team");
    app::on_store!(store, pool => sqlx::query("UPDATE volunteers SET team_id = $1 WHERE id = $2")
        .bind(team).bind(volunteer).execute(pool).await.map(|_| ()))
    .expect("in the team");
    let session = canvass_session(app, seat, Some(team)).await;

    // Each list has a printed sheet's code, for the paper returns screens.
    for l in [list, outside.list] {
        app::on_store!(store, pool => sqlx::query("UPDATE walk_lists SET code = $1 WHERE id = $2")
            .bind(format!("C{l}")).bind(l).execute(pool).await.map(|_| ()))
        .expect("code");
    }
    // A flagged (not held) doorstep entry on each seat, for the review routes.
    for (s, list, door) in [(seat, list, door), (outside.seat, outside.list, outside.door)] {
        let entry = json!({ "id": format!("review-{s}"), "walk_list_id": list, "household_id": door, "result": "not_in" });
        app::on_store!(store, pool => sqlx::query(
            "INSERT INTO doorstep_reviews (id, seat_id, walk_list_id, household_id, entry, result, reasons, held, made_at, received_at)
             VALUES ($1, $2, $3, $4, $5, 'not_in', '400 m from the address', FALSE, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
            .bind(format!("review-{s}")).bind(s).bind(list).bind(door).bind(entry.to_string())
            .execute(pool).await.map(|_| ()))
        .expect("review");
    }
    // A held register upload on each seat, for the preview routes.
    let preview = serde_json::to_string(&app::register::ImportReport::default()).expect("json");
    for s in [seat, outside.seat] {
        app::on_store!(store, pool => sqlx::query(
            "INSERT INTO register_uploads (id, seat_id, file_name, content, preview, created_at)
             VALUES ($1, $2, 'register.csv', $3, $4, '2026-01-01T00:00:00Z')")
            .bind(format!("upload-{s}")).bind(s).bind(b"Elector Number\n".to_vec()).bind(&preview)
            .execute(pool).await.map(|_| ()))
        .expect("upload");
    }
    plant_canaries(
        app,
        [
            (seat, list, door, elector, true),
            (outside.seat, outside.list, outside.door, outside.elector, false),
        ],
    )
    .await;
    Fixture {
        inside: Objects {
            gss: "E14000611",
            region: "North%20West",
            seat,
            list,
            door,
            elector,
            user,
            code,
            volunteer,
            session,
        },
        outside,
    }
}

/// Gives the elector at each door a recognisable surname and the door a recognisable
/// address, and records a conversation with them with a recognisable note and a call-back.
pub(super) async fn plant_canaries(app: &TestApp, places: [(i64, i64, i64, i64, bool); 2]) {
    for (seat, list, door, elector, inside) in places {
        let text = |field: Field| {
            CANARIES
                .iter()
                .find(|(f, i, _)| *f == field && *i == inside)
                .map(|(_, _, t)| t.to_string())
                .unwrap_or_default()
        };
        let id = format!("canary-{seat}");
        let at = chrono::Utc::now() - chrono::Duration::days(1);
        app::on_store!(&app.store, pool => async {
            sqlx::query("UPDATE electors SET surname = $1 WHERE id = $2").bind(text(Name)).bind(elector).execute(pool).await?;
            sqlx::query("UPDATE households SET address1 = $1 WHERE id = $2").bind(text(Address)).bind(door).execute(pool).await?;
            sqlx::query("INSERT INTO conversations (id, seat_id, household_id, elector_id, walk_list_id, result, notes, made_at, received_at)
                         VALUES ($1, $2, $3, $4, $5, 'spoke', $6, $7, $7)")
                .bind(&id).bind(seat).bind(door).bind(elector).bind(list).bind(text(Note)).bind(at).execute(pool).await?;
            sqlx::query("INSERT INTO follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at)
                         VALUES ($1, $2, $3, $4, 'call_back', 'open', $5)")
                .bind(&id).bind(seat).bind(door).bind(elector).bind(at).execute(pool).await.map(|_| ())
        }.await)
        .expect("canaries");
    }
}

pub(super) async fn browser_for(app: &TestApp, who: Who) -> reqwest::Client {
    let browser = app.new_browser();
    let email = match who {
        Anonymous => return browser,
        Volunteer => VOLUNTEER,
        TeamLeader => TEAM_LEADER,
        Organiser => ORGANISER,
        Regional => REGIONAL,
        Admin => ADMIN,
    };
    let response = app.sign_in_with(&browser, email, PASSWORD).await;
    assert!(response.status().is_redirection(), "{who:?} signs in");
    browser
}

/// Sends the call and says whether it got past the permission checks. A public route
/// has no check to refuse at, so its "not found" (no service worker in a test build)
/// is not a refusal.
pub(super) async fn send(
    app: &TestApp,
    browser: &reqwest::Client,
    call: Call,
    public: bool,
) -> Result<(bool, String), String> {
    let request = match &call {
        Call::Get(path) => browser.get(app.url(path)).header(ACCEPT, "text/html"),
        Call::Form(path, fields) => browser.post(app.url(path)).form(fields),
        Call::Json(path, body) => browser.post(app.url(path)).json(body),
        Call::Upload(path) => {
            let part = reqwest::multipart::Part::bytes(b"Elector Number\r\n".to_vec()).file_name("r.csv");
            browser.post(app.url(path)).multipart(reqwest::multipart::Form::new().part("file", part))
        }
    };
    let response = request.send().await.map_err(|e| format!("{call:?}: {e}"))?;
    let status = response.status().as_u16();
    let to_login = response
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.starts_with("/login"));
    let body = response.text().await.unwrap_or_default();
    match status {
        404 if public => Ok((true, body)),
        401 | 403 | 404 => Ok((false, body)),
        300..=399 if to_login => Ok((false, body)),
        200..=400 => Ok((true, body)),
        _ => Err(format!("{call:?} answered {status}: {body}")),
    }
}
