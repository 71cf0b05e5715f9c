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
