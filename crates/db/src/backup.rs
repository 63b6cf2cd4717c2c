//! Backup and restore of the embedded SQLite database.
//!
//! `backup` copies the database with `VACUUM INTO`, inside one read transaction: the copy is
//! the database as it stood at one instant, while the service goes on serving and writing.
//! `restore` puts a copy back while no process has the database open. Every process that opens
//! it holds a shared lock on `<file>.lock` (see [`InUse`]); restore takes that lock exclusively,
//! so it refuses while a service, a webhook worker or another command runs on the file.
//!
//! PostgreSQL has its own tools (`pg_dump`, `pg_restore`); docs/operations.md gives the commands.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::SqliteConnection;
use diesel_migrations::MigrationHarness;

use crate::connection::{sqlite_path, Backend, SQLITE_MIGRATIONS};

/// A shared lock on `<database>.lock`, held for as long as a process uses the database.
pub struct InUse {
    _file: File,
}

impl InUse {
    /// Takes the shared lock; fails only when restore holds it.
    pub fn take(database: &Path) -> anyhow::Result<InUse> {
        let path = lock_path(database);
        let file = open_lock(&path)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(InUse { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "{} is being restored; start the service again when `restore` has finished",
                database.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                anyhow::bail!("cannot lock {}: {e}", path.display())
            }
        }
    }
}

fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn open_lock(path: &Path) -> anyhow::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))
}

/// What a backup or restore found in the copy.
#[derive(Debug)]
pub struct CopyReport {
    pub bytes: u64,
    /// The newest migration the copy carries.
    pub schema_version: String,
    pub tables: usize,
    pub rows: i64,
}

fn sqlite_only(url: &str, verb: &str) -> anyhow::Result<PathBuf> {
    match Backend::parse(url)? {
        Backend::Sqlite => Ok(PathBuf::from(sqlite_path(url))),
        Backend::Postgres => anyhow::bail!(
            "`{verb}` is for the embedded SQLite database; on PostgreSQL use pg_dump and \
             pg_restore (docs/operations.md gives the commands)"
        ),
    }
}

/// Copies the database `url` names to `dest`, consistently, while it is in use.
pub fn backup(url: &str, dest: &Path) -> anyhow::Result<CopyReport> {
    let source = sqlite_only(url, "backup")?;
    if !source.exists() {
        anyhow::bail!("there is no database at {}", source.display());
    }
    if dest.exists() {
        anyhow::bail!(
            "{} exists; name a new file, so that no backup is overwritten",
            dest.display()
        );
    }
    let dest_text = dest
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the backup path must be UTF-8"))?;
    let mut conn = open(&source)?;
    conn.batch_execute(&format!("VACUUM INTO '{}'", dest_text.replace('\'', "''")))
        .map_err(|e| anyhow::anyhow!("backup failed: {e}"))?;
    drop(conn);
    verify(dest)
}

/// What a restore did beyond putting the copy in place.
#[derive(Debug, Default)]
pub struct Restored {
    /// Where the replaced database was kept, if there was one.
    pub kept: Option<PathBuf>,
    /// Events the replaced database had numbered past the backup's newest: they are not in the
    /// copy, and their numbers are never handed out again.
    pub events_not_in_backup: i64,
}

