//! Register import at seat scale: a 75,000-elector Xpress file into SQLite, against a
//! bare bulk insert of the same rows; then a second edition with 5% of people changed.

use app::register::import::{import, ImportOptions};
use app::store::Store;
use groundwork::demo::{self, register_file, DemoOptions};
use std::time::Instant;

pub async fn run(electors: usize) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("groundwork-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = measure(&dir, electors).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(dir: &std::path::Path, electors: usize) -> Result<(), String> {
    let err = |e: sqlx::Error| e.to_string();
    let mut people =
        demo::people(&DemoOptions { electors, ..DemoOptions::default() }).map_err(|e| e.to_string())?;
    let first = dir.join("register-1.csv");
    let text = register_file::register_text(&people, "xpress", b',', "\r\n")?;
    std::fs::write(&first, &text).map_err(|e| e.to_string())?;
    drop(text);
    // The next month's edition: 5% of electors changed (a new surname or a marker).
    for (i, e) in people.electors.iter_mut().enumerate() {
        if i % 20 == 0 {
            e.surname = if e.surname == "Smith" { "Jones" } else { "Smith" };
        }
    }
    let second = dir.join("register-2.csv");
    std::fs::write(&second, register_file::register_text(&people, "xpress", b',', "\r\n")?)
        .map_err(|e| e.to_string())?;
    let file_mb = std::fs::metadata(&first).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0);
    drop(people);

    let store = Store::connect(&format!("sqlite:{}", dir.join("bench.db").display()))
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let geo = demo::geography::load()?;
    store.write(&[], |tx| Box::pin(async { app::on_tx!(tx, tx => {
        sqlx::query("INSERT INTO seats (gss_code, name, is_target) VALUES ('E14000611', 'Bury North', TRUE)").execute(&mut *tx).await?;
        for p in &geo.postcodes {
            sqlx::query("INSERT INTO postcodes (postcode, lat, lon) VALUES ($1, $2, $3)")
                .bind(&p.postcode).bind(p.lat).bind(p.lon).execute(&mut *tx).await?;
        }
        Ok::<_, sqlx::Error>(())
    })})).await.map_err(err)?;

    // Baseline: the same file's rows, straight into one bare table, in one transaction.
    let bare = bare_insert(&store, &first).await.map_err(err)?;

    let import_file = |path: std::path::PathBuf| {
        let store = store.clone();
        async move {
            super::reset_peak_rss();
            let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
            let cpu = super::cpu_secs();
            let start = Instant::now();
            let opts = ImportOptions {
                seat: "E14000611",
                file_name: "bench.csv",
                mapping: None,
                valid_only: false,
                commit: true,
                user_id: None,
                confirm_left: None,
            };
            let report = import(&store, std::io::BufReader::with_capacity(256 * 1024, file), opts, |_| {})
                .await
                .map_err(|e| e.to_string())?;
            let secs = start.elapsed().as_secs_f64();
            let cpu = cpu.zip(super::cpu_secs()).map(|(a, b)| b - a);
            Ok::<_, String>((secs, cpu, report, super::peak_rss_mb()))
        }
    };
    let (first_secs, first_cpu, first_report, first_peak) = import_file(first).await?;
    let (second_secs, second_cpu, second_report, second_peak) = import_file(second).await?;
    let cpu = |c: Option<f64>| c.map_or(String::new(), |c| format!(", CPU {c:.2} s"));

    let rows = first_report.rows as f64;
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string));
    println!(
        "bench import: {electors} electors, Xpress CSV of {file_mb:.1} MB, SQLite ({} cores, load average {})",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load.as_deref().unwrap_or("unknown")
    );
    println!(
        "  first import (households, geocoding): {:.3} s{}, {:.0} rows/s  [target < 2 s]",
        first_secs,
        cpu(first_cpu),
        rows / first_secs
    );
    println!(
        "    added {}, households {}, unplaced {}",
        first_report.added,
        first_report.new_households,
        first_report.unplaced.len()
    );
    println!(
        "  bare bulk insert of the same file:    {:.3} s{}, {:.0} rows/s (reading the file {:.3} s of it)",
        bare.secs,
        cpu(bare.cpu),
        rows / bare.secs,
        bare.reading_secs
    );
    println!("  ratio import / bare (rows/s):         {:.2}  [target >= 0.5]", bare.secs / first_secs);
    if let (Some(a), Some(b)) = (first_cpu, bare.cpu) {
        println!("  ratio import / bare (CPU time):       {:.2}", b / a);
    }
    // The same ratio against the inserts alone, for comparison with figures measured before
    // the baseline's reading of the file was timed too.
    println!("  ratio against the bare inserts alone: {:.2}", (bare.secs - bare.reading_secs) / first_secs);
    println!(
        "  second edition, 5% changed:           {:.3} s{} ({} changed, {} unchanged)  [target <= first]",
        second_secs,
        cpu(second_cpu),
        second_report.changed,
        second_report.unchanged
    );
    match (first_peak, second_peak) {
        (Some(a), Some(b)) => {
            println!("  peak memory during import:            {:.0} MB / {:.0} MB  [target < 300 MB]", a, b)
        }
        _ => println!("  peak memory: not available on this platform"),
    }
    store.close().await;
    Ok(())
}

