//! Configuration: defaults, then an optional TOML file, then environment variables.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite:…` (the default, a file in the working directory) or `postgres://…`.
    pub database_url: String,
    /// Where to listen, e.g. `127.0.0.1:3000`.
    pub addr: String,
    /// The folder cargo-leptos builds the site into (CSS, WebAssembly, static files).
    pub site_root: String,
    /// Send cookies only over HTTPS. Turn on whenever the app is served over HTTPS.
    pub secure_cookies: bool,
    /// Load the demo seat (and its accounts) when the database has no seats yet. Off
    /// unless asked for, so a production database never gets demo accounts by accident;
    /// `./dev run` and the browser tests set `GROUNDWORK_DEMO=true`.
    pub demo_on_empty: bool,
    /// Reverse proxies (their IP addresses) whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Lets a Prometheus scraper on another machine read `/metrics` with
    /// `Authorization: Bearer <token>`. Unset: only this machine may read it.
    pub metrics_token: Option<String>,
    /// The address people reach the app at, e.g. `https://canvass.example.org`: printed on
    /// walk sheets as their QR code. Unset: `http://` (or `https://` with secure cookies)
    /// and the listening address. Never taken from a request's Host header.
    pub public_url: Option<String>,
    /// A file that every erasure is also written to, outside the database, so that it
    /// can be re-applied after a restore. Unset: beside an SQLite database file
    /// (`groundwork.db.erasures.jsonl`); none for PostgreSQL.
    pub erasure_journal: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite:groundwork.db".into(),
            addr: "127.0.0.1:3000".into(),
            site_root: "target/site".into(),
            secure_cookies: false,
            demo_on_empty: false,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            public_url: None,
            erasure_journal: None,
        }
    }
}

// Written by hand so that a password in the database URL never reaches a log.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &app::store::redact(&self.database_url))
            .field("addr", &self.addr)
            .field("site_root", &self.site_root)
            .field("secure_cookies", &self.secure_cookies)
            .field("demo_on_empty", &self.demo_on_empty)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
            .field("public_url", &self.public_url)
            .field("erasure_journal", &self.erasure_journal)
            .finish()
    }
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the configuration file {path} is not valid: {source}")]
    Parse { path: PathBuf, source: toml::de::Error },
    #[error("environment variable {name}={value:?} is not valid: {reason}")]
    Env { name: &'static str, value: String, reason: &'static str },
}

impl Config {
    /// Reads `GROUNDWORK_CONFIG` (or `groundwork.toml` when it exists), then the environment.
    pub fn load() -> Result<Config, ConfigError> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let file = env("GROUNDWORK_CONFIG").map(PathBuf::from).or_else(|| {
            let default = PathBuf::from("groundwork.toml");
            default.exists().then_some(default)
        });
        let mut config = match file {
            Some(path) => Config::from_file(&path)?,
            None => Config::default(),
        };
        config.apply_env(env)?;
        if let Some(url) = &config.public_url {
            check_public_url(url).map_err(|reason| ConfigError::Env {
                name: "GROUNDWORK_PUBLIC_URL",
                value: url.clone(),
                reason,
            })?;
        }
        Ok(config)
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.into(), source })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse { path: path.into(), source })
    }

    pub fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = env("DATABASE_URL") {
            self.database_url = v;
        }
        // cargo-leptos sets LEPTOS_SITE_ADDR when it runs the server for us.
        if let Some(v) = env("GROUNDWORK_ADDR").or_else(|| env("LEPTOS_SITE_ADDR")) {
            self.addr = v;
        }
        if let Some(v) = env("LEPTOS_SITE_ROOT") {
            self.site_root = v;
        }
        if let Some(v) = env("GROUNDWORK_SECURE_COOKIES") {
            self.secure_cookies = parse_bool("GROUNDWORK_SECURE_COOKIES", v)?;
        }
        if let Some(v) = env("GROUNDWORK_METRICS_TOKEN") {
            self.metrics_token = Some(v);
        }
        if let Some(v) = env("GROUNDWORK_PUBLIC_URL") {
            check_public_url(&v).map_err(|reason| ConfigError::Env {
                name: "GROUNDWORK_PUBLIC_URL",
                value: v.clone(),
                reason,
            })?;
            self.public_url = Some(v);
        }
        if let Some(v) = env("GROUNDWORK_ERASURE_JOURNAL") {
            self.erasure_journal = Some(PathBuf::from(v));
        }
        if let Some(v) = env("GROUNDWORK_TRUSTED_PROXIES") {
            self.trusted_proxies = v
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| p.parse())
                .collect::<Result<_, _>>()
                .map_err(|_| ConfigError::Env {
                    name: "GROUNDWORK_TRUSTED_PROXIES",
                    value: v.clone(),
                    reason: "expected IP addresses separated by commas",
                })?;
        }
        if let Some(v) = env("GROUNDWORK_DEMO") {
            self.demo_on_empty = parse_bool("GROUNDWORK_DEMO", v)?;
        }
        Ok(())
    }
}

