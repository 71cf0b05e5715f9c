//! A subject access request is complete (held and rejected doorstep entries, volunteer
//! records made from the elector, every print, export, map load and follow-up list that
//! showed them) and discloses nothing about the people they live with; retention purges
//! the canvassers' positions and everything else recorded with an opinion.

use super::erasure::{send, set};
use super::privacy::{subject, NOTE, SURNAME};
use chrono::{NaiveDate, TimeZone, Utc};
use groundwork_tests::*;
use serde_json::json;

const HOUSEMATE_NOTE: &str = "Ottoline mentioned her own health worries";
const DOOR_NOTE: &str = "Somebody shouted from upstairs";

on_both_databases! {
    async fn subject_access_is_complete_and_leaves_the_housemate_out(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        let (housemate,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "INSERT INTO electors (seat_id, household_id, pd_prefix, elector_number, markers, first_name, surname)
             SELECT seat_id, $1, 'ZQ', 2, '', 'Ottoline', 'Brackenbury' FROM households WHERE id = $1 RETURNING id")
            .bind(s.household).fetch_one(pool).await).expect("housemate");
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        let entry = |elector: Option<i64>, result: &str, notes: &str| json!({
            "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": s.list, "household_id": s.household,
            "result": result, "elector_id": elector, "notes": notes });
        assert_eq!(send(&app, &volunteer, entry(Some(housemate), "spoke", HOUSEMATE_NOTE)).await, 200);
        assert_eq!(send(&app, &volunteer, entry(None, "not_in", DOOR_NOTE)).await, 200);
        set(&app, "doorstep_review", "on").await;
        assert_eq!(send(&app, &volunteer, entry(Some(s.elector), "spoke", "Held: asked about buses")).await, 200);
        assert_eq!(send(&app, &volunteer, entry(Some(s.elector), "spoke", "Rejected: wrong door")).await, 200);
        assert_eq!(send(&app, &volunteer, entry(Some(housemate), "spoke", "Held: Ottoline's own view")).await, 200);

        app.sign_in(ORGANISER).await;
        let (rejected,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM doorstep_reviews WHERE entry LIKE '%wrong door%'").fetch_one(pool).await).expect("entry");
        let decided = app.client.post(app.url("/api/doorstep/decide"))
            .form(&[("id", rejected), ("decision", "reject".into())]).send().await.expect("decide").status();
        assert_eq!(decided, 200);
        // Everything that showed them to someone: a printed sheet, the turf map, an
        // export and the follow-up list (they asked for a poster).
        let sheet = app.client.post(app.url("/api/turf/sheet")).form(&[("walk_list_id", s.list.to_string())])
            .send().await.expect("sheet").status();
        assert_eq!(sheet, 200);
        for path in ["/seats/E14000611/map.json", "/seats/E14000611/export/electors.csv"] {
            assert_eq!(app.client.get(app.url(path)).send().await.expect("get").status(), 200, "{path}");
        }
        let list = app.client.post(app.url("/api/seat_follow_ups")).form(&[("gss_code", "E14000611")])
            .send().await.expect("follow-ups").status();
        assert_eq!(list, 200);

        let response = app.client.get(app.url(&format!("/electors/{}/subject-access.json", s.elector)))
            .send().await.expect("json");
        assert_eq!(response.status(), 200);
        let text = response.text().await.expect("body");
        let sar: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let reviewed = sar["reviewed_entries"].as_array().expect("reviewed entries");
        let statuses: Vec<(&str, &str)> = reviewed.iter().filter(|r| r["result"] == "spoke")
            .map(|r| (r["notes"].as_str().unwrap_or_default(), r["status"].as_str().unwrap_or_default())).collect();
        assert_eq!(statuses, vec![("Held: asked about buses", "open"), ("Rejected: wrong door", "rejected")]);
        assert!(reviewed.iter().any(|r| r["result"] == "not_in" && r["notes"].is_null()),
            "the knock at their shared door (flagged: sent seconds after the last) is there, without its notes");
        let volunteers = sar["volunteer_records"].as_array().expect("volunteer records");
        assert_eq!(volunteers.len(), 1, "the prospect made from their 'wants to volunteer'");
        assert_eq!(volunteers[0]["surname"], SURNAME);
        let log: Vec<String> = sar["access_log"].as_array().expect("log").iter()
            .map(|a| format!("{} {} {}", a["action"].as_str().unwrap_or_default(), a["what"].as_str().unwrap_or_default(),
                a["reason"].as_str().unwrap_or_default()))
            .collect();
        let (list_name,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT name FROM walk_lists WHERE id = $1").bind(s.list).fetch_one(pool).await).expect("list");
        for seen in [format!("Viewed Walk list {list_name} printed walk sheet"), "Viewed Bury North turf map".into(),
                     "Exported Bury North CSV export electors".into(), "Viewed Bury North follow-ups list".into()] {
            assert!(log.iter().any(|l| l.starts_with(&seen)), "{seen} in {log:#?}");
        }
        assert!(text.contains(NOTE), "their own note");
        let conversations = sar["conversations"].as_array().expect("conversations");
        assert!(conversations.iter().any(|c| c["about"] == "your household" && c["result"] == "not_in"), "the knock at their door");
        for withheld in [HOUSEMATE_NOTE, DOOR_NOTE, "Ottoline", "Brackenbury"] {
            assert!(!text.contains(withheld), "the housemate's data is not disclosed: {withheld}");
        }
        let (_, html) = app.page(&format!("/electors/{}", s.elector)).await;
        let main = main_of(&html);
        assert!(main.contains("Held: asked about buses") && main.contains("Volunteer records made from their answers"));
        assert!(!main.contains(HOUSEMATE_NOTE) && !main.contains("Ottoline"));
        app.stop().await;
    }

    async fn retention_purges_positions_issues_follow_ups_held_entries_and_old_uploads(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        set(&app, "doorstep_review", "on").await;
        let held = json!({ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": s.list, "household_id": s.household,
            "result": "spoke", "elector_id": s.elector, "intention": "lab", "intention_source": "said",
            "notes": "Held before the election", "issues": ["nhs"], "lat": 53.6001, "lon": -2.3001 });
        assert_eq!(send(&app, &volunteer, held).await, 200);
        let made = Utc.with_ymd_and_hms(1999, 11, 20, 18, 0, 0).single().expect("time");
        app::on_store!(&app.store, pool => async {
            sqlx::query("UPDATE conversations SET made_at = $1, lat = 53.6, lon = -2.3 WHERE elector_id = $2")
                .bind(made).bind(s.elector).execute(pool).await?;
            sqlx::query("UPDATE doorstep_reviews SET made_at = $1").bind(made).execute(pool).await?;
            sqlx::query("UPDATE campaign_settings SET value = '1999-12-01' WHERE key = 'election_date'").execute(pool).await?;
            for (age, id) in [(8, "old-upload"), (1, "new-upload")] {
                sqlx::query("INSERT INTO register_uploads (id, seat_id, file_name, content, preview, created_at)
                             SELECT $1, id, 'bury.csv', $2, '{}', $3 FROM seats WHERE gss_code = 'E14000611'")
                    .bind(id).bind(SURNAME.as_bytes().to_vec()).bind(Utc::now() - chrono::Duration::days(age))
                    .execute(pool).await?;
            }
            Ok::<(), sqlx::Error>(())
        }.await).expect("arrange");
        let today = Utc::now().date_naive();
        let dry = app::retention::run(&app.store, today, true, None).await.expect("dry run");
        assert_eq!((dry.conversations, dry.reviews, dry.uploads, dry.purged), (1, 1, 1, false));
        assert_eq!(app.count("SELECT COUNT(*) FROM register_uploads").await, 2, "a dry run deletes nothing");

        let run = app::retention::run(&app.store, today, false, None).await.expect("purge");
        assert!(run.purged);
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations WHERE lat IS NOT NULL OR lon IS NOT NULL").await, 0,
            "the canvassers' positions from before the election are gone");
        assert_eq!(app.count("SELECT COUNT(*) FROM conversation_issues WHERE conversation_id IN
            (SELECT id FROM conversations WHERE made_at < '1999-12-01')").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE conversation_id IN
            (SELECT id FROM conversations WHERE made_at < '1999-12-01')").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM doorstep_reviews WHERE entry LIKE '%53.6001%' OR entry LIKE '%lab%'
            OR entry LIKE '%Held before%' OR entry LIKE '%nhs%'").await, 0, "the held entry keeps only the knock");
        assert_eq!(app.count("SELECT COUNT(*) FROM doorstep_reviews").await, 1);
        let (left,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as("SELECT id FROM register_uploads")
            .fetch_one(pool).await).expect("upload");
        assert_eq!(left, "new-upload", "uploads older than 7 days are deleted");
        let day = NaiveDate::from_ymd_opt(2000, 6, 1).expect("date");
        let early = app::retention::run(&app.store, day, true, None).await.expect("again");
        assert_eq!((early.conversations, early.reviews), (0, 0), "nothing left to purge");
        app.stop().await;
    }
}