/// The baseline: the same file read with the same csv crate, its rows inserted as they come
/// into one bare table (no index, no key, no constraint), 500 rows a statement with bound
/// values, in one transaction, as the import does. Timed, like the import, from opening the
/// file to the commit; the time spent reading the file is returned as well, so that both
/// ratios can be printed.
async fn bare_insert(store: &Store, path: &std::path::Path) -> Result<Bare, sqlx::Error> {
    let csv_err = |e: csv::Error| sqlx::Error::Protocol(format!("{}: {e}", path.display()));
    app::on_store!(store, pool => sqlx::query("CREATE TABLE bench_bare (prefix TEXT, number BIGINT, suffix BIGINT, markers TEXT, dob TEXT,
                     surname TEXT, forename TEXT, postcode TEXT, address1 TEXT, address2 TEXT)").execute(pool).await.map(|_| ()))?;
    let (cpu, start, reading) = store.write(&[], |tx| Box::pin(async { app::on_tx!(tx, tx => {
        let cpu = super::cpu_secs();
        let start = Instant::now();
        let mut reading = std::time::Duration::ZERO;
        let file = std::fs::File::open(path).map_err(|e| sqlx::Error::Protocol(format!("{}: {e}", path.display())))?;
        let mut reader = csv::Reader::from_reader(std::io::BufReader::with_capacity(256 * 1024, file));
        let mut chunk: Vec<csv::StringRecord> = Vec::with_capacity(500);
        loop {
            let read_start = Instant::now();
            chunk.clear();
            for record in reader.records().take(500) {
                chunk.push(record.map_err(csv_err)?);
            }
            reading += read_start.elapsed();
            if chunk.is_empty() {
                break;
            }
            let mut q = sqlx::QueryBuilder::new("INSERT INTO bench_bare (prefix, number, suffix, markers, dob, surname, forename, postcode, address1, address2) ");
            q.push_values(&chunk, |mut b, r| {
                let f = |i: usize| r.get(i).unwrap_or("");
                b.push_bind(f(0)).push_bind(f(1).parse::<i64>().unwrap_or(0)).push_bind(f(2).parse::<i64>().unwrap_or(0))
                    .push_bind(f(3)).push_bind(f(4)).push_bind(f(5)).push_bind(f(6)).push_bind(f(7)).push_bind(f(8)).push_bind(f(9));
            });
            q.build().execute(&mut *tx).await?;
        }
        Ok::<_, sqlx::Error>((cpu, start, reading))
    })})).await?;
    Ok(Bare {
        secs: start.elapsed().as_secs_f64(),
        reading_secs: reading.as_secs_f64(),
        cpu: cpu.zip(super::cpu_secs()).map(|(a, b)| b - a),
    })
}

struct Bare {
    /// From opening the file to the commit.
    secs: f64,
    /// Of which reading and splitting the file's rows.
    reading_secs: f64,
    cpu: Option<f64>,
}
