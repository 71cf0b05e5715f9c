//! Inputs made to hurt: structurally valid doorstep batches whose values are out of
//! range, enormous, of another seat or nonsense, paper returns forms likewise, and
//! volunteer CSV files of odd rows. The
//! server answers each with a status that says what it did (never a 500), stores what
//! it says it stored and nothing else, and keeps answering.

use groundwork_tests::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const BATCHES: usize = 120;
const FILES: usize = 150;
const SHEETS: usize = 80;

fn pick<'a, T>(rng: &mut StdRng, choices: &'a [T]) -> &'a T {
    &choices[rng.random_range(0..choices.len())]
}

/// One entry whose every field is either plausible or hostile.
fn hostile_entry(
    rng: &mut StdRng,
    list: i64,
    doors: &[i64],
    other_list: i64,
    other_door: i64,
    elector: i64,
) -> Value {
    let long = "x".repeat(rng.random_range(1..40_000));
    let id = pick(rng, &[0, 0, 0, 1, 2, 3]).to_owned();
    let id = match id {
        0 => uuid::Uuid::now_v7().to_string(),
        1 => String::new(),
        2 => "'; DROP TABLE conversations; --".to_string(),
        _ => long.clone(),
    };
    let door = doors[rng.random_range(0..doors.len())];
    let ints = [0, -1, i64::MAX, i64::MIN, 1 << 53];
    let walk_list_id = match rng.random_range(0..6) {
        0..=2 => list,
        3 => other_list,
        _ => *pick(rng, &ints),
    };
    let household_id = match rng.random_range(0..6) {
        0..=2 => door,
        3 => other_door,
        _ => *pick(rng, &ints),
    };
    let result = pick(
        rng,
        &["spoke", "spoke", "not_in", "refused", "", "SPOKE", "<script>alert(1)</script>", "spoke\u{0}"],
    )
    .to_string();
    let mut entry =
        json!({ "id": id, "walk_list_id": walk_list_id, "household_id": household_id, "result": result });
    let e = entry.as_object_mut().expect("object");
    if rng.random_bool(0.5) {
        e.insert("elector_id".into(), json!(*pick(rng, &[elector, elector, -1, i64::MAX, 0])));
    }
    if rng.random_bool(0.6) {
        e.insert(
            "intention".into(),
            json!(pick(rng, &["lab", "con", "undecided", "nobody-party", "\u{202e}bal", long.as_str()])),
        );
        e.insert("intention_source".into(), json!(pick(rng, &["said", "inferred", "guessed", ""])));
    }
    if rng.random_bool(0.5) {
        e.insert("firmness".into(), json!(*pick(rng, &[1, 3, 5, 0, 6, -1, i64::MAX, i64::MIN])));
    }
    if rng.random_bool(0.4) {
        e.insert(
            "notes".into(),
            json!(pick(
                rng,
                &["", "Wants a poster 🪧", "\u{0}\u{1}\u{7f}", "=HYPERLINK(\"http://x\")", long.as_str()]
            )),
        );
    }
    if rng.random_bool(0.3) {
        let issues = match rng.random_range(0..3) {
            0 => vec![long.clone()],
            n => {
                vec![pick(rng, &["housing", "nhs", "not-an-issue"]).to_string(); if n == 1 { 1 } else { 300 }]
            }
        };
        e.insert("issues".into(), json!(issues));
    }
    if rng.random_bool(0.3) {
        e.insert(
            "follow_ups".into(),
            json!([pick(rng, &["call_back", "poster", "volunteer", "bogus", "call_back"])]),
        );
    }
    if rng.random_bool(0.2) {
        e.insert("answers".into(), json!(vec![("q_1", "yes"); rng.random_range(1..200)]));
    }
    if rng.random_bool(0.4) {
        e.insert("lat".into(), json!(*pick(rng, &[53.59, 1e308, -1e308, 91.0, -0.0])));
        e.insert("lon".into(), json!(*pick(rng, &[-2.3, 1e308, 181.0, -181.0])));
    }
    if rng.random_bool(0.5) {
        let now = chrono::Utc::now();
        let at = pick(
            rng,
            &[
                now.to_rfc3339(),
                "1970-01-01T00:00:00Z".into(),
                "2099-01-01T00:00:00Z".into(),
                "9999-12-31T23:59:59Z".into(),
            ],
        )
        .clone();
        e.insert("made_at".into(), json!(at));
    }
    entry
}

async fn one(app: &TestApp, sql: &'static str, bind: &str) -> i64 {
    let (n,): (i64,) =
        app::on_store!(&app.store, pool => sqlx::query_as(sql).bind(bind).fetch_one(pool).await)
            .expect("query");
    n
}

