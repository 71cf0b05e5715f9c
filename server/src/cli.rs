//! The `groundwork` command line: every subcommand and its arguments, as clap reads them.
//! What each one does is in `main.rs` and `groundwork::commands`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "groundwork", version, about = "Groundwork: a campaign CRM for community organising")]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Load, or reload, the Bury North demo seat with synthetic electors.
    Demo {
        /// How many synthetic electors to make.
        #[arg(long, default_value_t = 67_000)]
        electors: usize,
        /// Seed for the generator: the same seed gives the same people.
        #[arg(long, default_value_t = 2015)]
        seed: u64,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Import data files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write a synthetic register (made-up people on the demo seat's real streets) in a
    /// council layout, to try the import with.
    SampleRegister {
        /// Where to write the file.
        out: PathBuf,
        /// Layout: xpress, xpress-name, xpress-update, eros, eros-update, pp50, groundwork.
        #[arg(long, default_value = "xpress")]
        layout: String,
        #[arg(long, default_value_t = 67_000)]
        electors: usize,
        #[arg(long, default_value_t = 2015)]
        seed: u64,
        /// utf8, utf8-bom, utf16le, utf16be or windows-1252.
        #[arg(long, default_value = "utf8")]
        encoding: String,
        /// Separate columns with tabs instead of commas.
        #[arg(long)]
        tab: bool,
    },
    /// Apply the retention policy now: purge voting intentions, firmness and notes from
    /// before the election once the retention period after it has passed. The server
    /// also does this by itself every few hours.
    Retention {
        /// Only say what would be purged.
        #[arg(long)]
        dry_run: bool,
        /// Act as if today were this date (YYYY-MM-DD), e.g. to see what a dry run will find later.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Write a consistent backup of the live database to FILE (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump's custom format, restore with pg_restore).
    Backup { file: PathBuf },
    /// The erasure journal (no personal data): keep a copy away from the database, and
    /// re-apply it after restoring a backup.
    #[command(subcommand)]
    Erasures(ErasuresCommand),
    /// Target seats from the shipped open data (every GB constituency).
    #[command(subcommand)]
    Seat(SeatCommand),
    /// Accounts: invitations.
    #[command(subcommand)]
    User(UserCommand),
    /// Campaign settings: what volunteers record, the privacy notice, retention, map tiles.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Rebuild server/data/gb (results and simplified boundaries) from the full open data.
    #[command(hide = true)]
    GbData {
        /// The folder holding results/ and boundaries/.
        #[arg(long, default_value = "../shared/data")]
        source: PathBuf,
        /// Where to write results.csv and boundaries.geojson.
        #[arg(long, default_value = "server/data/gb")]
        out: PathBuf,
        /// Simplification tolerance in degrees.
        #[arg(long, default_value_t = groundwork::gb_data::TOLERANCE)]
        tolerance: f64,
    },
}

#[derive(Subcommand)]
pub(crate) enum SeatCommand {
    /// Add a seat as a target with its boundary, region and 2015 and 2019 results
    /// (on a seat already held: move it to --region).
    Add {
        /// The constituency's code, e.g. E14000611.
        gss: String,
        /// The region to put it in (made if new); the results file's region otherwise.
        #[arg(long)]
        region: Option<String>,
    },
    /// List every GB constituency, most winnable first; `*` marks seats in the campaign.
    List {
        /// swing, majority or name.
        #[arg(long, default_value = "swing")]
        sort: String,
        /// Only this region (as the results file names it).
        #[arg(long, default_value = "")]
        region: String,
        /// Only seats this party won in 2019.
        #[arg(long, default_value = "")]
        winner: String,
        /// Only seats whose name contains this.
        #[arg(long, default_value = "")]
        search: String,
        /// All matching seats rather than the first 50.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum ErasuresCommand {
    /// Write every erasure the database holds to FILE (one JSON line each).
    Export { file: PathBuf },
    /// Erase again everyone in the journal FILE (default: the configured journal file)
    /// who is on the register: run after restoring a backup.
    Reapply { file: Option<PathBuf> },
}

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Invite someone; prints the invitation link's path and its code (shown once).
    Invite {
        email: String,
        /// Their name as others will see it.
        #[arg(long)]
        name: String,
        /// admin, regional, organiser, team_leader or volunteer.
        #[arg(long)]
        role: String,
        /// Their seat, by code (organisers, team leaders, volunteers).
        #[arg(long, conflicts_with = "region")]
        seat: Option<String>,
        /// Their region, by name (regional staff).
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum SettingsCommand {
    /// Print every setting as the settings screen shows it.
    Show,
    /// Change one setting, checked as the settings screen checks it (lists: one item per
    /// line, `code = Label`); the change is in the audit log.
    Set {
        /// The setting's key, as `settings show` lists it.
        key: String,
        /// The new value; `-` reads it from standard input.
        value: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum ImportCommand {
    /// An electoral register extract for a seat (full edition or monthly update).
    Register {
        file: PathBuf,
        /// The seat's GSS code, e.g. E14000611.
        #[arg(long)]
        seat: String,
        /// Import the valid rows and list the rejected ones (by default any bad row cancels).
        #[arg(long)]
        valid_only: bool,
        /// Work out and print the changes without writing them.
        #[arg(long)]
        preview: bool,
        /// For a layout Groundwork does not recognise: which column holds each field, e.g.
        /// "elector_number=Ref; surname=Family name; forename=Given name; address1=Line 1; postcode=Post code".
        /// Remembered for the next file with the same header.
        #[arg(long)]
        map: Option<String>,
        /// With --map: the file is a monthly update, not a full register.
        #[arg(long)]
        update: bool,
        /// A full register that would mark more than `register_left_limit` per cent of the
        /// electors as left is refused as partial unless this is that number exactly.
        #[arg(long)]
        confirm_left: Option<i64>,
    },
    /// The council's absent-voters (postal) list for a seat; replaces the last one.
    PostalVoters {
        file: PathBuf,
        /// The seat's GSS code, e.g. E14000611.
        #[arg(long)]
        seat: String,
    },
    /// An election's marked register (who voted) for a seat, into each elector's turnout history.
    MarkedRegister {
        file: PathBuf,
        #[arg(long)]
        seat: String,
        /// The election's name, e.g. "General election 2024".
        #[arg(long)]
        election: String,
        /// Its polling day, YYYY-MM-DD.
        #[arg(long)]
        date: String,
    },
    /// Postcode centroids (ONSPD or Code-Point style CSV with latitude and longitude).
    Postcodes { file: PathBuf },
    /// House of Commons Library election results: sets that year's result for every seat
    /// in the file that this campaign holds.
    Results {
        file: PathBuf,
        /// The general election the file is for, e.g. 2019.
        #[arg(long)]
        year: i64,
    },
}
