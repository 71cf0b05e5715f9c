use app::store::Store;
use groundwork_tests::*;

on_both_databases! {
    async fn health_reports_the_database_it_reached(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        let body: serde_json::Value = app.client.get(app.url("/health")).send().await.expect("GET").json().await.expect("json");
        let expected = if backend == Backend::Sqlite { "sqlite" } else { "postgres" };
        assert_eq!(body["status"], "ok");
        assert_eq!(body["database"], expected);
        app.stop().await;
    }

    async fn migrating_twice_changes_nothing(backend) {
        let db = TestDb::new(backend).await.expect("db");
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("first");
        store.migrate().await.expect("second");
        store.close().await;
    }

    async fn a_failed_migration_stops_the_start_with_a_clear_message(backend) {
        let db = TestDb::new(backend).await.expect("db");
        let store = Store::connect(&db.url).await.expect("connect");
        // A table in the way makes the first migration fail part-way.
        app::on_store!(&store, pool => sqlx::query("CREATE TABLE wards (id INTEGER)").execute(pool).await.map(|_| ())).expect("setup");
        let err = store.migrate().await.expect_err("migration must fail");
        let message = err.to_string();
        assert!(message.contains("migration failed"), "{message}");
        assert!(message.contains("will not start"), "{message}");
        store.close().await;
        let config = groundwork::config::Config { database_url: db.url.clone(), ..Default::default() };
        assert!(groundwork::build_state(&config).await.is_err(), "the server refuses to build its state");
    }

    async fn responses_carry_the_basic_security_headers(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        let response = app.client.get(app.url("/login")).send().await.expect("GET");
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["referrer-policy"], "same-origin");
        app.stop().await;
    }
}

#[tokio::test]
async fn an_unreachable_database_is_named_in_the_error_without_its_password() {
    let err = Store::connect("postgres://gw:hunter2@127.0.0.1:1/none").await.expect_err("no server there");
    let message = err.to_string();
    assert!(message.contains("127.0.0.1:1"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}
