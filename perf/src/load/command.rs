//! The `groundwork-perf load` command: starts its own servers (or loads given ones), runs
//! the load and prints the figures.

use super::servers::{free_port, groundwork_binary, this_binary, ServerProcess};
use super::{LoadOptions, LoadReport};
use app::store::Store;
use std::time::Duration;

pub struct Command {
    /// App servers already running; none: start `servers` of our own.
    pub urls: Vec<String>,
    pub servers: usize,
    /// The database (own servers only); none: a fresh temporary SQLite file.
    pub database: Option<String>,
    /// Configured database, used with `urls`.
    pub configured_database: String,
    pub electors: usize,
    pub options: LoadOptions,
    /// Tellers and knockers-up instead of the doorstep; the knockers' pause between loads.
    pub polling_day: Option<Duration>,
}

/// "30s", "500ms", "2m" or a plain number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let bad = || format!("{text:?} is not a duration (e.g. 30s, 500ms, 2m)");
    let (number, unit) = match text.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let n: f64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" | "min" => n * 60.0,
        _ => return Err(bad()),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| bad())
}

pub async fn run(mut cmd: Command) -> Result<(), String> {
    crate::bench::warn_if_debug();
    let (binary, perf_binary) = (groundwork_binary()?, this_binary()?);
    let temp = std::env::temp_dir().join(format!("groundwork-load-{}.db", uuid::Uuid::new_v4().simple()));
    let url = if !cmd.urls.is_empty() {
        cmd.configured_database.clone()
    } else {
        cmd.database.clone().unwrap_or_else(|| format!("sqlite:{}", temp.display()))
    };
    let store = Store::connect(&url).await.map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    // Synthetic seats need no demo seat beside them.
    let own_seats = cmd.polling_day.is_some() || cmd.options.seats > 0;
    if !own_seats && groundwork::demo::database_is_empty(&store).await.map_err(|e| e.to_string())? {
        println!("Loading the demo seat with {} electors…", cmd.electors);
        let opts = groundwork::demo::DemoOptions { electors: cmd.electors, ..Default::default() };
        groundwork::demo::load(&store, &opts, None).await.map_err(|e| e.to_string())?;
    }
    let mut processes = Vec::new();
    let result = async {
        if cmd.urls.is_empty() {
            for _ in 0..cmd.servers.max(1) {
                let server =
                    ServerProcess::app(&binary, &url, free_port().map_err(|e| e.to_string())?).await?;
                cmd.options.servers.push(server.url.clone());
                processes.push(server);
            }
        } else {
            cmd.options.servers = cmd.urls.clone();
        }
        if cmd.polling_day.is_none() && !cmd.options.compare.is_zero() {
            let port = free_port().map_err(|e| e.to_string())?;
            let bare = ServerProcess::start(&perf_binary, &["bare-serve"], &url, port, "/").await?;
            cmd.options.bare = Some(bare.url.clone());
            processes.push(bare);
        }
        println!(
            "{} on {} ({} app server(s){}).",
            if cmd.urls.is_empty() { "Started" } else { "Loading" },
            store.backend(),
            cmd.options.servers.len(),
            if cmd.options.bare.is_some() { " and a bare handler" } else { "" }
        );
        match cmd.polling_day {
            Some(reload) => {
                let o = &cmd.options;
                let opts = super::polling::PollingOptions {
                    servers: o.servers.clone(),
                    seats: o.seats,
                    electors: o.electors,
                    volunteers: o.volunteers,
                    batch: o.batch,
                    think: o.think,
                    reload,
                    duration: o.duration,
                    grace: o.grace,
                };
                let report = super::polling::run(&store, &opts).await?;
                Ok(Err(report))
            }
            None => super::run(&store, &cmd.options).await.map(Ok),
        }
    }
    .await;
    for mut p in processes {
        p.kill().await;
    }
    store.close().await;
    if cmd.database.is_none() && cmd.urls.is_empty() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", temp.display()));
        }
    }
    let report: LoadReport = match result? {
        Ok(report) => report,
        Err(polling) => {
            let missing: usize = polling.per_seat.iter().map(|c| c.missing).sum();
            let doubled: usize = polling.per_seat.iter().map(|c| c.duplicated).sum();
            if !polling.exact() || polling.stale > 0 {
                return Err(format!(
                    "{missing} acknowledged telling entries are missing, {doubled} were stored twice and \
                     {} told promises were still listed by a later knock-up load",
                    polling.stale
                ));
            }
            return Ok(());
        }
    };
    if !report.exact() {
        return Err(format!(
            "{} acknowledged conversations are missing and {} were stored twice",
            report.missing, report.duplicated
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_read_with_or_without_a_unit() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("soon").is_err());
    }
}
