//! Fault tests: an app server killed with SIGKILL in the middle of the load, and the
//! database restarted under it. Real `groundwork` processes (the binary cargo built
//! beside the tests) on one database; every acknowledged conversation must be there
//! exactly once afterwards.

use groundwork_tests::*;
use perf::load::servers::{free_port, ServerProcess};
use perf::load::{self, LoadOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn groundwork_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let bin = exe.parent().and_then(|d| d.parent()).expect("target dir").join("groundwork");
    assert!(
        bin.exists(),
        "{} is missing: build it first (`cargo build -p groundwork`; ./dev test does)",
        bin.display()
    );
    bin
}

fn options(servers: Vec<String>, seconds: u64) -> LoadOptions {
    LoadOptions {
        servers,
        bare: None,
        volunteers: 30,
        batch: 10,
        think: Duration::from_millis(30),
        duration: Duration::from_secs(seconds),
        compare: Duration::ZERO,
        doors: 12,
        grace: Duration::from_secs(45),
        seats: 0,
        electors: 0,
    }
}

async fn demo_database(url: &str) -> app::store::Store {
    let store = app::store::Store::connect(url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let opts = groundwork::demo::DemoOptions { electors: DEMO_ELECTORS, ..Default::default() };
    groundwork::demo::load(&store, &opts, Some(PASSWORD)).await.expect("demo");
    store
}

on_both_databases! {
    async fn faults_an_app_server_killed_mid_load_loses_and_doubles_nothing(backend) {
        let db = TestDb::new(backend).await.expect("db");
        let store = demo_database(&db.url).await;
        let binary = groundwork_binary();
        let port_a = free_port().expect("port");
        let mut a = ServerProcess::app(&binary, &db.url, port_a).await.expect("server A");
        let b = ServerProcess::app(&binary, &db.url, free_port().expect("port")).await.expect("server B");
        let opts = options(vec![a.url.clone(), b.url.clone()], 5);
        let load_store = store.clone();
        let run = tokio::spawn(async move { load::run(&load_store, &opts).await });

        // Volunteers sign in (a second or two), then write; kill A while they do.
        let (n0,): (i64,) = app::on_store!(&store, pool => sqlx::query_as("SELECT COUNT(*) FROM conversations").fetch_one(pool).await).expect("count");
        for _ in 0..400 {
            let (n,): (i64,) = app::on_store!(&store, pool => sqlx::query_as("SELECT COUNT(*) FROM conversations").fetch_one(pool).await).expect("count");
            if n > n0 + 200 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        a.kill().await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        let a = ServerProcess::app(&binary, &db.url, port_a).await.expect("server A again");
        let report = run.await.expect("join").expect("the load runs");

        assert!(report.main.retries > 0, "the kill happened during the load: {report:?}");
        assert!(report.acknowledged > 0);
        assert_eq!(report.missing, 0, "acknowledged but lost: {report:?}");
        assert_eq!(report.duplicated, 0, "stored twice: {report:?}");
        assert_eq!(report.unacknowledged, 0, "every entry was retried until acknowledged: {report:?}");
        assert_eq!(report.main.refused, 0, "{:?}", report.main.errors);
        drop((a, b));
        store.close().await;
    }
}

/// A throwaway PostgreSQL cluster of this test's own, on a free port, so that it can be
/// stopped and started without disturbing the shared server other tests use.
struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Cluster {
    fn new() -> Option<Cluster> {
        let initdb = groundwork::backup::find_tool("initdb").ok()?;
        let bin = initdb.parent()?.to_path_buf();
        let dir = std::env::temp_dir().join(format!("gw-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).ok()?;
        // PostgreSQL refuses to run as root: run it as the `postgres` account then.
        let as_postgres =
            Command::new("id").arg("-u").output().ok().is_some_and(|o| o.stdout.starts_with(b"0\n"));
        let cluster = Cluster { dir, bin, port: free_port().ok()?, as_postgres };
        if as_postgres {
            Command::new("chown").args(["postgres:postgres"]).arg(&cluster.dir).status().ok()?;
        }
        let data = cluster.data();
        let ok = cluster.tool("initdb", &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync"]);
        (ok && cluster.start()).then_some(cluster)
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn tool(&self, name: &str, args: &[&str]) -> bool {
        let program = self.bin.join(name);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        cmd.args(args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
        cmd.status().is_ok_and(|s| s.success())
    }

    fn start(&self) -> bool {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("log").display().to_string();
        self.tool("pg_ctl", &["-D", &self.data(), "-o", &options, "-l", &log, "-w", "start"])
    }

    fn stop(&self) -> bool {
        self.tool("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"])
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(Path::new(&self.dir));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_postgres_restarted_mid_load_the_app_reconnects_and_loses_nothing() {
    if !postgres_configured() {
        eprintln!("TEST_POSTGRES_URL is not set: the PostgreSQL restart test is skipped");
        return;
    }
    // Where PostgreSQL answers, its programs are here too: a cluster that cannot be made
    // is a failure, not a skip, or a run that never happened would count as passed.
    let cluster = Cluster::new().expect("a private PostgreSQL cluster (initdb, pg_ctl) starts for this test");
    let store = demo_database(&cluster.url()).await;
    let binary = groundwork_binary();
    let server =
        ServerProcess::app(&binary, &cluster.url(), free_port().expect("port")).await.expect("server");
    let run_store = store.clone();
    let opts = options(vec![server.url.clone()], 6);
    let run = tokio::spawn(async move { load::run(&run_store, &opts).await });

    // A volunteer of our own, to see what the phone is told while the database is down.
    let phone = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let login = phone
        .post(format!("{}/api/login", server.url))
        .header("accept", "text/html")
        .form(&[("email", VOLUNTEER), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert!(login.status().is_redirection() || login.status().is_success(), "{}", login.status());
    // Stop the database once the volunteers are writing.
    let count = || async {
        let (n,): (i64,) = app::on_store!(&store, pool => sqlx::query_as("SELECT COUNT(*) FROM conversations").fetch_one(pool).await).expect("count");
        n
    };
    let n0 = count().await;
    for _ in 0..400 {
        if count().await > n0 + 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }

    assert!(cluster.stop(), "PostgreSQL stops");
    let response = phone
        .post(format!("{}/api/doorstep/batch", server.url))
        .json(&serde_json::json!({ "entries": [] }))
        .send()
        .await
        .expect("an answer while the database is down");
    let status = response.status().as_u16();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("database is unavailable"), "a plain message for the phone: {body}");
    let health = phone.get(format!("{}/health", server.url)).send().await.expect("health");
    assert_eq!(health.status().as_u16(), 503, "the load balancer is told too");
    assert!(cluster.start(), "PostgreSQL starts again");

    let report = run.await.expect("join").expect("the load runs");
    assert!(report.main.retries > 0, "requests failed while the database was down: {report:?}");
    assert!(report.acknowledged > 0);
    assert!(report.exact(), "{report:?}");
    assert_eq!(report.unacknowledged, 0, "{report:?}");
    let health = phone.get(format!("{}/health", server.url)).send().await.expect("health");
    assert_eq!(health.status().as_u16(), 200, "the app reconnected by itself");
    drop(server);
    store.close().await;
    ran_on_postgres(module_path!());
}
