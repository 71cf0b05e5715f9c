//! Test support: each test gets its own database and its own server on a free port.
//!
//! Every test runs on SQLite. When `TEST_POSTGRES_URL` names a PostgreSQL server, the
//! same test also runs there, on a database created for it and dropped afterwards.

use app::store::Store;
use groundwork::config::Config;
use groundwork::demo::{self, DemoOptions};
use reqwest::header::ACCEPT;
use reqwest::redirect::Policy;
use std::path::PathBuf;

pub const PASSWORD: &str = "correct-horse-battery";
pub const ADMIN: &str = "admin@demo.groundwork.example";
pub const REGIONAL: &str = "regional@demo.groundwork.example";
pub const ORGANISER: &str = "organiser@demo.groundwork.example";
pub const VOLUNTEER: &str = "volunteer@demo.groundwork.example";
/// Small enough to load in a blink, big enough that every ward has people.
pub const DEMO_ELECTORS: usize = 600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty, migrated database of the given kind, or `None` when PostgreSQL
/// is asked for and `TEST_POSTGRES_URL` is not set.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

impl TestDb {
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join("groundwork-tests");
                std::fs::create_dir_all(&dir).expect("temp dir");
                let path = dir.join(format!("{id}.db"));
                Some(TestDb { url: format!("sqlite:{}", path.display()), cleanup: Cleanup::File(path) })
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())?;
                let name = format!("gw_test_{id}");
                let admin = sqlx::PgPool::connect(&admin_url).await.expect("connect to TEST_POSTGRES_URL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&admin)
                    .await
                    .expect("create test database");
                admin.close().await;
                let base = admin_url.split('?').next().unwrap_or(&admin_url);
                let url = format!("{}/{name}", &base[..base.rfind('/').expect("database URL has a path")]);
                Some(TestDb { url, cleanup: Cleanup::PgDatabase { admin_url, name } })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PgDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, so the clean-up gets a thread of its own.
                let _ = std::thread::spawn(move || {
                    let rt =
                        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                    rt.block_on(async {
                        if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&admin).await;
                            admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub client: reqwest::Client,
    pub backend: Backend,
    server: tokio::task::JoinHandle<()>,
    db: Option<TestDb>,
}

impl TestApp {
    /// A server on its own port over an empty database (no demo).
    pub async fn empty(backend: Backend) -> Option<TestApp> {
        TestApp::empty_with(backend, |_| {}).await
    }

    /// [`TestApp::empty`] on a configuration that `adjust` changes first (secure cookies,
    /// trusted proxies…).
    pub async fn empty_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let db = TestDb::new(backend).await?;
        let mut config = Config { database_url: db.url.clone(), demo_on_empty: false, ..Config::default() };
        adjust(&mut config);
        let state = groundwork::build_state(&config).await.expect("state");
        let store = state.store.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let server = tokio::spawn(async move {
            let _ = groundwork::run(listener, state).await;
        });
        Some(TestApp { base, store, client: client(), backend, server, db: Some(db) })
    }

    /// A server over a small demo campaign whose accounts all use [`PASSWORD`].
    pub async fn with_demo(backend: Backend) -> Option<TestApp> {
        TestApp::with_demo_and(backend, |_| {}).await
    }

    /// [`TestApp::with_demo`] on a configuration that `adjust` changes first.
    pub async fn with_demo_and(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let app = TestApp::empty_with(backend, adjust).await?;
        let opts = DemoOptions { electors: DEMO_ELECTORS, ..DemoOptions::default() };
        demo::load(&app.store, &opts, Some(PASSWORD)).await.expect("demo loads");
        Some(app)
    }

    pub fn database_url(&self) -> &str {
        self.db.as_ref().map(|d| d.url.as_str()).unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser without JavaScript: a new client with its own cookie jar.
    pub fn new_browser(&self) -> reqwest::Client {
        client()
    }

    /// Signs in through the plain HTML form, as a browser without JavaScript would.
    pub async fn sign_in_with(
        &self,
        browser: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        browser
            .post(self.url("/api/login"))
            .header(ACCEPT, "text/html")
            .header(reqwest::header::REFERER, self.url("/login"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("login request")
    }

    pub async fn sign_in(&self, email: &str) -> reqwest::Response {
        self.sign_in_with(&self.client, email, PASSWORD).await
    }

    /// GETs a page as a browser would, returning the status and the HTML.
    pub async fn page_with(&self, browser: &reqwest::Client, path: &str) -> (u16, String) {
        let response = browser.get(self.url(path)).header(ACCEPT, "text/html").send().await.expect("GET");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    pub async fn page(&self, path: &str) -> (u16, String) {
        self.page_with(&self.client, path).await
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        let (n,): (i64,) =
            app::on_store!(&self.store, pool => sqlx::query_as(sql).fetch_one(pool).await).expect("count");
        n
    }

    pub async fn stop(mut self) {
        self.server.abort();
        self.store.close().await;
        drop(self.db.take());
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn client() -> reqwest::Client {
    // A hung response fails its test in seconds rather than stalling the whole suite.
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

/// The `<main>` element of a page, without the shell's scripts and without the comment
/// markers hydration leaves between text nodes, so tests can look for plain markup.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").unwrap_or(0);
    let end = html[start..].find("</main>").map(|e| start + e).unwrap_or(html.len());
    let mut out = String::with_capacity(end - start);
    let mut rest = &html[start..end];
    while let Some(open) = rest.find("<!") {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let close = if after.starts_with("<!--") {
            after.find("-->").map(|c| c + 3)
        } else {
            after.find('>').map(|c| c + 1)
        };
        rest = &after[close.unwrap_or(after.len())..];
    }
    out.push_str(rest);
    out
}

/// Runs each test body once on SQLite and once on PostgreSQL (when configured).
#[macro_export]
macro_rules! on_both_databases {
    ($( $(#[$meta:meta])* async fn $name:ident($backend:ident) $body:block )*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn body($backend: $crate::Backend) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    body($crate::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if std::env::var("TEST_POSTGRES_URL").map_or(true, |u| u.is_empty()) {
                        eprintln!("TEST_POSTGRES_URL is not set: the PostgreSQL run of this test is skipped");
                        return;
                    }
                    body($crate::Backend::Postgres).await;
                }
            }
        )*
    };
}