/// Replaces the database `url` names with the copy at `source`. Refuses while any process has
/// the database open; the replaced file is kept beside it as `<file>.before-restore-<time>`.
/// Every counter (event sequence, order and contract numbers) continues past what the replaced
/// database handed out, so a feed reader or an ERP never meets one number for two things.
pub fn restore(url: &str, source: &Path) -> anyhow::Result<(CopyReport, Restored)> {
    let target = sqlite_only(url, "restore")?;
    if !source.is_file() {
        anyhow::bail!("there is no backup at {}", source.display());
    }
    let report = verify(source)?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    let lock = open_lock(&lock_path(&target))?;
    if lock.try_lock().is_err() {
        anyhow::bail!(
            "{} is in use: stop every ndpr-contracts process that serves or reads it, then \
             restore; nothing was changed",
            target.display()
        );
    }
    let mut handed_out = Vec::new();
    let kept = if target.exists() {
        // Fold the write-ahead log into the file, so that what is set aside is complete.
        let mut replaced = open(&target)?;
        replaced
            .batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(|e| anyhow::anyhow!("cannot checkpoint {}: {e}", target.display()))?;
        handed_out = counters(&mut replaced).unwrap_or_default();
        drop(replaced);
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let aside = with_suffix(&target, &format!(".before-restore-{stamp}"));
        std::fs::rename(&target, &aside)
            .map_err(|e| anyhow::anyhow!("cannot move {} aside: {e}", target.display()))?;
        Some(aside)
    } else {
        None
    };
    for leftover in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&target, leftover));
    }
    let staged = with_suffix(&target, ".restoring");
    std::fs::copy(source, &staged)
        .and_then(|_| File::open(&staged)?.sync_all())
        .map_err(|e| anyhow::anyhow!("cannot copy {}: {e}", source.display()))?;
    std::fs::rename(&staged, &target)
        .map_err(|e| anyhow::anyhow!("cannot put {} in place: {e}", target.display()))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    let events_not_in_backup = carry_counters(&target, &handed_out)?;
    drop(lock);
    Ok((
        report,
        Restored {
            kept,
            events_not_in_backup,
        },
    ))
}

#[derive(QueryableByName)]
struct Counter {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    value: i64,
}

fn counters(conn: &mut SqliteConnection) -> Result<Vec<Counter>, diesel::result::Error> {
    diesel::sql_query("SELECT name, value FROM counters").load(conn)
}

/// Raises each counter of the restored database to what the replaced one had handed out;
/// answers how many event numbers the copy lacks.
fn carry_counters(target: &Path, handed_out: &[Counter]) -> anyhow::Result<i64> {
    let mut conn = open(target)?;
    let restored = counters(&mut conn).unwrap_or_default();
    let mut lacking = 0;
    for c in handed_out {
        let ours = restored.iter().find(|r| r.name == c.name).map(|r| r.value);
        if ours.is_some_and(|v| v < c.value) {
            if c.name == "events" {
                lacking = c.value - ours.unwrap_or(0);
            }
            diesel::sql_query("UPDATE counters SET value = ? WHERE name = ?")
                .bind::<BigInt, _>(c.value)
                .bind::<Text, _>(&c.name)
                .execute(&mut conn)
                .map_err(|e| anyhow::anyhow!("cannot carry the {} counter forward: {e}", c.name))?;
        }
    }
    Ok(lacking)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn open(path: &Path) -> anyhow::Result<SqliteConnection> {
    let text = path
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the database path must be UTF-8"))?;
    let mut conn = SqliteConnection::establish(text)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000")
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    Ok(conn)
}

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Checks that `path` is a sound database of this service that this binary can serve.
fn verify(path: &Path) -> anyhow::Result<CopyReport> {
    let mut conn = open(path)?;
    let check: Vec<Named> =
        diesel::sql_query("SELECT integrity_check AS name FROM pragma_integrity_check")
            .load(&mut conn)
            .map_err(|e| anyhow::anyhow!("{} is not a readable database: {e}", path.display()))?;
    if check.len() != 1 || check[0].name != "ok" {
        anyhow::bail!(
            "{} fails SQLite's integrity check: {}",
            path.display(),
            check
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let applied = conn.applied_migrations().map_err(|e| {
        anyhow::anyhow!("{} is not an ndpr-contracts database: {e}", path.display())
    })?;
    let schema_version = applied
        .iter()
        .map(|v| v.to_string())
        .max()
        .ok_or_else(|| anyhow::anyhow!("{} has no migrations applied", path.display()))?;
    crate::connection::refuse_newer(&mut conn, SQLITE_MIGRATIONS)?;
    let tables: Vec<Named> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .load(&mut conn)
    .map_err(|e| anyhow::anyhow!("cannot list the tables of {}: {e}", path.display()))?;
    let mut rows = 0;
    for t in &tables {
        let count: Count = diesel::sql_query(format!(
            "SELECT COUNT(*) AS n FROM \"{}\"",
            t.name.replace('"', "\"\"")
        ))
        .get_result(&mut conn)
        .map_err(|e| anyhow::anyhow!("cannot read {} in {}: {e}", t.name, path.display()))?;
        rows += count.n;
    }
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(CopyReport {
        bytes,
        schema_version,
        tables: tables.len(),
        rows,
    })
}
