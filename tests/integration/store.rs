use app::error::AppError;
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

    async fn an_elector_number_reads_the_same_from_sql_as_from_rust(backend) {
        use app::register::number::ElectorNumber;
        let app = TestApp::with_demo(backend).await.expect("app");
        // The demo's numbers have no suffix; a rolling register's newcomers do.
        app::on_store!(&app.store, pool => sqlx::query("UPDATE electors SET elector_suffix = 3 WHERE id = (SELECT MIN(id) FROM electors)")
            .execute(pool).await.map(|_| ())).expect("a suffix");
        const SQL: &str = concat!("SELECT e.pd_prefix, e.elector_number, e.elector_suffix, ", app::elector_number_sql!(),
            " FROM electors e ORDER BY e.elector_suffix DESC, e.id LIMIT 50");
        let rows: Vec<(String, i64, i64, String)> = app::on_store!(&app.store, pool => sqlx::query_as(SQL).fetch_all(pool).await).expect("numbers");
        assert!(rows.iter().any(|r| r.2 != 0) && rows.iter().any(|r| r.2 == 0), "the demo has numbers with and without a suffix");
        for (prefix, number, suffix, printed) in rows {
            let n = ElectorNumber { prefix, number, suffix };
            assert_eq!(printed, n.to_string());
            assert_eq!(ElectorNumber::parse(&printed), Ok(n), "the printed form reads back");
        }
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

async fn regions(store: &Store) -> Vec<String> {
    let rows: Vec<(String,)> =
        app::on_store!(store, pool => sqlx::query_as("SELECT name FROM regions ORDER BY name")
        .fetch_all(pool).await)
        .expect("regions");
    rows.into_iter().map(|(n,)| n).collect()
}

/// Whether another connection, not waiting, can write to the SQLite file now.
async fn sqlite_writable_elsewhere(url: &str) -> bool {
    use sqlx::ConnectOptions;
    let opts: sqlx::sqlite::SqliteConnectOptions = url.parse().expect("url");
    let mut other = opts.busy_timeout(std::time::Duration::ZERO).connect().await.expect("connect");
    let wrote = sqlx::query("INSERT INTO regions (name) VALUES ('Elsewhere')").execute(&mut other).await;
    wrote.is_ok()
}

/// Whether another connection can take a seat's lock (the two-key advisory lock) now.
async fn seat_lock_free(url: &str, seat: i64) -> bool {
    use sqlx::Connection;
    let mut other = sqlx::PgConnection::connect(url).await.expect("connect");
    let (free,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock(1, CAST($1 AS INTEGER))")
        .bind(seat)
        .fetch_one(&mut other)
        .await
        .expect("try lock");
    free
}

on_both_databases! {
    async fn a_write_commits_what_its_body_returns_ok_and_nothing_else(backend) {
        let db = TestDb::new(backend).await.expect("db");
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        store.write(&[], |tx| Box::pin(async { app::on_tx!(tx, tx => {
            sqlx::query("INSERT INTO regions (name) VALUES ('Kept')").execute(&mut *tx).await.map(|_| ())
        })})).await.expect("a write that succeeds");
        let refused: Result<(), AppError> = store.write(&[], |tx| Box::pin(async { app::on_tx!(tx, tx => {
            sqlx::query("INSERT INTO regions (name) VALUES ('Refused')").execute(&mut *tx).await?;
            Err(AppError::BadInput("the body gave up after writing".into()))
        })})).await;
        assert!(matches!(&refused, Err(AppError::BadInput(m)) if m == "the body gave up after writing"), "{refused:?}");
        // A failing statement rolls back what came before it in the same body.
        let failed = store.write(&[], |tx| Box::pin(async { app::on_tx!(tx, tx => {
            sqlx::query("INSERT INTO regions (name) VALUES ('Before the failure')").execute(&mut *tx).await?;
            sqlx::query("INSERT INTO regions (name) VALUES ('Kept')").execute(&mut *tx).await?;
            Ok::<_, sqlx::Error>(())
        })})).await;
        assert!(failed.is_err(), "a second region of the same name breaks the unique name");
        let previewed = store.write_or_roll_back(&[], |tx| Box::pin(async { app::on_tx!(tx, tx => {
            sqlx::query("INSERT INTO regions (name) VALUES ('Previewed')").execute(&mut *tx).await?;
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM regions WHERE name = 'Previewed'").fetch_one(&mut *tx).await?;
            Ok::<_, sqlx::Error>((n, app::store::Finish::RollBack))
        })})).await.expect("a preview");
        assert_eq!(previewed, 1, "the preview saw its own write");
        let confirmed = store.write_or_roll_back(&[], |tx| Box::pin(async { app::on_tx!(tx, tx => {
            sqlx::query("INSERT INTO regions (name) VALUES ('Confirmed')").execute(&mut *tx).await?;
            Ok::<_, sqlx::Error>(((), app::store::Finish::Commit))
        })})).await;
        assert!(confirmed.is_ok());
        let names = regions(&store).await;
        assert!(names.contains(&"Kept".to_string()) && names.contains(&"Confirmed".to_string()), "{names:?}");
        for gone in ["Refused", "Before the failure", "Previewed"] {
            assert!(!names.contains(&gone.to_string()), "{gone} was rolled back: {names:?}");
        }
        store.close().await;
    }

    async fn a_write_holds_its_backends_lock_from_its_first_statement(backend) {
        let db = TestDb::new(backend).await.expect("db");
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let url = db.url.clone();
        // The body only reads before it looks: SQLite's write lock and PostgreSQL's seat
        // locks must already be held, or a read-then-write body could fail or deadlock.
        let seen = store.write(&[7, 3, 7], |tx| Box::pin(async { app::on_tx!(tx, tx => {
            let _: Vec<(String,)> = sqlx::query_as("SELECT name FROM regions").fetch_all(&mut *tx).await?;
            Ok::<_, sqlx::Error>(match backend {
                Backend::Sqlite => (sqlite_writable_elsewhere(&url).await, true, true),
                Backend::Postgres => (seat_lock_free(&url, 7).await, seat_lock_free(&url, 3).await, seat_lock_free(&url, 8).await),
            })
        })})).await.expect("write");
        match backend {
            Backend::Sqlite => {
                assert!(!seen.0, "another connection could write while the write was open");
                assert!(sqlite_writable_elsewhere(&db.url).await, "the write lock is released at the end");
            }
            Backend::Postgres => {
                assert_eq!(seen, (false, false, true), "seats 7 and 3 were locked, seat 8 was not");
                assert!(seat_lock_free(&db.url, 7).await, "the seat lock is released at the end");
            }
        }
        store.close().await;
    }
}
