//! `groundwork backup FILE`: a consistent copy of the live database, taken while the
//! app keeps serving.
//!
//! SQLite: `VACUUM INTO` writes a compact copy from one read transaction, so writes
//! carry on and the copy is exactly the database at one instant. Restore by stopping
//! the server and putting the file in place of the database file (or pointing
//! `DATABASE_URL` at it).
//!
//! PostgreSQL: runs `pg_dump --format=custom` (which also reads one snapshot). Restore
//! into an empty database with `pg_restore --no-owner --dbname URL FILE`.

use app::store::Store;
use std::path::{Path, PathBuf};

/// Writes the backup; returns a line saying what was written.
pub async fn backup(store: &Store, database_url: &str, file: &Path) -> Result<String, String> {
    if file.exists() {
        return Err(format!("{} already exists: choose a new file for the backup", file.display()));
    }
    match store {
        Store::Sqlite(pool) => {
            let path = file.to_str().ok_or("the backup file's name must be valid UTF-8")?;
            // VACUUM INTO takes a literal, not a parameter: double any quote in the path.
            let sql = format!("VACUUM INTO '{}'", path.replace('\'', "''"));
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(pool)
                .await
                .map_err(|e| format!("the SQLite backup failed: {e}"))?;
        }
        Store::Postgres(_) => {
            let pg_dump = find_tool("pg_dump")?;
            let output = tokio::process::Command::new(&pg_dump)
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(file)
                .arg("--dbname")
                .arg(database_url)
                .output()
                .await
                .map_err(|e| format!("cannot run {}: {e}", pg_dump.display()))?;
            if !output.status.success() {
                let _ = std::fs::remove_file(file);
                let message = String::from_utf8_lossy(&output.stderr);
                // pg_dump's messages may quote the URL: never print a password.
                return Err(format!("pg_dump failed: {}", redact_all(&message, database_url)));
            }
        }
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "Backed up the {} database to {} ({:.1} MB).",
        store.backend(),
        file.display(),
        bytes as f64 / 1e6
    ))
}

/// Restores a `pg_dump` backup into the (empty) database at `database_url`.
pub async fn pg_restore(database_url: &str, file: &Path) -> Result<(), String> {
    let tool = find_tool("pg_restore")?;
    let output = tokio::process::Command::new(&tool)
        .args(["--no-owner", "--exit-on-error", "--dbname"])
        .arg(database_url)
        .arg(file)
        .output()
        .await
        .map_err(|e| format!("cannot run {}: {e}", tool.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "pg_restore failed: {}",
            redact_all(&String::from_utf8_lossy(&output.stderr), database_url)
        ))
    }
}

/// A PostgreSQL client tool: on PATH, or in Debian's versioned folders (newest first,
/// since a newer pg_dump reads an older server but not the other way round).
pub fn find_tool(name: &str) -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
    {
        return Ok(path);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|d| d.path().join("bin").join(name))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop().ok_or_else(|| format!("{name} was not found: install the PostgreSQL client tools"))
}

fn redact_all(text: &str, url: &str) -> String {
    text.replace(url, &app::store::redact(url))
}
