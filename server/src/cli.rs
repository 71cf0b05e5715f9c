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
    /// Measure the speed targets and print the figures (run with --release).
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Simulate many volunteers recording doors at once over real HTTP; print
    /// throughput and latency, and check every acknowledged conversation was stored once.
    Load {
        /// An app server to load (repeat for several); without one, start our own.
        #[arg(long = "url")]
        urls: Vec<String>,
        /// How many app server processes to start (without --url).
        #[arg(long, default_value_t = 1)]
        servers: usize,
        /// The database for our own servers; a temporary SQLite file with the demo seat otherwise.
        /// With --url, the servers' database is read from DATABASE_URL.
        #[arg(long)]
        database: Option<String>,
        /// Electors in the demo seat loaded into an empty database, or in each synthetic seat
        /// (with --seats or --polling-day).
        #[arg(long, default_value_t = 67_000)]
        electors: usize,
        /// Spread the volunteers over this many synthetic seats of their own (each a whole
        /// register with its wards, districts, streets and promises); 0: all on the first seat.
        #[arg(long, default_value_t = 0)]
        seats: usize,
        /// Polling day instead of the doorstep: half the volunteers tell at the stations,
        /// half reload their knock-up round (on --seats synthetic seats, at least one).
        #[arg(long)]
        polling_day: bool,
        /// A knocker-up's pause between loads of the round (±50%), with --polling-day.
        #[arg(long, default_value = "2s", value_parser = groundwork::load::command::parse_duration)]
        reload: std::time::Duration,
        #[arg(long, default_value_t = 500)]
        volunteers: usize,
        /// Entries per request (the phone's outbox batch).
        #[arg(long, default_value_t = 20)]
        batch: usize,
        /// Each volunteer's pause between batches (±50%).
        #[arg(long, default_value = "2s", value_parser = groundwork::load::command::parse_duration)]
        think: std::time::Duration,
        #[arg(long, default_value = "30s", value_parser = groundwork::load::command::parse_duration)]
        duration: std::time::Duration,
        /// Length of the saturation runs of the app and of a bare insert handler, for their
        /// ratio (0 skips them).
        #[arg(long, default_value = "10s", value_parser = groundwork::load::command::parse_duration)]
        compare: std::time::Duration,
        /// Doors on each volunteer's walk list.
        #[arg(long, default_value_t = 35)]
        doors: usize,
    },
    /// Write a consistent backup of the live database to FILE (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump's custom format, restore with pg_restore).
    Backup { file: PathBuf },
    /// The erasure journal (no personal data): keep a copy away from the database, and
    /// re-apply it after restoring a backup.
    #[command(subcommand)]
    Erasures(ErasuresCommand),
    /// The load command's yardstick: a bare handler inserting conversation rows with no app logic.
    #[command(hide = true)]
    BareServe,
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
pub(crate) enum BenchCommand {
    /// A 75,000-elector register into SQLite, against a bare bulk insert; then a 5% update.
    Import {
        #[arg(long, default_value_t = 75_000)]
        electors: usize,
    },
    /// The seat dashboard's data for one seat of 75,000 electors and 250,000 conversations.
    Dashboard {
        #[arg(long, default_value_t = 75_000)]
        electors: usize,
        #[arg(long, default_value_t = 250_000)]
        conversations: usize,
        #[arg(long, default_value_t = 15)]
        runs: usize,
        /// Keep the bench database at this path (and reuse it if it exists) instead of a temporary file.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// A phone's batch of 100 queued doorstep entries, at the same seat scale.
    Doorstep {
        #[arg(long, default_value_t = 75_000)]
        electors: usize,
        #[arg(long, default_value_t = 250_000)]
        conversations: usize,
        #[arg(long, default_value_t = 30)]
        runs: usize,
        /// Keep the bench database at this path (and reuse it if it exists) instead of a temporary file.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Every GB seat with synthetic electors and conversations on PostgreSQL (generated into an
    /// empty database, reused otherwise): a region's league table and a seat dashboard.
    National {
        /// A PostgreSQL (or SQLite) database URL; generation needs an empty database.
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        /// 1 is the whole country: 46 million electors and 10 million conversations.
        #[arg(long, default_value_t = 0.01)]
        scale: f64,
        #[arg(long, default_value_t = 9)]
        runs: usize,
    },
    /// The gzip-compressed bytes of a first visit to a walk list (build the site with --release first).
    PageWeight {
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: String,
    },
    /// Cutting a whole seat of synthetic households into walk lists with routes.
    Turf {
        #[arg(long, default_value_t = 35_000)]
        households: usize,
        /// Doors per list.
        #[arg(long, default_value_t = 35)]
        size: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
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
