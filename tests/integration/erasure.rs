//! Erased means erased: nothing can be attached to an erased elector afterwards, every
//! table is covered (held entries, follow-ups, uploaded register files), the reason is
//! from a fixed list, and the erasure journal erases them again after a restore from a
//! backup and keeps a re-imported register from bringing them back.

use super::privacy::{erase, subject, traces, FIRST, SURNAME};
use groundwork_tests::*;
use reqwest::header::{ACCEPT, REFERER};
use serde_json::json;

async fn set_setting(app: &TestApp, key: &str, value: &str) {
    app::on_store!(&app.store, pool => sqlx::query(
        "INSERT INTO campaign_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key).bind(value).execute(pool).await.map(|_| ()))
    .expect("setting");
}

/// A register file uploaded for the seat and not yet imported: it holds the subject.
async fn upload(app: &TestApp, age_days: i64) {
    let content = format!("Elector Number,Forename,Surname\nZQ-1,{FIRST},{SURNAME}\n").into_bytes();
    let at = chrono::Utc::now() - chrono::Duration::days(age_days);
    app::on_store!(&app.store, pool => sqlx::query(
        "INSERT INTO register_uploads (id, seat_id, file_name, content, preview, created_at)
         SELECT $1, id, 'bury.csv', $2, '{}', $3 FROM seats WHERE gss_code = 'E14000611'")
        .bind(uuid::Uuid::new_v4().to_string()).bind(content).bind(at).execute(pool).await.map(|_| ()))
    .expect("upload");
}

pub(crate) async fn set(app: &TestApp, key: &str, value: &str) {
    set_setting(app, key, value).await
}

pub(crate) async fn send(app: &TestApp, browser: &reqwest::Client, entry: serde_json::Value) -> u16 {
    let response = browser
        .post(app.url("/api/doorstep/batch"))
        .json(&json!({ "entries": [entry] }))
        .send()
        .await
        .expect("batch");
    response.status().as_u16()
}

on_both_databases! {
    async fn erasure_covers_contact_details_and_polling_day_and_subject_access_shows_them_first(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        // A call back with their number, a teller's note of their vote and a knock-up.
        app::on_store!(&app.store, pool => async {
            sqlx::query("UPDATE follow_ups SET phone = '07700 900461', email = 'q@example.org' WHERE elector_id = $1")
                .bind(s.elector).execute(pool).await?;
            sqlx::query("INSERT INTO polling_stations (seat_id, name) SELECT seat_id, 'Erasure Test Hall' FROM electors WHERE id = $1")
                .bind(s.elector).execute(pool).await?;
            sqlx::query("INSERT INTO telling_entries (id, seat_id, station_id, typed, elector_id, made_at, received_at)
                         SELECT 'tell-erasure-test', e.seat_id, p.id, 'ZQ-1', e.id, $2, $2
                           FROM electors e JOIN polling_stations p ON p.name = 'Erasure Test Hall' WHERE e.id = $1")
                .bind(s.elector).bind(chrono::Utc::now()).execute(pool).await?;
            sqlx::query("INSERT INTO knock_up_results (id, seat_id, elector_id, result, made_at, received_at)
                         SELECT 'knock-erasure-test', seat_id, id, 'needs_lift', $2, $2 FROM electors WHERE id = $1")
                .bind(s.elector).bind(chrono::Utc::now()).execute(pool).await?;
            Ok::<_, sqlx::Error>(())
        }.await).expect("arrange");
        app.sign_in(ORGANISER).await;
        let (status, html) = app.page(&format!("/electors/{}", s.elector)).await;
        assert_eq!(status, 200);
        let page = main_of(&html);
        assert!(page.contains("07700 900461") && page.contains("seen voting by a teller") && page.contains("ZQ-1")
            && page.contains("polling-day knock-up"), "subject access shows the contact and polling day: {page}");

        assert_eq!(erase(&app, &app.client, s.elector, true).await, 302);
        let left = app::on_store!(&app.store, pool => sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT (SELECT COUNT(*) FROM follow_ups WHERE elector_id = $1 AND (phone IS NOT NULL OR email IS NOT NULL)),
                    (SELECT COUNT(*) FROM telling_entries WHERE typed = 'ZQ-1'),
                    (SELECT COUNT(*) FROM telling_entries WHERE id = 'tell-erasure-test' AND elector_id = $1)")
            .bind(s.elector).fetch_one(pool).await).expect("count");
        assert_eq!(left, (0, 0, 1), "no contact details or poll number left; the vote itself still counts");
        app.stop().await;
    }

    async fn erasure_a_door_entry_for_an_erased_elector_keeps_the_knock_but_not_the_person(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        // The volunteer's phone loaded the door before the erasure, with the person on it.
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        app.sign_in(ORGANISER).await;
        assert_eq!(erase(&app, &app.client, s.elector, true).await, 302);

        let (status, html) = app.page_with(&volunteer, &format!("/walk/{}/door/{}", s.list, s.household)).await;
        assert_eq!(status, 200);
        assert!(!main_of(&html).contains(&format!("value=\"{}\"", s.elector)), "the erased person is not offered at the door");
        let id = uuid::Uuid::new_v4().to_string();
        let entry = json!({ "id": id, "walk_list_id": s.list, "household_id": s.household, "result": "spoke",
            "elector_id": s.elector, "intention": "con", "intention_source": "said", "firmness": 2,
            "notes": "Quillfeather again", "issues": ["nhs"], "follow_ups": ["poster", "do_not_knock"],
            "lat": 53.6, "lon": -2.3 });
        assert_eq!(send(&app, &volunteer, entry).await, 200, "the phone's outbox is not left stuck");
        let (elector, intention, notes, lat): (Option<i64>, Option<String>, Option<String>, Option<f64>) =
            app::on_store!(&app.store, pool => sqlx::query_as(
                "SELECT elector_id, intention, notes, lat FROM conversations WHERE id = $1").bind(&id).fetch_one(pool).await)
            .expect("the knock is stored");
        assert_eq!((elector, intention, notes, lat), (None, None, None, None), "nothing about the person");
        let (follow_ups,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM follow_ups WHERE conversation_id = $1 AND kind <> 'do_not_knock'").bind(&id).fetch_one(pool).await)
            .expect("count");
        assert_eq!(follow_ups, 0, "no poster for someone who is not there");
        assert_eq!(traces(&app).await, 0);
        app.stop().await;
    }

    async fn erasure_covers_held_entries_follow_ups_and_uploaded_register_files(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        set(&app, "doorstep_review", "on").await;
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        let entry = json!({ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": s.list, "household_id": s.household,
            "result": "spoke", "elector_id": s.elector, "intention": "lab", "intention_source": "said",
            "notes": "Held: Quillfeather remark", "lat": 53.6, "lon": -2.3 });
        assert_eq!(send(&app, &volunteer, entry).await, 200);
        upload(&app, 0).await;
        app.sign_in(ORGANISER).await;

        // A typed reason could hold the very name being erased: only the list's codes.
        let typed = app.client.post(app.url("/api/erase_elector"))
            .form(&[("id", s.elector.to_string()), ("reason", format!("{FIRST} {SURNAME} emailed")), ("confirm", "erase".into())])
            .send().await.expect("erase").status();
        assert_eq!(typed, 400);
        assert!(traces(&app).await > 0, "a refused erasure erases nothing");

        let (status, html) = app.page(&format!("/electors/{}", s.elector)).await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains("<option value=\"deceased\">"), "the form offers the list");
        let done = app.client.post(app.url("/api/erase_elector")).header(ACCEPT, "text/html")
            .header(REFERER, app.url(&format!("/electors/{}", s.elector)))
            .form(&[("id", s.elector.to_string()), ("reason", "objection".into()), ("confirm", "erase".into())])
            .send().await.expect("erase").status();
        assert_eq!(done, 302);
        assert_eq!(traces(&app).await, 0, "held entry, volunteer prospect, address, notes: all gone");
        let count = |sql: &'static str| app.count(sql);
        assert_eq!(count("SELECT COUNT(*) FROM register_uploads").await, 0, "the uploaded register file is scrubbed");
        assert_eq!(count("SELECT COUNT(*) FROM doorstep_reviews WHERE entry LIKE '%53.6%' OR entry LIKE '%\"lab\"%'").await, 0,
            "the held entry keeps only the knock");
        let (open,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM follow_ups WHERE elector_id = $1 AND status = 'open'").bind(s.elector).fetch_one(pool).await)
            .expect("count");
        assert_eq!(open, 0, "their follow-ups are closed");
        let (reason,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT reason FROM erasure_journal WHERE elector_id = $1").bind(s.elector).fetch_one(pool).await)
            .expect("journal line");
        assert_eq!(reason, "objection");
        assert_eq!(count("SELECT COUNT(*) FROM audit_log WHERE action = 'erase' AND reason = 'They objected to being canvassed'").await, 1);
        // The held entry, confirmed now, counts as a knock with nobody named.
        let (held,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM doorstep_reviews WHERE household_id = $1 AND held").bind(s.household).fetch_one(pool).await).expect("held");
        let confirmed = app.client.post(app.url("/api/doorstep/decide"))
            .form(&[("id", held.clone()), ("decision", "confirm".into())]).send().await.expect("decide").status();
        assert_eq!(confirmed, 200);
        let (elector,): (Option<i64>,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT elector_id FROM conversations WHERE id = $1").bind(&held).fetch_one(pool).await).expect("stored");
        assert_eq!(elector, None);
        app.stop().await;
    }

    async fn erasure_is_reapplied_after_a_restore_and_survives_a_reimport(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        app.sign_in(ORGANISER).await;
        // The council's file, as the register import reads it (the export re-imports):
        // importing it first gives the subject's door the key the import makes.
        let register = app.client.get(app.url("/seats/E14000611/export/electors.csv")).send().await.expect("csv")
            .bytes().await.expect("csv").to_vec();
        assert!(String::from_utf8_lossy(&register).contains(SURNAME));
        let import = |store: app::store::Store, bytes: Vec<u8>| async move {
            let opts = app::register::import::ImportOptions {
                seat: "E14000611", file_name: "bury.csv", mapping: None, valid_only: false, commit: true, user_id: None,
                confirm_left: None,
            };
            app::register::import::import(&store, std::io::Cursor::new(bytes), opts, |_| {}).await.expect("import")
        };
        import(app.store.clone(), register.clone()).await;

        let dir = std::env::temp_dir().join(format!("gw-erasure-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("dir");
        let backup = dir.join("before.backup");
        groundwork::backup::backup(&app.store, app.database_url(), &backup).await.expect("backup");
        assert_eq!(erase(&app, &app.client, s.elector, true).await, 302);
        let journal = dir.join("erasures.jsonl");
        groundwork::erasures::export(&app.store, &journal).await.expect("export the journal");
        let text = std::fs::read_to_string(&journal).expect("journal");
        assert_eq!(text.lines().count(), 1);
        assert!(!text.contains(SURNAME) && !text.contains("Quillfeather") && !text.contains("BL9"), "no personal data: {text}");
        if backend == Backend::Sqlite {
            let beside = std::path::PathBuf::from(format!("{}.erasures.jsonl", app.database_url().trim_start_matches("sqlite:")));
            let beside = app::elector::journal::read(&beside).expect("the server wrote the journal file beside the database");
            let exported = app::elector::journal::read(&journal).expect("journal");
            let key = |l: &app::elector::journal::JournalLine| (l.elector_id, l.identity_hash.clone(), l.reason.clone());
            assert_eq!(beside.iter().map(key).collect::<Vec<_>>(), exported.iter().map(key).collect::<Vec<_>>());
        }

        // Restore the backup: the person is back, until the journal is re-applied.
        let restored_db = TestDb::new(backend).await.expect("db");
        let url = match backend {
            Backend::Sqlite => format!("sqlite:{}", backup.display()),
            Backend::Postgres => {
                groundwork::backup::pg_restore(&restored_db.url, &backup).await.expect("pg_restore");
                restored_db.url.clone()
            }
        };
        let restored = app::store::Store::connect(&url).await.expect("open the backup");
        restored.migrate().await.expect("migrate");
        let named = |store: app::store::Store| async move {
            let (n,): (i64,) = app::on_store!(&store, pool => sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM electors WHERE surname = $1)
                      + (SELECT COUNT(*) FROM households h JOIN electors e ON e.household_id = h.id
                          WHERE h.address1 LIKE '%Quillfeather%')
                      + (SELECT COUNT(*) FROM conversations WHERE notes LIKE '%Quillfeather%')")
                .bind(SURNAME).fetch_one(pool).await).expect("count");
            n
        };
        assert!(named(restored.clone()).await > 0, "the backup predates the erasure");
        let message = groundwork::erasures::reapply(&restored, &journal).await.expect("reapply");
        assert!(message.ends_with("new to this database: 1; people erased again: 1."), "{message}");
        assert_eq!(named(restored.clone()).await, 0, "gone again");
        let again = groundwork::erasures::reapply(&restored, &journal).await.expect("reapply twice");
        assert!(again.ends_with("new to this database: 0; people erased again: 0."), "{again}");

        // The council's next file still lists them: they stay out.
        let report = import(app.store.clone(), register).await;
        assert_eq!(report.suppressed, 1, "{report:?}");
        assert_eq!(report.added, 0);
        assert_eq!(named(app.store.clone()).await, 0, "the re-import did not bring them back");
        restored.close().await;
        drop(restored_db);
        let _ = std::fs::remove_dir_all(&dir);
        app.stop().await;
    }
}
