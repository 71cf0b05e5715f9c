//! `groundwork erasures export|reapply`, and re-applying the erasure journal file when
//! the server starts (see `app::elector::journal`): a database restored from a backup
//! taken before an erasure has the person again until the journal is re-applied.

use app::elector::journal;
use app::store::Store;
use std::path::Path;

/// Writes the database's erasure journal to FILE, one JSON line per erasure (no
/// personal data), to keep somewhere other than the database and its backups.
pub async fn export(store: &Store, file: &Path) -> Result<String, String> {
    if file.exists() {
        return Err(format!("{} already exists: choose a new file for the journal", file.display()));
    }
    let lines = journal::lines(store).await.map_err(|e| e.to_string())?;
    for line in &lines {
        journal::append(file, line).map_err(|e| e.to_string())?;
    }
    Ok(format!("Wrote {} erasures to {}.", lines.len(), file.display()))
}

/// Re-applies a journal file: records its lines and erases anyone on the register again.
pub async fn reapply(store: &Store, file: &Path) -> Result<String, String> {
    if !file.exists() {
        return Err(format!("there is no erasure journal at {}", file.display()));
    }
    let lines = journal::read(file)?;
    let done = journal::reapply(store, &lines).await.map_err(|e| e.to_string())?;
    Ok(format!(
        "Read {} erasures from {}; new to this database: {}; people erased again: {}.",
        lines.len(),
        file.display(),
        done.recorded,
        done.erased
    ))
}

/// At start-up: re-applies the configured journal file, when there is one.
pub async fn reapply_at_start(store: &Store, file: Option<&Path>) -> Result<(), String> {
    let Some(file) = file.filter(|f| f.exists()) else { return Ok(()) };
    let message = reapply(store, file).await?;
    tracing::info!("{message}");
    Ok(())
}
