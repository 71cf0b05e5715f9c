//! `groundwork-perf bench NAME`: measures the speed and memory targets and prints
//! the figures. Benchmarks, not tests: run them on a release build.

pub mod dashboard;
pub mod doorstep;
mod import;
pub mod national;
pub mod page_weight;
pub mod turf;

pub use dashboard::{BenchOptions, BenchReport, Timing};

pub fn warn_if_debug() {
    if cfg!(debug_assertions) {
        println!(
            "(debug build: the figures that count come from `cargo run --release -p groundwork -- bench …`)"
        );
    }
}

pub async fn import(electors: usize) -> Result<(), String> {
    warn_if_debug();
    import::run(electors).await
}

/// Peak resident memory of this process since the last reset, in MB (Linux only).
pub(crate) fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 =
        status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Starts a new peak-memory measurement from the current size (Linux ≥ 4.0).
pub(crate) fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// CPU time this process has used so far (all threads, user and system), in seconds, from
/// /proc (Linux only). On a loaded machine wall time also counts the waiting for a core;
/// CPU time does not, so the two together say how much of a figure is the machine.
pub(crate) fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after it are plain numbers.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
