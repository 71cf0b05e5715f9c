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

/// What a schema holds: (table, column) pairs and index names, without the ones each
/// database makes by itself for primary keys and unique constraints.
async fn schema_of(
    store: &Store,
) -> (std::collections::BTreeSet<String>, std::collections::BTreeSet<String>) {
    type Pairs = Vec<(String, String)>;
    let (columns, indexes): (Pairs, Pairs) = match store {
        Store::Sqlite(pool) => (
            sqlx::query_as(
                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
                  WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .expect("columns"),
            sqlx::query_as(
                "SELECT tbl_name, name FROM sqlite_master
                  WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' AND tbl_name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .expect("indexes"),
        ),
        Store::Postgres(pool) => (
            sqlx::query_as(
                "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns
                  WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .expect("columns"),
            sqlx::query_as(
                "SELECT CAST(i.tablename AS TEXT), CAST(i.indexname AS TEXT) FROM pg_indexes i
                  WHERE i.schemaname = 'public' AND i.tablename <> '_sqlx_migrations'
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))",
            )
            .fetch_all(pool)
            .await
            .expect("indexes"),
        ),
    };
    (
        columns.into_iter().map(|(t, c)| format!("{t}.{c}")).collect(),
        indexes.into_iter().map(|(t, i)| format!("{t}: {i}")).collect(),
    )
}

/// The two backends have migrations of their own; this keeps them in step, so a column or
/// an index added to one and forgotten in the other fails here, not in production.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_and_postgresql_schemas_have_the_same_tables_columns_and_indexes() {
    if !postgres_configured() {
        eprintln!("TEST_POSTGRES_URL is not set: the schema comparison is skipped");
        return;
    }
    let mut schemas = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let db = TestDb::new(backend).await.expect("db");
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        schemas.push(schema_of(&store).await);
        store.close().await;
    }
    let (sqlite, postgres) = (&schemas[0], &schemas[1]);
    let only = |a: &std::collections::BTreeSet<String>, b: &std::collections::BTreeSet<String>| {
        a.difference(b).cloned().collect::<Vec<_>>()
    };
    assert!(
        sqlite.0.len() > 100 && sqlite.1.len() > 20,
        "the schemas were read: {} columns, {} indexes",
        sqlite.0.len(),
        sqlite.1.len()
    );
    eprintln!("schemas: {} columns and {} indexes on each database", sqlite.0.len(), sqlite.1.len());
    assert_eq!(
        (only(&sqlite.0, &postgres.0), only(&postgres.0, &sqlite.0)),
        (vec![], vec![]),
        "columns only on SQLite, only on PostgreSQL"
    );
    assert_eq!(
        (only(&sqlite.1, &postgres.1), only(&postgres.1, &sqlite.1)),
        (vec![], vec![]),
        "indexes only on SQLite, only on PostgreSQL"
    );
    ran_on_postgres(module_path!());
}