impl Config {
    /// The erasure journal file: the one configured, else one beside an SQLite
    /// database file (so that putting a backup in the file's place keeps the journal).
    pub fn erasure_journal_file(&self) -> Option<PathBuf> {
        if self.erasure_journal.is_some() {
            return self.erasure_journal.clone();
        }
        let path = self.database_url.strip_prefix("sqlite:")?;
        let path = path.trim_start_matches("//").split('?').next().unwrap_or_default();
        (!path.is_empty() && !path.contains(":memory:"))
            .then(|| PathBuf::from(format!("{path}.erasures.jsonl")))
    }
    /// The public address without a trailing slash: the configured one, else this
    /// server's listening address.
    pub fn public_origin(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim().trim_end_matches('/').to_string(),
            None => format!("{}://{}", if self.secure_cookies { "https" } else { "http" }, self.addr),
        }
    }
}

/// An `http://` or `https://` address with a host and nothing that could break out of
/// the printed link.
fn check_public_url(url: &str) -> Result<(), &'static str> {
    let rest = url.trim().strip_prefix("https://").or_else(|| url.trim().strip_prefix("http://"));
    match rest {
        Some(r)
            if !r.is_empty()
                && !r.starts_with('/')
                && !r.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '?' | '#')) =>
        {
            Ok(())
        }
        _ => Err("expected an address such as https://canvass.example.org"),
    }
}

fn parse_bool(name: &'static str, value: String) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::Env { name, value, reason: "expected true or false" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn defaults_are_an_sqlite_file_on_port_3000() {
        let c = Config::default();
        assert_eq!(c.database_url, "sqlite:groundwork.db");
        assert_eq!(c.addr, "127.0.0.1:3000");
        assert!(!c.demo_on_empty, "no demo accounts unless asked");
    }

    #[test]
    fn trusted_proxies_come_from_the_environment_and_nonsense_is_named() {
        let mut c = Config::default();
        c.apply_env(env_of(&[("GROUNDWORK_TRUSTED_PROXIES", "10.0.0.1, ::1")])).expect("valid");
        assert_eq!(c.trusted_proxies.len(), 2);
        let err = Config::default()
            .apply_env(env_of(&[("GROUNDWORK_TRUSTED_PROXIES", "10.0.0.1, proxy.local")]))
            .expect_err("a name is not an address");
        assert!(err.to_string().contains("GROUNDWORK_TRUSTED_PROXIES"), "{err}");
    }

    #[test]
    fn environment_overrides_the_defaults() {
        let mut c = Config::default();
        c.apply_env(env_of(&[
            ("DATABASE_URL", "postgres://localhost/gw"),
            ("GROUNDWORK_ADDR", "0.0.0.0:8080"),
            ("GROUNDWORK_DEMO", "no"),
        ]))
        .expect("valid env");
        assert_eq!(c.database_url, "postgres://localhost/gw");
        assert_eq!(c.addr, "0.0.0.0:8080");
        assert!(!c.demo_on_empty);
    }

    #[test]
    fn the_public_url_is_configured_or_else_the_listening_address() {
        let mut c = Config::default();
        assert_eq!(c.public_origin(), "http://127.0.0.1:3000");
        c.apply_env(env_of(&[("GROUNDWORK_PUBLIC_URL", "https://canvass.example.org/")])).expect("valid");
        assert_eq!(c.public_origin(), "https://canvass.example.org");
        let err = Config::default()
            .apply_env(env_of(&[("GROUNDWORK_PUBLIC_URL", "canvass.example.org")]))
            .expect_err("no scheme");
        assert!(err.to_string().contains("GROUNDWORK_PUBLIC_URL"));
        assert!(check_public_url("https://x.example\"><script>").is_err());
    }

    #[test]
    fn the_erasure_journal_sits_beside_an_sqlite_file_unless_set() {
        let mut c = Config { database_url: "sqlite://data/gw.db?mode=rwc".into(), ..Config::default() };
        assert_eq!(c.erasure_journal_file(), Some(PathBuf::from("data/gw.db.erasures.jsonl")));
        c.database_url = "postgres://gw@db/gw".into();
        assert_eq!(c.erasure_journal_file(), None);
        c.erasure_journal = Some(PathBuf::from("/srv/erasures.jsonl"));
        assert_eq!(c.erasure_journal_file(), Some(PathBuf::from("/srv/erasures.jsonl")));
    }

    #[test]
    fn a_bad_boolean_names_the_variable() {
        let err = Config::default()
            .apply_env(env_of(&[("GROUNDWORK_SECURE_COOKIES", "perhaps")]))
            .expect_err("must fail");
        assert!(err.to_string().contains("GROUNDWORK_SECURE_COOKIES"));
    }

    #[test]
    fn a_config_file_sets_values_and_rejects_unknown_keys() {
        let dir = std::env::temp_dir().join(format!("gw-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let good = dir.join("good.toml");
        std::fs::write(&good, "addr = \"127.0.0.1:4000\"\n").expect("write");
        assert_eq!(Config::from_file(&good).expect("parse").addr, "127.0.0.1:4000");
        let bad = dir.join("bad.toml");
        std::fs::write(&bad, "adr = \"x\"\n").expect("write");
        let err = Config::from_file(&bad).expect_err("unknown key");
        assert!(err.to_string().contains("bad.toml"));
    }
}
