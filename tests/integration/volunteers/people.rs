//! The volunteer record: the ladder with its dates, prospects from the doorstep, who
//! a team leader sees, the CSV import and export, and the edit form.

use super::*;

on_both_databases! {
    async fn volunteers_each_step_up_the_ladder_is_dated_and_a_late_entry_does_not_overtake(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let id = add(&app, &organiser, "Ada", "Lovelace").await;
        assert_eq!(stage_of(&app, id).await, "prospect");
        let now = Utc::now();
        queries::move_stage(&app.store, id, Stage::Regular, now, Some(organiser.id), None).await.expect("regular");
        // Recorded late, dated earlier: it goes into the history without overtaking.
        queries::move_stage(&app.store, id, Stage::FirstSession, now - Duration::days(60), Some(organiser.id), Some("late")).await.expect("first");
        assert_eq!(stage_of(&app, id).await, "regular");
        let steps: Vec<(String, DateTime<Utc>)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT stage, at FROM volunteer_stages WHERE volunteer_id = $1 ORDER BY at, id").bind(id).fetch_all(pool).await)
            .expect("steps");
        let stages: Vec<&str> = steps.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(stages, ["first_session", "prospect", "regular"]);
        assert!((steps[0].1 - (now - Duration::days(60))).num_seconds().abs() < 2, "the step keeps its date");

        // Through the page's form, as a browser without JavaScript sends it.
        app.sign_in(ORGANISER).await;
        let from = format!("/volunteers/{id}");
        let (_, location) = post_form(&app, &app.client, "/api/volunteer_stage", &from,
            &[("id", id.to_string()), ("stage", "team_leader".into()), ("on", "2026-01-10".into()), ("note", "leads Ramsbottom".into())]).await;
        assert_eq!(error_in(&location), None, "{location}");
        assert_eq!(stage_of(&app, id).await, "regular", "dated before the regular step, so it does not overtake");
        let today = app::canvass_session::uk_time::local(Utc::now()).date().format("%Y-%m-%d").to_string();
        let (_, location) = post_form(&app, &app.client, "/api/volunteer_stage", &from,
            &[("id", id.to_string()), ("stage", "team_leader".into()), ("on", today)]).await;
        assert_eq!(error_in(&location), None, "{location}");
        assert_eq!(stage_of(&app, id).await, "team_leader");
        let tomorrow_week = (Utc::now() + Duration::days(7)).format("%Y-%m-%d").to_string();
        let (_, location) = post_form(&app, &app.client, "/api/volunteer_stage", &from,
            &[("id", id.to_string()), ("stage", "organiser".into()), ("on", tomorrow_week)]).await;
        assert!(error_in(&location).is_some_and(|e| e.contains("future")), "{location}");
        assert_eq!(stage_of(&app, id).await, "team_leader");

        let (status, html) = app.page(&from).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("Ada Lovelace") && main.contains("leads Ramsbottom") && main.contains("Sat 10 Jan 2026"), "{main}");
        app.stop().await;
    }

    async fn volunteers_ready_for_more_and_gone_quiet_are_found(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let keen = add(&app, &organiser, "Keen", "Kestrel").await;
        let quiet = add(&app, &organiser, "Quiet", "Quail").await;
        queries::move_stage(&app.store, keen, Stage::FirstSession, Utc::now(), None, None).await.expect("step");
        queries::move_stage(&app.store, quiet, Stage::Regular, Utc::now(), None, None).await.expect("step");
        for days in [20, 13, 6] {
            let s = session(&app, Duration::days(-days), None, "Library").await;
            app::on_store!(&app.store, pool => sqlx::query(
                "INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, hours) VALUES ($1, $2, TRUE, 3.0)")
                .bind(s).bind(keen).execute(pool).await.map(|_| ())).expect("came");
        }
        let s = session(&app, Duration::days(-42), None, "Library").await;
        app::on_store!(&app.store, pool => sqlx::query(
            "INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, hours) VALUES ($1, $2, TRUE, 3.0)")
            .bind(s).bind(quiet).execute(pool).await.map(|_| ())).expect("came");

        let list = |show: Show, weeks: i64| {
            let organiser = organiser.clone();
            let app = &app;
            async move {
                let filter = ListFilter { show, weeks, ..ListFilter::default() };
                queries::list(&app.store, &organiser, GSS, filter, Utc::now()).await.expect("list")
            }
        };
        let ready = list(Show::Ready, 4).await;
        let keen_row = ready.volunteers.iter().find(|v| v.id == keen).expect("three sessions at first session: ready");
        assert_eq!(keen_row.ready_for(), Some(Stage::Regular));
        assert_eq!(keen_row.attended, 3);
        assert!(!ready.volunteers.iter().any(|v| v.id == quiet));
        let quiet4 = list(Show::Quiet, 4).await;
        assert!(quiet4.volunteers.iter().any(|v| v.id == quiet), "six weeks without a session is quiet at 4 weeks");
        assert!(!quiet4.volunteers.iter().any(|v| v.id == keen));
        assert!(!list(Show::Quiet, 8).await.volunteers.iter().any(|v| v.id == quiet), "but not at 8 weeks");

        app.sign_in(ORGANISER).await;
        let (status, html) = app.page(&format!("/seats/{GSS}/volunteers?show=ready")).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("Keen Kestrel") && main.contains("Ready: Regular") && !main.contains("Quiet Quail"), "{main}");
        app.stop().await;
    }

    async fn volunteers_a_doorstep_conversation_makes_one_prospect_however_often_asked(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        // A volunteer records a conversation on their list, as the phone does.
        app.sign_in(VOLUNTEER).await;
        let (list, household, elector, first, surname, ward): (i64, i64, i64, String, String, i64) =
            app::on_store!(&app.store, pool => sqlx::query_as(
                "SELECT wl.id, e.household_id, e.id, e.first_name, e.surname, pd.ward_id
                   FROM walk_lists wl
                   JOIN walk_list_assignments a ON a.walk_list_id = wl.id
                   JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
                   JOIN walk_list_households wh ON wh.walk_list_id = wl.id
                   JOIN electors e ON e.household_id = wh.household_id
                   JOIN polling_districts pd ON pd.id = e.polling_district_id
                  WHERE u.email = $1 AND wl.status = 'active' ORDER BY wh.position, e.id LIMIT 1")
                .bind(VOLUNTEER).fetch_one(pool).await).expect("a door with an elector");
        let conversation = uuid::Uuid::new_v4().to_string();
        let response = app.client.post(app.url("/api/doorstep/batch"))
            .json(&json!({ "entries": [{ "id": conversation, "walk_list_id": list, "household_id": household,
                "result": "spoke", "elector_id": elector, "intention": "lab", "intention_source": "said" }] }))
            .send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 200);

        let contact = ProspectContact { phone: Some("07700 900123".into()), consents: vec![Purpose::Sessions], ..ProspectContact::default() };
        let first_time = queries::prospect_from_doorstep(&app.store, &conversation, contact.clone(), None).await.expect("prospect");
        assert!(first_time.created);
        for _ in 0..2 {
            let again = queries::prospect_from_doorstep(&app.store, &conversation, contact.clone(), None).await.expect("again");
            assert_eq!(again.volunteer_id, first_time.volunteer_id);
            assert!(!again.created);
        }
        let (n, stages, consents): (i64, i64, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM volunteers WHERE conversation_id = $1),
                    (SELECT COUNT(*) FROM volunteer_stages vs JOIN volunteers v ON v.id = vs.volunteer_id WHERE v.conversation_id = $1),
                    (SELECT COUNT(*) FROM volunteer_consents c JOIN volunteers v ON v.id = c.volunteer_id WHERE v.conversation_id = $1)")
            .bind(&conversation).fetch_one(pool).await).expect("counts");
        assert_eq!((n, stages, consents), (1, 1, 1), "one prospect, one step, one consent");
        let record = queries::record(&app.store, first_time.volunteer_id).await.expect("record");
        assert_eq!((record.first_name.as_str(), record.surname.as_str()), (first.as_str(), surname.as_str()));
        assert_eq!((record.ward_id, record.elector_id, record.stage.as_str(), record.heard_from.as_str()), (Some(ward), Some(elector), "prospect", "doorstep"));
        assert_eq!(record.conversation_id.as_deref(), Some(conversation.as_str()));
        assert!(record.met_at.is_some());

        // The organiser finds them among the new prospects from the doorstep.
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let (_, html) = app.page_with(&organiser, &format!("/seats/{GSS}/volunteers?show=doorstep")).await;
        let main = main_of(&html);
        assert!(main.contains(&format!("{first} {surname}")) && main.contains("doorstep"), "{main}");
        assert!(queries::prospect_from_doorstep(&app.store, "no-such-conversation", ProspectContact::default(), None).await.is_err());
        app.stop().await;
    }

    async fn teams_a_team_leader_sees_only_their_own_team(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let (leader_a, browser_a) = account(&app, "lead.a@example.org", "Lena Lead", Role::TeamLeader).await;
        let (leader_b, _) = account(&app, "lead.b@example.org", "Ben Lead", Role::TeamLeader).await;
        let team_a = queries::create_team(&app.store, &organiser, GSS, "Ramsbottom", Some(leader_a.id)).await.expect("team a");
        let team_b = queries::create_team(&app.store, &organiser, GSS, "Tottington", Some(leader_b.id)).await.expect("team b");
        assert!(queries::create_team(&app.store, &organiser, GSS, "ramsbottom", None).await.is_err(), "names are unique in a seat");
        assert!(queries::create_team(&app.store, &leader_a, GSS, "Mine", None).await.is_err(), "team leaders do not make teams");
        let mine = add(&app, &organiser, "Mina", "Member").await;
        let theirs = add(&app, &organiser, "Theo", "Other").await;
        queries::set_team(&app.store, mine, Some(team_a)).await.expect("team");
        queries::set_team(&app.store, theirs, Some(team_b)).await.expect("team");

        let (status, html) = app.page_with(&browser_a, &format!("/seats/{GSS}/volunteers")).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("Mina Member") && !main.contains("Theo Other"), "{main}");
        assert_eq!(app.page_with(&browser_a, &format!("/volunteers/{mine}")).await.0, 200);
        assert_eq!(app.page_with(&browser_a, &format!("/volunteers/{theirs}")).await.0, 403);
        assert_eq!(app.page_with(&browser_a, &format!("/seats/{GSS}/volunteers.csv")).await.0, 403);
        // A volunteer the leader adds joins their team.
        let added = add(&app, &leader_a, "New", "Recruit").await;
        assert_eq!(queries::record(&app.store, added).await.expect("record").team_id, Some(team_a));

        // Sessions: their team's, not the other team's.
        let ours = session(&app, Duration::days(4), None, "Ramsbottom Civic Hall").await;
        let other = session(&app, Duration::days(5), None, "Tottington Library").await;
        for (s, t) in [(ours, team_a), (other, team_b)] {
            app::on_store!(&app.store, pool => sqlx::query("UPDATE canvass_sessions SET team_id = $2 WHERE id = $1")
                .bind(s).bind(t).execute(pool).await.map(|_| ())).expect("team session");
        }
        assert_eq!(app.page_with(&browser_a, &format!("/sessions/{ours}")).await.0, 200);
        assert_eq!(app.page_with(&browser_a, &format!("/sessions/{other}")).await.0, 403);
        let (_, html) = app.page_with(&browser_a, &format!("/seats/{GSS}/sessions")).await;
        let main = main_of(&html);
        assert!(main.contains(&format!("data-session=\"{ours}\"")) && !main.contains(&format!("data-session=\"{other}\"")));
        let (_, location) = post_form(&app, &browser_a, "/api/canvass_session_sign_up", &format!("/sessions/{other}"),
            &[("session_id", other.to_string()), ("volunteer_id", mine.to_string())]).await;
        assert!(error_in(&location).is_some(), "{location}");

        // A volunteer sees no volunteer list and no one's page; nor do regional staff.
        app.sign_in(VOLUNTEER).await;
        assert_eq!(app.page(&format!("/seats/{GSS}/volunteers")).await.0, 403);
        assert_eq!(app.page(&format!("/volunteers/{mine}")).await.0, 403);
        assert_eq!(app.page(&format!("/seats/{GSS}/volunteers.csv")).await.0, 403);
        let regional = app.new_browser();
        app.sign_in_with(&regional, REGIONAL, PASSWORD).await;
        assert_eq!(app.page_with(&regional, &format!("/seats/{GSS}/volunteers")).await.0, 403);

        // Each view of a volunteer's page is on the record.
        let (views,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND object_type = 'volunteer' AND object_id = $1 AND user_id = $2")
            .bind(mine.to_string()).bind(leader_a.id).fetch_one(pool).await).expect("audit");
        assert_eq!(views, 1);
        app.stop().await;
    }

    async fn volunteers_csv_round_trips_and_a_bad_row_is_named_by_line_and_column(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let ada = add(&app, &organiser, "Ada", "Lovelace").await;
        queries::record_consents(&app.store, ada, &[(Purpose::Sessions, true)], "in person", Some(organiser.id), Utc::now()).await.expect("consent");
        app::on_store!(&app.store, pool => sqlx::query("UPDATE volunteers SET phone = '+44 7700 900123' WHERE id = $1")
            .bind(ada).execute(pool).await.map(|_| ())).expect("phone");
        app.sign_in(ORGANISER).await;
        let export = app.client.get(app.url(&format!("/seats/{GSS}/volunteers.csv"))).send().await.expect("GET");
        assert_eq!(export.status().as_u16(), 200);
        let text = export.text().await.expect("csv");
        let total = app.count("SELECT COUNT(*) FROM volunteers").await;
        assert_eq!(text.lines().count() as i64, total + 1, "a header and a row each");
        assert!(text.contains("'+44 7700 900123"), "a phone number is defused for spreadsheets");
        assert!(text.lines().any(|l| l.starts_with(&format!("{ada},Ada,Lovelace,")) && l.contains(",yes,,,")), "{text}");

        let upload = |body: String| {
            let part = reqwest::multipart::Part::text(body).file_name("volunteers.csv");
            let form = reqwest::multipart::Form::new().part("file", part);
            let client = app.client.clone();
            let url = app.url(&format!("/seats/{GSS}/volunteers/import"));
            async move {
                let response = client.post(url).multipart(form).send().await.expect("POST");
                response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string()
            }
        };
        // The export reads back with nothing to change.
        let location = upload(text.clone()).await;
        let location = app.url(&location);
        assert_eq!(query_param(&location, "imported"), Some(format!("0,0,{total}")), "{location}");
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_consents").await, 1);

        // Bad rows: every one named by line and column, and nothing written.
        let bad = "first_name,surname,email,ward,stage,consent_news\n\
                   Grace,Hopper,grace@example.org,,regular,yes\n\
                   Alan,Turing,alan-at-example,,,\n\
                   Mary,Somerville,,Atlantis,,\n\
                   Ada,\"Byron, Countess\",,,captain,maybe\n";
        let location = app.url(&upload(bad.into()).await);
        let errors = query_param(&location, "import_errors").expect("errors listed");
        assert!(errors.contains("Line 3, email: \"alan-at-example\" is not an email address"), "{errors}");
        assert!(errors.contains("Line 4, ward: \"Atlantis\" is not a ward of this seat"), "{errors}");
        assert!(errors.contains("Line 5, stage") && errors.contains("Line 5, consent_news"), "{errors}");
        assert_eq!(query_param(&location, "rejected").as_deref(), Some("4"));
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteers").await, total, "all or nothing");
        let (_, html) = app.page(&location.replace(&app.base, "")).await;
        assert!(main_of(&html).contains("Nothing was imported"));

        // A good file: one added, one updated with a consent recorded as from the import.
        let good = format!("id,first_name,surname,email,stage,consent_news,availability,drives\n\
                            ,Grace,Hopper,grace@example.org,regular,yes,sat_am wed_eve,yes\n\
                            {ada},Ada,Lovelace,ada@example.org,first_session,no,,\n");
        let location = app.url(&upload(good).await);
        assert_eq!(query_param(&location, "imported"), Some("1,1,0".into()), "{location}");
        let (stage, availability, drives): (String, String, bool) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT stage, availability, drives FROM volunteers WHERE email = 'grace@example.org'").fetch_one(pool).await).expect("grace");
        assert_eq!((stage.as_str(), availability.as_str(), drives), ("regular", "wed_eve sat_am", true));
        assert_eq!(stage_of(&app, ada).await, "first_session");
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_consents WHERE source = 'CSV import'").await, 2);
        let (exports,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND reason LIKE 'volunteers CSV%'").fetch_one(pool).await).expect("audit");
        assert_eq!(exports, 1);
        app.stop().await;
    }

    async fn volunteers_the_edit_form_saves_availability_skills_and_needs(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let id = add(&app, &organiser, "Ada", "Lovelace").await;
        let team = queries::create_team(&app.store, &organiser, GSS, "Ramsbottom", None).await.expect("team");
        let form = |team: i64| {
            vec![
                ("first_name", "Ada".to_string()), ("surname", "Lovelace".into()), ("email", "Ada@Example.org".into()),
                ("phone", "07700 900123".into()), ("availability", "sat_am".into()), ("availability", "wed_eve".into()),
                ("drives", "on".into()), ("languages", "Urdu, Polish".into()), ("needs", "can't do stairs".into()),
                ("heard_from", "friend".into()), ("team_id", team.to_string()),
            ]
        };
        app.sign_in(ORGANISER).await;
        let response = app.client.post(app.url(&format!("/volunteers/{id}/edit"))).form(&form(team)).send().await.expect("POST");
        let location = response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
        assert!(location.ends_with("?saved=1"), "{location}");
        let v = queries::record(&app.store, id).await.expect("record");
        assert_eq!((v.email.as_deref(), v.availability.as_str(), v.drives), (Some("ada@example.org"), "wed_eve sat_am", true));
        assert_eq!((v.languages.as_str(), v.needs.as_str(), v.heard_from.as_str(), v.team_id), ("Urdu, Polish", "can't do stairs", "friend", Some(team)));
        // A bad email comes back as a message, and nothing changes.
        let mut bad = form(team);
        bad[2].1 = "not-an-email".into();
        let response = app.client.post(app.url(&format!("/volunteers/{id}/edit"))).form(&bad).send().await.expect("POST");
        let location = response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
        assert!(location.contains("error="), "{location}");
        assert_eq!(queries::record(&app.store, id).await.expect("record").email.as_deref(), Some("ada@example.org"));
        // A volunteer cannot edit anyone.
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        let response = volunteer.post(app.url(&format!("/volunteers/{id}/edit"))).form(&form(team)).send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 403);
        let (changes,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'change' AND object_type = 'volunteer' AND object_id = $1")
            .bind(id.to_string()).fetch_one(pool).await).expect("audit");
        assert_eq!(changes, 1);
        app.stop().await;
    }
}
