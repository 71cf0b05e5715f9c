//! The command-line tasks beyond serving: imports and sample files.

use crate::demo::{self, register_file, DemoOptions};
use app::register::import::{self, ImportOptions, Progress};
use app::register::mapping::MappingSpec;
use app::register::{ImportReport, Outcome};
use app::store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;

/// How `import register` was asked to run (its command-line flags).
pub struct RegisterImport {
    pub mapping: Option<MappingSpec>,
    pub valid_only: bool,
    pub preview: bool,
    pub confirm_left: Option<i64>,
}

/// Imports a register file into a seat and prints the report. Any bad row cancels the
/// whole import unless `valid_only`; `preview` works everything out and writes nothing.
pub async fn import_register(
    store: &Store,
    file: &Path,
    seat: &str,
    options: RegisterImport,
) -> Result<ImportReport, String> {
    let RegisterImport { mapping, valid_only, preview, confirm_left } = options;
    let reader = std::fs::File::open(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let opts = ImportOptions {
        seat,
        file_name: &name,
        mapping,
        valid_only,
        commit: !preview,
        user_id: None,
        confirm_left,
    };
    let report =
        import::import(store, std::io::BufReader::with_capacity(256 * 1024, reader), opts, |p| match p {
            Progress::Read(n) => bar.set_message(format!("read {n} rows")),
            Progress::Writing => {
                bar.set_message("writing to the database");
                // Tests watch for this line to interrupt an import mid-write.
                eprintln!("Writing the import in one transaction…");
            }
        })
        .await
        .map_err(|e| format!("{}: {e}", file.display()))?;
    bar.finish_and_clear();
    print_report(file, &report);
    Ok(report)
}

pub fn print_report(file: &Path, r: &ImportReport) {
    println!("{}: {} ({}), {} rows", file.display(), r.layout, r.encoding, r.rows);
    match r.outcome {
        Outcome::Imported => println!("Imported."),
        Outcome::Previewed => println!("Preview only: nothing was written."),
        Outcome::Cancelled => println!(
            "Cancelled: nothing was written because {} rows are bad (use --valid-only to import the rest).",
            r.rejected.len()
        ),
        Outcome::LooksPartial => println!(
            "Cancelled: nothing was written. {} (use --confirm-left {})",
            r.partial_warning().unwrap_or_default(),
            r.left
        ),
    }
    if r.outcome != Outcome::Cancelled {
        println!(
            "  added {}, changed {}, unchanged {}, left {}, renumbered {}, new households {}, left out as erased {}, rejected {}",
            r.added,
            r.changed,
            r.unchanged,
            r.left,
            r.renumbered,
            r.new_households,
            r.suppressed,
            r.rejected.len()
        );
    }
    for x in &r.rejected {
        println!(
            "  line {}{}: {}",
            x.line,
            if x.column.is_empty() { String::new() } else { format!(", column \"{}\"", x.column) },
            x.reason
        );
    }
    if !r.unplaced.is_empty() {
        println!(
            "  {} addresses could not be placed on the map (unknown postcode), e.g. {}",
            r.unplaced.len(),
            r.unplaced[0]
        );
    }
    for (marker, n) in &r.unknown_markers {
        println!("  unknown franchise marker \"{marker}\" on {n} electors (kept as given)");
    }
}

pub async fn import_postcodes(store: &Store, file: &Path) -> Result<(), String> {
    let reader = std::fs::File::open(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    match app::register::postcodes::import(store, std::io::BufReader::new(reader)).await {
        Ok(n) => {
            println!("Loaded {n} postcodes from {}.", file.display());
            Ok(())
        }
        Err((message, rows)) => {
            for x in rows.iter().take(50) {
                eprintln!("  line {}, column \"{}\": {}", x.line, x.column, x.reason);
            }
            Err(format!("{}: {message}", file.display()))
        }
    }
}

fn print_unmatched(unmatched: &[app::polling_day::elector_file::Unmatched]) {
    if !unmatched.is_empty() {
        println!("{} rows were not imported:", unmatched.len());
    }
    for u in unmatched {
        println!("  {u}");
    }
}

/// Imports a seat's absent-voters list. A file with a bad row writes nothing.
pub async fn import_postal_voters(store: &Store, file: &Path, gss: &str) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let seat = app::seat::queries::find(store, gss).await.map_err(|e| e.to_string())?;
    let r = app::polling_day::postal::import(store, seat.id, None, &bytes, chrono::Utc::now())
        .await
        .map_err(|e| format!("{}: {e}", file.display()))?;
    println!(
        "{}: {} postal voters in {} ({} added, {} no longer on the list).",
        file.display(),
        r.postal_voters,
        seat.name,
        r.added,
        r.removed
    );
    if !r.unused_columns.is_empty() {
        println!("Columns not used: {}.", r.unused_columns.join(", "));
    }
    print_unmatched(&r.unmatched);
    Ok(())
}

/// Imports an election's marked register into the seat's turnout history.
pub async fn import_marked_register(
    store: &Store,
    file: &Path,
    gss: &str,
    election: &str,
    date: &str,
) -> Result<(), String> {
    use app::polling_day::marked_register;
    let bytes = std::fs::read(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let seat = app::seat::queries::find(store, gss).await.map_err(|e| e.to_string())?;
    let now = chrono::Utc::now();
    let date = marked_register::check_date(date, now.date_naive()).map_err(|e| e.to_string())?;
    let r = marked_register::import(store, seat.id, None, election, date, &bytes, now)
        .await
        .map_err(|e| format!("{}: {e}", file.display()))?;
    println!(
        "{}: {} electors of {} in the turnout history of {}, {} voted ({:.1}% of {}){}.",
        file.display(),
        r.named,
        seat.name,
        election.trim(),
        r.voted,
        if r.electorate > 0 { r.voted as f64 * 100.0 / r.electorate as f64 } else { 0.0 },
        r.electorate,
        if r.replaced { ", replacing the earlier import" } else { "" }
    );
    print_unmatched(&r.unmatched);
    Ok(())
}

/// Writes a synthetic register (the demo's made-up people) in a council layout.
pub fn sample_register(
    electors: usize,
    seed: u64,
    layout: &str,
    encoding: &str,
    tab: bool,
    out: &Path,
) -> Result<(), String> {
    let encoding = match encoding {
        "utf8" => register_file::Encoding::Utf8,
        "utf8-bom" => register_file::Encoding::Utf8Bom,
        "utf16le" => register_file::Encoding::Utf16Le,
        "utf16be" => register_file::Encoding::Utf16Be,
        "windows-1252" => register_file::Encoding::Windows1252,
        other => {
            return Err(format!(
                "unknown encoding {other}: use utf8, utf8-bom, utf16le, utf16be or windows-1252"
            ))
        }
    };
    let people =
        demo::people(&DemoOptions { electors, seed, ..DemoOptions::default() }).map_err(|e| e.to_string())?;
    let file = std::fs::File::create(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let format = register_file::FileFormat {
        encoding,
        delimiter: if tab { b'\t' } else { b',' },
        ..Default::default()
    };
    register_file::write_register(&people, layout, format, std::io::BufWriter::new(file))?;
    println!("Wrote {} synthetic electors to {} ({layout}).", people.electors.len(), out.display());
    Ok(())
}

pub async fn import_results(store: &Store, file: &Path, year: i64) -> Result<(), String> {
    let reader = std::fs::File::open(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let report = app::seat::results::import(store, std::io::BufReader::new(reader), year)
        .await
        .map_err(|e| format!("{}: {e}", file.display()))?;
    for x in &report.rejected {
        eprintln!("  line {}, column \"{}\": {}", x.line, x.column, x.reason);
    }
    if !report.rejected.is_empty() {
        return Err(format!(
            "{}: nothing was imported because {} rows are bad",
            file.display(),
            report.rejected.len()
        ));
    }
    println!(
        "{}: {} results for {year}; {} seats in this campaign updated, {} not in this campaign skipped.",
        file.display(),
        report.rows,
        report.updated,
        report.skipped
    );
    Ok(())
}

/// Adds a shipped seat as a target (or moves a held one to `region`) and says what it did.
pub async fn seat_add(store: &Store, gss: &str, region: Option<&str>) -> Result<(), String> {
    let added =
        app::seat::catalogue::add_target(store, None, gss, region).await.map_err(|e| e.to_string())?;
    if added.new {
        println!(
            "Added {} ({}) as a target seat in {}, with its boundary and {} past results.",
            added.name, added.gss_code, added.region, added.results
        );
    } else {
        println!(
            "{} ({}) was already in the campaign; its region is {}.",
            added.name, added.gss_code, added.region
        );
    }
    Ok(())
}

/// Prints the seat catalogue, most winnable first.
pub async fn seat_list(
    store: &Store,
    search: &str,
    region: &str,
    winner: &str,
    sort: &str,
    all: bool,
) -> Result<(), String> {
    use app::seat::catalogue::{catalogue, Filter, Sort};
    let view = catalogue(store, Filter { q: search, region, winner }, Sort::parse(sort))
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "  {:<10} {:<40} {:<26} {:<18} {:>8} {:>7}",
        "code", "seat", "region", "held by (2019)", "majority", "swing"
    );
    let shown = if all { view.seats.len() } else { 50 };
    for s in view.seats.iter().take(shown) {
        println!(
            "{} {:<10} {:<40} {:<26} {:<18} {:>8} {:>6.1}%",
            if s.in_campaign { '*' } else { ' ' },
            s.gss_code,
            s.name,
            s.campaign_region.as_deref().unwrap_or(&s.region),
            s.winner,
            s.majority,
            s.swing_needed
        );
    }
    println!(
        "{} of {} seats{}; * = in the campaign.",
        view.seats.len(),
        view.total,
        if view.seats.len() > shown {
            format!(", first {shown} shown (--all for every one)")
        } else {
            String::new()
        }
    );
    Ok(())
}

/// Invites someone as the first active admin would, and prints the link and code.
pub async fn user_invite(
    store: &Store,
    email: &str,
    name: &str,
    role: &str,
    seat: Option<&str>,
    region: Option<&str>,
) -> Result<(), String> {
    use app::auth::{CurrentUser, Role};
    use app::on_store;
    let role = Role::parse(role).ok_or_else(|| {
        format!("unknown role {role}: use admin, regional, organiser, team_leader or volunteer")
    })?;
    let err = |e: sqlx::Error| e.to_string();
    let patch = match (seat, region) {
        (Some(gss), _) => {
            let row: Option<(i64,)> =
                on_store!(store, pool => sqlx::query_as("SELECT id FROM seats WHERE gss_code = $1")
                .bind(gss.trim().to_uppercase()).fetch_optional(pool).await)
                .map_err(err)?;
            let (id,) = row.ok_or_else(|| {
                format!("seat {gss} is not in the campaign: add it with `groundwork seat add {gss}`")
            })?;
            format!("seat:{id}")
        }
        (None, Some(name)) => {
            let row: Option<(i64,)> =
                on_store!(store, pool => sqlx::query_as("SELECT id FROM regions WHERE name = $1")
                .bind(name.trim()).fetch_optional(pool).await)
                .map_err(err)?;
            let (id,) = row.ok_or_else(|| format!("there is no region called {name}"))?;
            format!("region:{id}")
        }
        (None, None) => String::new(),
    };
    let admin: Option<(i64, String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, email, display_name FROM users WHERE role = 'admin' AND active = $1 ORDER BY id LIMIT 1")
        .bind(true).fetch_optional(pool).await)
    .map_err(err)?;
    let now = chrono::Utc::now();
    let code = match admin {
        Some((id, admin_email, display_name)) => {
            let by = CurrentUser { id, email: admin_email, display_name, role: Role::Admin };
            app::people::invitations::invite(store, &by, email, name, role, &patch, now).await
        }
        // A new deployment has nobody to invite from: its first admin is invited by the command line.
        None if role == Role::Admin => {
            app::people::invitations::invite_first_admin(store, email, name, now).await
        }
        None => return Err("there is no admin yet: invite one first with --role admin".into()),
    }
    .map_err(|e| e.to_string())?;
    println!(
        "Invited {} as {}. Send them this link (it works once, for {} days):",
        email.trim(),
        role.label(),
        app::people::INVITATION_DAYS
    );
    println!("  /invite/{code}");
    println!("or give them the code to type in at /invite: {code}");
    Ok(())
}

/// Prints every campaign setting: its key, what it is, and its value as an admin edits it.
pub async fn settings_show(store: &Store) -> Result<(), String> {
    let view = app::settings::queries::view(store).await.map_err(|e| e.to_string())?;
    for f in view.fields {
        println!("{} ({})", f.key, f.label);
        for line in f.text.lines() {
            println!("    {line}");
        }
    }
    Ok(())
}

/// Changes one setting; `-` reads the value from standard input.
pub async fn settings_set(store: &Store, key: &str, value: &str) -> Result<(), String> {
    let value = if value == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("cannot read standard input: {e}"))?
    } else {
        value.to_string()
    };
    let given = std::collections::HashMap::from([(key.to_string(), value)]);
    let changed = app::settings::queries::save(store, None, &given).await.map_err(|e| e.to_string())?;
    println!("{}", if changed == 0 { "Unchanged." } else { "Saved; the change is in the audit log." });
    Ok(())
}
