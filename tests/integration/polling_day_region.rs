//! Polling day across a region, and knock-up results from the phone's outbox, through the
//! real server: two seats with known tellings, counts and knock-up answers give exact
//! figures, the neediest seat first, to admins and the region's own staff only; results
//! sent twice from a phone are stored once.

use chrono::Utc;
use groundwork_tests::*;
use serde_json::{json, Value};

const SEAT: &str = "E14000611";

async fn exec(app: &TestApp, sql: &'static str, binds: &[i64]) -> i64 {
    app::on_store!(&app.store, pool => {
        let mut q = sqlx::query_as::<_, (i64,)>(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.fetch_one(pool).await
    })
    .expect(sql)
    .0
}

/// A seat of `region` with one polling district (`code`), one station and one box, and
/// `electors` electors numbered 1…; electors 1..=`promises` said they are ours (firmly).
async fn seat(
    app: &TestApp,
    region: i64,
    gss: &'static str,
    name: &'static str,
    code: &'static str,
    electors: i64,
    promises: i64,
) -> (i64, i64, i64) {
    let store = &app.store;
    let (party, _) = app::dashboard::queries::our_party(store).await.expect("our party");
    let ids: (i64, i64, i64, i64) = app::on_store!(store, pool => async {
        let (seat,): (i64,) = sqlx::query_as("INSERT INTO seats (gss_code, name, region_id, electorate, is_target) VALUES ($1, $2, $3, 40000, TRUE) RETURNING id")
            .bind(gss).bind(name).bind(region).fetch_one(pool).await?;
        let (ward,): (i64,) = sqlx::query_as("INSERT INTO wards (seat_id, gss_code, name) VALUES ($1, $2, 'Ward') RETURNING id")
            .bind(seat).bind(format!("W{gss}")).fetch_one(pool).await?;
        let (district,): (i64,) = sqlx::query_as("INSERT INTO polling_districts (ward_id, code, name) VALUES ($1, $2, 'District') RETURNING id")
            .bind(ward).bind(code).fetch_one(pool).await?;
        let (station,): (i64,) = sqlx::query_as("INSERT INTO polling_stations (seat_id, name) VALUES ($1, 'Hall') RETURNING id")
            .bind(seat).fetch_one(pool).await?;
        let (ballot_box,): (i64,) = sqlx::query_as("INSERT INTO ballot_boxes (seat_id, polling_district_id, station_id, label) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(seat).bind(district).bind(station).bind(code).fetch_one(pool).await?;
        Ok::<_, sqlx::Error>((seat, district, station, ballot_box))
    }.await).expect("seat");
    let (seat, district, station, ballot_box) = ids;
    for n in 1..=electors {
        app::on_store!(store, pool => async {
            let (household,): (i64,) = sqlx::query_as("INSERT INTO households (seat_id, polling_district_id, address_key, address1) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(seat).bind(district).bind(format!("k:{n}")).bind(format!("{n} Canarywood Road")).fetch_one(pool).await?;
            let (elector,): (i64,) = sqlx::query_as("INSERT INTO electors (seat_id, household_id, polling_district_id, pd_prefix, elector_number, first_name, surname) VALUES ($1, $2, $3, $4, $5, 'Test', 'Canarywood') RETURNING id")
                .bind(seat).bind(household).bind(district).bind(code).bind(n).fetch_one(pool).await?;
            if n <= promises {
                sqlx::query("INSERT INTO conversations (id, seat_id, household_id, elector_id, result, intention, intention_source, firmness, made_at, received_at) VALUES ($1, $2, $3, $4, 'spoke', $5, 'said', 5, $6, $6)")
                    .bind(uuid::Uuid::now_v7().to_string()).bind(seat).bind(household).bind(elector).bind(&party).bind(Utc::now()).execute(pool).await?;
            }
            Ok::<_, sqlx::Error>(())
        }.await).expect("elector");
    }
    (seat, station, ballot_box)
}

/// Tells electors by their number, and says elector `voted_at_door` told a knocker "voted".
async fn tell(app: &TestApp, seat: i64, station: i64, numbers: &[i64], voted_at_door: Option<i64>) {
    for n in numbers {
        app::on_store!(&app.store, pool => sqlx::query(
            "INSERT INTO telling_entries (id, seat_id, station_id, typed, elector_id, made_at, received_at)
             SELECT $1, $2, $3, 'typed', id, $4, $4 FROM electors WHERE seat_id = $2 AND elector_number = $5")
            .bind(uuid::Uuid::now_v7().to_string()).bind(seat).bind(station).bind(Utc::now()).bind(*n)
            .execute(pool).await.map(|_| ()))
        .expect("told");
    }
    if let Some(n) = voted_at_door {
        app::on_store!(&app.store, pool => sqlx::query(
            "INSERT INTO knock_up_results (id, seat_id, elector_id, result, made_at, received_at)
             SELECT $1, $2, id, 'voted', $3, $3 FROM electors WHERE seat_id = $2 AND elector_number = $4")
            .bind(uuid::Uuid::now_v7().to_string()).bind(seat).bind(Utc::now()).bind(n)
            .execute(pool).await.map(|_| ()))
        .expect("voted at the door");
    }
}

fn col(card: &str, name: &str) -> String {
    let at = card.find(&format!("data-col=\"{name}\"")).unwrap_or_else(|| panic!("{name} in {card}"));
    let rest = &card[at..];
    let inner = &rest[rest.find('>').expect("tag") + 1..rest.find("</dd>").expect("end")];
    // Leptos marks text nodes with comments; only the words matter.
    inner.split("<!--").map(|p| p.split("-->").last().unwrap_or("")).collect::<String>()
}

on_both_databases! {
    async fn a_regions_polling_day_gives_each_seats_exact_figures_the_neediest_first(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let region = exec(&app, "INSERT INTO regions (name) VALUES ('Test Shire') RETURNING id", &[]).await;
        // Alpha: 12 electors, 8 promises. Told: promises 1–3 and two others; a knocker
        // heard "voted" from promise 4. The box count is 10, so the tellers saw half the
        // voters: 3 promises told ÷ 0.5 = 6 estimated voted, 4 known.
        let (alpha, a_station, a_box) = seat(&app, region, "E14008001", "Alpha North", "QA", 12, 8).await;
        tell(&app, alpha, a_station, &[1, 2, 3, 9, 10], Some(4)).await;
        app::on_store!(&app.store, pool => sqlx::query("INSERT INTO ballot_box_counts (box_id, at_time, papers, recorded_at) VALUES ($1, '15:00', 10, $2)")
            .bind(a_box).bind(Utc::now()).execute(pool).await.map(|_| ())).expect("count");
        app::on_store!(&app.store, pool => sqlx::query("INSERT INTO seat_results (seat_id, year, winner, runner_up, winner_votes, runner_up_votes, majority, electorate, valid_votes) VALUES ($1, 2019, 'Con', 'Lab', 20000, 19000, 1000, 60000, 42000)")
            .bind(alpha).execute(pool).await.map(|_| ())).expect("result");
        // Beta: 10 electors, 5 promises, promise 1 and elector 6 told, no box count (so
        // only those seen are counted) and no last result (so no win number).
        let (beta, b_station, _) = seat(&app, region, "E14008002", "Beta South", "QB", 10, 5).await;
        tell(&app, beta, b_station, &[1, 6], None).await;
        // Gamma has no polling-day set-up.
        exec(&app, "INSERT INTO seats (gss_code, name, region_id, is_target) VALUES ('E14008003', 'Gamma', $1, TRUE) RETURNING id", &[region]).await;
        let (_, our_name) = app::dashboard::queries::our_party(&app.store).await.expect("party");
        let (win, _) = app::polling_day::queries::win_and_turnout(&app.store, alpha, &our_name).await.expect("win");
        let win = win.expect("Alpha has a win number");

        app.sign_in(ADMIN).await;
        let r = app.client.post(app.url("/api/region_polling_day")).form(&[("region", "Test Shire")]).send().await.expect("post");
        assert_eq!(r.status().as_u16(), 200);
        let day: Value = r.json().await.expect("json");
        let seats = day["seats"].as_array().expect("seats");
        assert_eq!(seats.len(), 2, "Gamma is not set up: {day}");
        assert_eq!(day["not_set_up"], 1);
        let a = &seats[0];
        assert_eq!(a["name"], "Alpha North", "a seat with a win number to chase comes first");
        assert_eq!((a["promises"].as_i64(), a["known_voted"].as_i64()), (Some(8), Some(4)));
        assert_eq!(a["estimated_voted"].as_f64(), Some(6.0));
        assert_eq!(a["coverage"].as_f64(), Some(0.5));
        assert_eq!((a["papers_counted"].as_i64(), a["told_counted"].as_i64()), (Some(10), Some(5)));
        assert_eq!(a["still_needed"].as_i64(), Some((win - 6).max(0)));
        let b = &seats[1];
        assert_eq!(b["name"], "Beta South");
        assert_eq!((b["promises"].as_i64(), b["known_voted"].as_i64(), b["estimated_voted"].as_f64()), (Some(5), Some(1), Some(1.0)));
        assert!(b["coverage"].is_null() && b["still_needed"].is_null(), "{b}");

        let (status, html) = app.page("/regions/Test%20Shire/polling-day").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        let card = |gss: &str| main.split(&format!("data-seat=\"{gss}\"")).nth(1).and_then(|s| s.split("</li>").next()).expect("card").to_string();
        let alpha_card = card("E14008001");
        assert_eq!(col(&alpha_card, "estimated"), "6");
        assert_eq!(col(&alpha_card, "coverage"), "50%");
        assert_eq!(col(&alpha_card, "still-needed"), format!("{} / {}", app::format::thousands((win - 6).max(0)), app::format::thousands(win)));
        assert_eq!(col(&card("E14008002"), "coverage"), "—");
        assert!(main.find("E14008001") < main.find("E14008002"), "the neediest first");
        assert!(main.contains("estimated voted (54% of promises)"), "the region's estimate, 7 of 13 promises");
        assert!(!main.contains("Canarywood"), "no voter's name or street");
        assert!(html.contains("http-equiv=\"refresh\""), "the wall screen refreshes itself");
        let (status, wall) = app.page("/regions/Test%20Shire/polling-day/wall").await;
        assert_eq!(status, 200);
        assert!(wall.contains("region-poll wall"));

        // The demo's regional staff: their own region's figures, not another region's.
        let regional = app.new_browser();
        app.sign_in_with(&regional, REGIONAL, PASSWORD).await;
        let (status, _) = app.page_with(&regional, "/regions/Test%20Shire/polling-day").await;
        assert_eq!(status, 403);
        let (own,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT r.name FROM regions r JOIN seats s ON s.region_id = r.id WHERE s.gss_code = $1").bind(SEAT).fetch_one(pool).await).expect("region");
        let (status, html) = app.page_with(&regional, &format!("/regions/{}/polling-day", own.replace(' ', "%20"))).await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains(&format!("data-seat=\"{SEAT}\"")), "the demo seat's polling day is in its region");
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let (status, _) = app.page_with(&organiser, &format!("/regions/{}/polling-day", own.replace(' ', "%20"))).await;
        assert_eq!(status, 403, "organisers have their seat's dashboard");
        app.stop().await;
    }

    async fn knock_up_results_from_the_phones_outbox_are_stored_once_and_strike_off(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (_, html) = app.page(&format!("/poll/{SEAT}/knock-up")).await;
        let main = main_of(&html);
        assert!(main.contains("data-knock-up=\"\""), "the round is the outbox's list");
        assert!(html.contains("src=\"/knock-up.js\""), "the outbox script is loaded");
        let shared = html.find("src=\"/outbox.js\"").expect("the shared outbox is loaded");
        assert!(shared < html.find("src=\"/knock-up.js\"").expect("script"), "before the script that uses it");
        let electors: Vec<i64> = main.split("data-elector=\"").skip(1).filter_map(|s| s.split('"').next()?.parse().ok()).collect();
        assert!(electors.len() >= 2);
        // Without a district the page opens the one with most left: name this one.
        let district = main.split("name=\"district\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("district").to_string();
        let walk = main.split("name=\"walk\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("walk").to_string();
        let earlier = Utc::now() - chrono::Duration::minutes(20);
        let (voted, not_in) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
        let batch = json!({ "gss_code": SEAT, "results": [
            { "id": voted, "elector_id": electors[0], "result": "voted", "made_at": earlier },
            { "id": not_in, "elector_id": electors[1], "result": "not_in" },
        ]});
        let send = |body: Value| {
            let request = app.client.post(app.url("/api/polling-day/knock-up")).json(&body);
            async move {
                let r = request.send().await.expect("batch");
                (r.status().as_u16(), r.text().await.expect("body"))
            }
        };
        // The demo's simulated day has knock-up results of its own.
        let base = app.count("SELECT COUNT(*) FROM knock_up_results").await;
        let (status, body) = send(batch.clone()).await;
        assert_eq!((status, body.as_str()), (200, "{\"stored\":2,\"already_had\":0}"));
        // The phone never heard back and sends the batch again: nothing stored twice.
        let (_, body) = send(batch).await;
        assert_eq!(body, "{\"stored\":0,\"already_had\":2}");
        assert_eq!(app.count("SELECT COUNT(*) FROM knock_up_results").await, base + 2);
        let made: (chrono::DateTime<Utc>,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT made_at FROM knock_up_results WHERE id = $1").bind(&voted).fetch_one(pool).await).expect("made_at");
        assert!((made.0 - earlier).num_seconds().abs() <= 1, "the phone's clock is kept");

        let (_, html) = app.page(&format!("/poll/{SEAT}/knock-up?district={district}&walk={walk}")).await;
        let main = main_of(&html);
        assert!(!main.contains(&format!("data-elector=\"{}\"", electors[0])), "voted: struck off");
        assert!(main.contains(&format!("data-elector=\"{}\"", electors[1])), "not in: knocked again");

        // A voter outside the knocker's room refuses the batch; so does a made-up result.
        let (outside,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT e.id FROM electors e JOIN ballot_boxes b ON b.polling_district_id = e.polling_district_id
              WHERE b.committee_room_id <> (SELECT committee_room_id FROM polling_day_helpers WHERE committee_room_id IS NOT NULL) LIMIT 1")
            .fetch_one(pool).await).expect("outside");
        let (status, _) = send(json!({ "gss_code": SEAT, "results": [
            { "id": uuid::Uuid::now_v7().to_string(), "elector_id": electors[1], "result": "will_vote" },
            { "id": uuid::Uuid::now_v7().to_string(), "elector_id": outside, "result": "voted" },
        ]})).await;
        assert_eq!(status, 403);
        let (status, body) = send(json!({ "gss_code": SEAT, "results": [{ "id": uuid::Uuid::now_v7().to_string(), "elector_id": electors[1], "result": "moved" }]})).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM knock_up_results").await, base + 2, "a refused batch stores nothing");
        app.stop().await;
    }
}
