//! Starting and stopping `groundwork` server processes on free ports, for the load
//! command and the fault tests: real processes, so one can be killed with SIGKILL.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// One server process and where it listens.
pub struct ServerProcess {
    pub url: String,
    pub port: u16,
    child: Child,
}

/// A port nobody is listening on just now.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// This program's own binary (`groundwork-perf`), to start the bare handler from.
pub fn this_binary() -> Result<PathBuf, String> {
    std::env::current_exe().map_err(|e| format!("cannot find the groundwork-perf binary: {e}"))
}

/// The `groundwork` server binary, built beside this one, to start app servers from.
pub fn groundwork_binary() -> Result<PathBuf, String> {
    let bin = this_binary()?.with_file_name(format!("groundwork{}", std::env::consts::EXE_SUFFIX));
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!(
            "{} is missing: build it beside this tool (`cargo build --release -p groundwork -p groundwork-perf`)",
            bin.display()
        ))
    }
}

impl ServerProcess {
    /// Starts `binary args…` on `port` over `database_url` and waits until `/health`
    /// answers (or `path` answers, for a server with no health route).
    pub async fn start(
        binary: &Path,
        args: &[&str],
        database_url: &str,
        port: u16,
        ready_path: &str,
    ) -> Result<ServerProcess, String> {
        let child = Command::new(binary)
            .args(args)
            .env("DATABASE_URL", database_url)
            .env("GROUNDWORK_ADDR", format!("127.0.0.1:{port}"))
            .env("GROUNDWORK_DEMO", "false")
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let url = format!("http://127.0.0.1:{port}");
        let mut server = ServerProcess { url, port, child };
        server.wait_ready(ready_path, Duration::from_secs(60)).await?;
        Ok(server)
    }

    /// The app server: `groundwork serve`.
    pub async fn app(binary: &Path, database_url: &str, port: u16) -> Result<ServerProcess, String> {
        ServerProcess::start(binary, &["serve"], database_url, port, "/health").await
    }

    async fn wait_ready(&mut self, path: &str, limit: Duration) -> Result<(), String> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("the server on port {} stopped at start ({status})", self.port));
            }
            let answer = client.get(format!("{}{path}", self.url)).send().await;
            // Any answer means it is listening; /health must also reach the database.
            if answer.is_ok_and(|r| path != "/health" || r.status().is_success()) {
                return Ok(());
            }
            if started.elapsed() > limit {
                return Err(format!("the server on port {} did not start within {limit:?}", self.port));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no clean shutdown, as when a machine dies.
    pub async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}