on_both_databases! {
    async fn hostile_batches_get_a_plain_answer_and_only_what_was_acknowledged_is_stored(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let list = one(&app, "SELECT wl.id FROM walk_lists wl JOIN walk_list_assignments a ON a.walk_list_id = wl.id
            JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
            WHERE u.email = $1 AND wl.status = 'active' ORDER BY wl.id LIMIT 1", VOLUNTEER).await;
        let doors: Vec<(i64,)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT household_id FROM walk_list_households WHERE walk_list_id = $1 ORDER BY position")
            .bind(list).fetch_all(pool).await).expect("doors");
        let doors: Vec<i64> = doors.into_iter().map(|(d,)| d).collect();
        let (other_list, other_door): (i64, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT walk_list_id, household_id FROM walk_list_households WHERE walk_list_id <> $1 ORDER BY walk_list_id LIMIT 1")
            .bind(list).fetch_one(pool).await).expect("another list");
        let (elector,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM electors WHERE household_id = $1 ORDER BY id LIMIT 1")
            .bind(doors[0]).fetch_one(pool).await).expect("an elector");
        let stored_now = || app.count("SELECT (SELECT COUNT(*) FROM conversations) + (SELECT COUNT(*) FROM doorstep_reviews WHERE held)");
        let before = stored_now().await;

        let mut rng = StdRng::seed_from_u64(20261203);
        let (mut acknowledged, mut statuses) = (0i64, std::collections::BTreeMap::<u16, usize>::new());
        for _ in 0..BATCHES {
            // Half the batches are plain knocks, so that the count of what was stored is
            // tested too; the other half carry hostile entries.
            let hostile = rng.random_bool(0.5);
            let entries: Vec<Value> = (0..rng.random_range(1..5))
                .map(|_| if hostile {
                    hostile_entry(&mut rng, list, &doors, other_list, other_door, elector)
                } else {
                    let door = doors[rng.random_range(0..doors.len())];
                    json!({ "id": uuid::Uuid::now_v7().to_string(), "walk_list_id": list, "household_id": door,
                            "result": pick(&mut rng, &["not_in", "refused", "spoke"]) })
                })
                .collect();
            let response = app.client.post(app.url("/api/doorstep/batch")).json(&json!({ "entries": entries })).send().await.expect("POST");
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            *statuses.entry(status).or_default() += 1;
            assert!(matches!(status, 200 | 400 | 403 | 404 | 413 | 422), "a plain refusal, never {status}: {body} for {entries:?}");
            if status == 200 {
                acknowledged += body["stored"].as_i64().expect("a count of what was stored");
            } else {
                assert!(body.to_string().len() < 2_000, "the answer does not echo the input back: {body}");
            }
        }
        eprintln!("hostile batches: {BATCHES} sent, answers by status {statuses:?}, {acknowledged} entries stored");
        assert!(statuses.get(&200).is_some_and(|n| *n > 0) && statuses.keys().any(|s| *s >= 400), "{statuses:?}");
        assert_eq!(stored_now().await - before, acknowledged, "exactly what the answers said was stored");
        let health = app.client.get(app.url("/health")).send().await.expect("health");
        assert_eq!(health.status().as_u16(), 200, "the server is still answering");
        app.stop().await;
    }

    async fn hostile_volunteer_files_are_imported_whole_or_not_at_all(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let seat = one(&app, "SELECT id FROM seats WHERE gss_code = $1", "E14000611").await;
        let header = app::volunteer::csv::HEADER;
        let cells = ["", "Ada", "Lovelace", "ada@example.org", "not-an-email", "yes", "maybe", "regular", "=1+1", "\"quoted, comma\"",
                     "\t", "\r", "99999999999999999999", "-1", "sat_am wed_eve", "🙂", "\u{0}"];
        let mut rng = StdRng::seed_from_u64(3);
        let mut imported_files = 0;
        for _ in 0..FILES {
            let columns: Vec<&str> = match rng.random_range(0..4) {
                0 => header.to_vec(),
                1 => vec!["first_name", "surname", "email", "stage"],
                2 => vec!["first_name", "surname", "bogus_column"],
                _ => vec!["surname"],
            };
            let mut text = columns.join(",");
            for _ in 0..rng.random_range(0..6) {
                text.push('\n');
                let row: Vec<&str> = (0..rng.random_range(0..columns.len() + 2)).map(|_| *pick(&mut rng, &cells)).collect();
                text.push_str(&row.join(","));
            }
            let before = app.count("SELECT COUNT(*) FROM volunteers").await;
            match app::volunteer::csv::import(&app.store, seat, None, &text).await {
                Ok(outcome) if outcome.rejected.is_empty() => {
                    imported_files += 1;
                    assert_eq!(app.count("SELECT COUNT(*) FROM volunteers").await, before + outcome.added as i64, "{text:?}");
                }
                Ok(outcome) => {
                    assert!(outcome.rejected.iter().all(|r| !r.reason.is_empty()), "each refusal says why: {text:?}");
                    assert_eq!(app.count("SELECT COUNT(*) FROM volunteers").await, before, "nothing written: {text:?}");
                }
                Err(e) => panic!("an import answers with its refusals, not an error ({e}): {text:?}"),
            }
        }
        eprintln!("hostile volunteer files: {FILES} read, {imported_files} imported whole, the rest refused with nothing written");
        app.stop().await;
    }

    async fn hostile_paper_returns_get_a_plain_answer_and_store_only_what_they_say(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let list = one(&app, "SELECT wl.id FROM walk_lists wl JOIN seats s ON s.id = wl.seat_id
            WHERE s.gss_code = $1 ORDER BY wl.id LIMIT 1", "E14000611").await;
        let doors: Vec<(i64, i64)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT wh.household_id, e.id FROM walk_list_households wh JOIN electors e ON e.household_id = wh.household_id
              WHERE wh.walk_list_id = $1 AND e.erased_at IS NULL ORDER BY wh.position, e.id")
            .bind(list).fetch_all(pool).await).expect("doors");
        let volunteer = one(&app, "SELECT v.id FROM volunteers v JOIN seats s ON s.id = v.seat_id
            WHERE s.gss_code = $1 AND v.erased_at IS NULL ORDER BY v.id LIMIT 1", "E14000611").await;
        let (other_list, other_door): (i64, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT walk_list_id, household_id FROM walk_list_households WHERE walk_list_id <> $1 ORDER BY walk_list_id LIMIT 1")
            .bind(list).fetch_one(pool).await).expect("another list");
        let stored_now = || app.count("SELECT (SELECT COUNT(*) FROM conversations) + (SELECT COUNT(*) FROM doorstep_reviews WHERE held)");
        let before = stored_now().await;
        let mut rng = StdRng::seed_from_u64(20);
        let (mut acknowledged, mut statuses) = (0i64, std::collections::BTreeMap::<u16, usize>::new());
        let ints = ["0", "-1", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e3", ""];
        for _ in 0..SHEETS {
            let hostile = rng.random_bool(0.5);
            let walk_list_id = if hostile && rng.random_bool(0.2) { other_list.to_string() } else { list.to_string() };
            let canvasser = if hostile {
                let mine = volunteer.to_string();
                pick(&mut rng, &["", "unknown", "0", "-5", "987654321", "x", "1 OR 1=1", mine.as_str()]).to_string()
            } else {
                volunteer.to_string()
            };
            let mut form: Vec<(String, String)> =
                vec![("form[walk_list_id]".into(), walk_list_id), ("form[canvasser]".into(), canvasser)];
            for i in 0..rng.random_range(1..4) {
                let (door, elector) = doors[rng.random_range(0..doors.len())];
                let household = if hostile && rng.random_bool(0.3) {
                    let odd = pick(&mut rng, &ints).to_string();
                    if rng.random_bool(0.5) { other_door.to_string() } else { odd }
                } else {
                    door.to_string()
                };
                let elector = if hostile && rng.random_bool(0.3) { pick(&mut rng, &ints).to_string() } else { elector.to_string() };
                let firmness = if hostile {
                    pick(&mut rng, &["", "1", "5", "0", "6", "-1", "9223372036854775808", "three", "4 "]).to_string()
                } else {
                    pick(&mut rng, &["", "2", "5"]).to_string()
                };
                let intention = if hostile {
                    pick(&mut rng, &["lab", "", "nobody-party", "<script>", "\u{202e}bal", "con"]).to_string()
                } else {
                    "lab".to_string()
                };
                let result = pick(&mut rng, &["spoke", "not_in", "", "SPOKE", "refused\u{0}"]).to_string();
                let id = if hostile && rng.random_bool(0.2) { "'; DROP TABLE conversations; --".to_string() } else { uuid::Uuid::new_v4().to_string() };
                form.extend([
                    (format!("form[rows][{i}][household_id]"), household.clone()),
                    (format!("form[rows][{i}][entry_id]"), uuid::Uuid::new_v4().to_string()),
                    (format!("form[rows][{i}][result]"), result),
                    (format!("form[votes][{i}][household_id]"), household),
                    (format!("form[votes][{i}][elector_id]"), elector),
                    (format!("form[votes][{i}][entry_id]"), id),
                    (format!("form[votes][{i}][intention]"), intention),
                    (format!("form[votes][{i}][firmness]"), firmness),
                ]);
            }
            let response = app.client.post(app.url("/api/turf/save_returns"))
                .header(reqwest::header::ACCEPT, "application/json").form(&form).send().await.expect("POST");
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            *statuses.entry(status).or_default() += 1;
            assert!(matches!(status, 200 | 400 | 403 | 404 | 413 | 422), "a plain refusal, never {status}: {body} for {form:?}");
            if status == 200 {
                acknowledged += body["stored"].as_i64().expect("a count of what was stored");
            } else {
                assert!(body.to_string().len() < 2_000, "the answer does not echo the input back: {body}");
            }
        }
        eprintln!("hostile paper returns: {SHEETS} sent, answers by status {statuses:?}, {acknowledged} entries stored");
        assert!(statuses.get(&200).is_some_and(|n| *n > 0) && statuses.keys().any(|s| *s >= 400), "{statuses:?}");
        assert_eq!(stored_now().await - before, acknowledged, "exactly what the answers said was stored");
        let firm_out_of_range = app.count("SELECT COUNT(*) FROM conversations WHERE firmness < 1 OR firmness > 5").await;
        assert_eq!(firm_out_of_range, 0, "no firmness outside 1 to 5 was stored");
        app.stop().await;
    }
}
