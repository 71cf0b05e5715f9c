//! Polling-day load: many volunteers at once over real HTTP, every acknowledged entry
//! stored exactly once; the metrics they leave; a backup taken in the middle of it.

use groundwork_tests::*;
use perf::load::{self, LoadOptions};
use std::time::Duration;

/// A short run: enough volunteers and batches to overlap, quick enough for CI.
fn quick(servers: Vec<String>) -> LoadOptions {
    LoadOptions {
        servers,
        bare: None,
        volunteers: 24,
        batch: 10,
        think: Duration::from_millis(20),
        duration: Duration::from_secs(2),
        compare: Duration::ZERO,
        doors: 12,
        grace: Duration::from_secs(30),
        seats: 0,
        electors: 0,
    }
}

async fn ids(store: &app::store::Store) -> Vec<String> {
    let rows: Vec<(String,)> =
        app::on_store!(store, pool => sqlx::query_as("SELECT id FROM conversations ORDER BY id").fetch_all(pool).await)
            .expect("ids");
    // Sorted here: the databases' collations need not agree with a byte-wise order.
    let mut ids: Vec<String> = rows.into_iter().map(|(id,)| id).collect();
    ids.sort();
    ids
}

on_both_databases! {
    async fn load_every_acknowledged_conversation_is_stored_exactly_once(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        // The yardstick handler, on the same database, in this process.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let bare_url = format!("http://{}", listener.local_addr().expect("addr"));
        let bare = tokio::spawn(load::bare::serve(listener, app.store.clone()));
        let opts = LoadOptions { bare: Some(bare_url), compare: Duration::from_millis(500), ..quick(vec![app.base.clone()]) };

        let report = load::run(&app.store, &opts).await.expect("the load runs");

        assert!(report.acknowledged > 100, "{report:?}");
        assert!(report.exact(), "{report:?}");
        assert_eq!(report.unacknowledged, 0, "every stored entry was acknowledged");
        assert_eq!(report.main.refused, 0, "no batch was refused: {:?}", report.main.errors);
        assert!(report.main.errors.is_empty(), "{:?}", report.main.errors);
        let bare_phase = report.bare_saturated.as_ref().expect("the bare handler ran");
        assert!(bare_phase.errors.is_empty() && bare_phase.refused == 0, "the yardstick answered every batch: {bare_phase:?}");
        assert!(bare_phase.acked > 0 && report.ratio().is_some_and(|r| r > 0.0), "the comparison ran: {report:?}");
        bare.abort();
        app.stop().await;
    }

    async fn metrics_count_requests_by_route_and_conversations_stored(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let report = load::run(&app.store, &LoadOptions { volunteers: 4, duration: Duration::from_millis(300), ..quick(vec![app.base.clone()]) })
            .await.expect("the load runs");
        assert!(report.exact() && report.acknowledged > 0, "{report:?}");

        // The tests connect from this machine, which may read the metrics without a token.
        let response = app.client.get(app.url("/metrics")).send().await.expect("GET /metrics");
        assert_eq!(response.status().as_u16(), 200);
        let text = response.text().await.expect("body");
        let batch_line = text
            .lines()
            .find(|l| l.starts_with("groundwork_http_requests_total") && l.contains("route=\"/api/doorstep/batch\"") && l.contains("status=\"200\""))
            .unwrap_or_else(|| panic!("no request count for the batch route:\n{text}"));
        let counted: f64 = batch_line.rsplit(' ').next().and_then(|n| n.parse().ok()).expect("a number");
        assert!(counted >= report.main.requests as f64, "{batch_line}");
        assert!(text.contains("groundwork_http_request_duration_seconds_bucket{route=\"/api/doorstep/batch\",le=\"0.1\"}"), "{text}");
        assert!(text.contains("groundwork_conversations_stored_total"), "{text}");
        assert!(text.contains("groundwork_database_up 1"), "{text}");
        assert!(text.contains("groundwork_doorstep_reviews_open"), "{text}");

        // Through a proxy on this machine, a visitor is not local.
        let proxied = app.client.get(app.url("/metrics")).header("x-forwarded-for", "198.51.100.9").send().await.expect("GET");
        assert_eq!(proxied.status().as_u16(), 403);
        app.stop().await;
    }

    async fn backup_taken_during_writes_restores_every_conversation(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let dir = std::env::temp_dir().join(format!("gw-backup-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("groundwork.backup");
        let store = app.store.clone();
        let opts = LoadOptions { duration: Duration::from_secs(3), ..quick(vec![app.base.clone()]) };
        let writes = tokio::spawn(async move { load::run(&store, &opts).await });
        // Wait until the volunteers are writing, then back up under their feet.
        let start = ids(&app.store).await.len();
        for _ in 0..200 {
            if ids(&app.store).await.len() > start + 50 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let before = ids(&app.store).await;
        groundwork::backup::backup(&app.store, app.database_url(), &file).await.expect("backup");
        let report = writes.await.expect("join").expect("the load runs");
        assert!(report.exact(), "{report:?}");
        let after = ids(&app.store).await;
        assert!(after.len() > before.len(), "writes went on during and after the backup");

        // Restore it somewhere new and look for every conversation.
        let restored_db = TestDb::new(backend).await.expect("db");
        let url = match backend {
            Backend::Sqlite => format!("sqlite:{}", file.display()),
            Backend::Postgres => {
                groundwork::backup::pg_restore(&restored_db.url, &file).await.expect("pg_restore");
                restored_db.url.clone()
            }
        };
        let restored = app::store::Store::connect(&url).await.expect("open the backup");
        restored.migrate().await.expect("the backup's schema is current");
        let got = ids(&restored).await;
        let missing: Vec<_> = before.iter().filter(|id| got.binary_search(id).is_err()).collect();
        assert!(missing.is_empty(), "{} conversations stored before the backup are not in it", missing.len());
        assert!(got.len() <= after.len() && got.iter().all(|id| after.binary_search(id).is_ok()), "a snapshot of the live database");
        let doors = |s: &app::store::Store| {
            let s = s.clone();
            async move {
                let (n,): (i64,) = app::on_store!(&s, pool => sqlx::query_as("SELECT COUNT(*) FROM walk_list_households").fetch_one(pool).await).expect("count");
                n
            }
        };
        assert_eq!(doors(&restored).await, doors(&app.store).await, "the rest of the campaign came back too");
        // A second backup to the same file is refused rather than overwriting it.
        assert!(groundwork::backup::backup(&app.store, app.database_url(), &file).await.is_err());
        restored.close().await;
        drop(restored_db);
        let _ = std::fs::remove_dir_all(&dir);
        app.stop().await;
    }
}
