//! Connections, pools and transactions for both backends, designed for faults: a connection
//! that is lost, left inside a transaction, or touched by a panic never goes back to the pool;
//! while the database is away callers get `Unavailable` fast, and service resumes by itself.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::OpError;

pub(crate) const SQLITE_MIGRATIONS: EmbeddedMigrations =
    embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// A connection to whichever backend `DATABASE_URL` names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Which database a URL points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn of(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The backend a `DATABASE_URL` names; an error for any other scheme.
    pub fn parse(url: &str) -> anyhow::Result<Backend> {
        match Backend::of(url) {
            Backend::Postgres => Ok(Backend::Postgres),
            Backend::Sqlite if url.starts_with("sqlite:") && !sqlite_path(url).is_empty() => {
                Ok(Backend::Sqlite)
            }
            Backend::Sqlite => anyhow::bail!(
                "DATABASE_URL must be sqlite://path/to/file.db or postgres://user@host/db, got {}",
                url.split("://").next().map_or("?", |s| s)
            ),
        }
    }
}

/// The SQLite file path a `sqlite://` URL (or a bare path) names.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// How the pools behave; all have defaults.
#[derive(Clone, Debug)]
pub struct DbSettings {
    pub url: String,
    pub pool_size: u32,
    /// Longest wait for a pooled connection while the database is healthy.
    pub checkout_timeout: Duration,
    /// SQLite: how long a write waits for another process's write lock before giving up.
    pub sqlite_busy_timeout: Duration,
}

impl DbSettings {
    pub fn new(url: &str, pool_size: u32) -> DbSettings {
        DbSettings {
            url: url.to_string(),
            pool_size,
            checkout_timeout: Duration::from_secs(5),
            sqlite_busy_timeout: Duration::from_secs(5),
        }
    }
}

/// A pooled connection and whether it must be thrown away rather than reused.
pub struct Conn {
    pub conn: DbConnection,
    broken: bool,
}

/// Opens connections by URL scheme, so a PostgreSQL error keeps libpq's own message.
#[derive(Clone, Debug)]
pub struct Manager {
    url: String,
    busy_timeout_ms: u128,
}

impl Manager {
    fn open(&self) -> Result<DbConnection, r2d2::Error> {
        match Backend::of(&self.url) {
            Backend::Postgres => diesel::PgConnection::establish(&with_connect_timeout(&self.url))
                .map(DbConnection::Postgresql)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(sqlite_path(&self.url))
                    .map_err(r2d2::Error::ConnectionError)?;
                // Checkpoints run in the background every second while serving (see
                // `Db::checkpoint`); the automatic one, inline in a commit, is only a backstop.
                conn.batch_execute(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {}; \
                     PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES};",
                    self.busy_timeout_ms
                ))
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// SQLite's inline checkpoint threshold, in pages of the write-ahead log (40 MB).
pub const WAL_AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// Without a `connect_timeout`, libpq waits for the operating system when the server's host
/// does not answer; a few seconds is enough on any network this service runs on.
fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&connect_timeout=5")
    } else {
        format!("{url}?connect_timeout=5")
    }
}

/// Whether a connection is inside a transaction or its transaction manager is in an error
/// state: either way it must not be handed to the next caller.
fn transaction_left_open(conn: &mut DbConnection) -> bool {
    match conn {
        DbConnection::Postgresql(c) => R2D2Connection::is_broken(c),
        DbConnection::Sqlite(c) => R2D2Connection::is_broken(c),
    }
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<Conn, r2d2::Error> {
        Ok(Conn {
            conn: self.open()?,
            broken: false,
        })
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), r2d2::Error> {
        conn.conn
            .batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        std::thread::panicking() || conn.broken || transaction_left_open(&mut conn.conn)
    }
}

pub type DbPool = Pool<Manager>;
type Pooled = PooledConnection<Manager>;

/// What this instance has seen of the database lately.
#[derive(Debug, Default)]
struct Health {
    last_failure: Mutex<Option<Instant>>,
}

/// After a failure, for this long every checkout is validated and waits only briefly.
const SUSPECT_WINDOW: Duration = Duration::from_secs(15);
const SUSPECT_CHECKOUT_TIMEOUT: Duration = Duration::from_millis(500);

impl Health {
    fn failed(&self) {
        if let Ok(mut t) = self.last_failure.lock() {
            *t = Some(Instant::now());
        }
    }

    fn suspect(&self) -> bool {
        self.last_failure
            .lock()
            .ok()
            .and_then(|t| *t)
            .is_some_and(|t| t.elapsed() < SUSPECT_WINDOW)
    }
}

/// Logs pool errors (failed connection attempts) once each, without the URL.
#[derive(Debug)]
struct PoolErrors {
    health: Arc<Health>,
}

impl r2d2::HandleError<r2d2::Error> for PoolErrors {
    fn handle_error(&self, error: r2d2::Error) {
        self.health.failed();
        tracing::warn!(error = %one_line(&error), "database connection failed");
    }
}

/// The database handle the application shares: readers, and the writer pool.
///
/// On SQLite every write goes through a single connection (`BEGIN IMMEDIATE`), which avoids
/// busy-retry tail latency; on PostgreSQL readers and writers share one pool and row locks
/// settle races between instances.
#[derive(Clone)]
pub struct Db {
    pub backend: Backend,
    read: DbPool,
    write: DbPool,
    /// As many permits as each pool has connections: requests wait for a connection here, on
    /// the async executor, instead of parking blocking threads on the pool's lock.
    read_gate: Arc<tokio::sync::Semaphore>,
    write_gate: Arc<tokio::sync::Semaphore>,
    /// SQLite: the thread that runs every write, one after the other (see [`Writer`]).
    writer: Option<Writer>,
    health: Arc<Health>,
    settings: Arc<DbSettings>,
    /// SQLite: the shared lock that keeps `restore` away while this process uses the file.
    _in_use: Option<Arc<crate::backup::InUse>>,
}

impl Db {
    /// Connects with default settings, checks the database answers, applies migrations.
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        Db::open(DbSettings::new(url, pool_size))
    }

    /// Connects, checks the database answers, and applies pending migrations.
    pub fn open(settings: DbSettings) -> anyhow::Result<Db> {
        let backend = Backend::parse(&settings.url)?;
        let manager = Manager {
            url: settings.url.clone(),
            busy_timeout_ms: settings.sqlite_busy_timeout.as_millis(),
        };
        let health = Arc::new(Health::default());
        let build = |size: u32| {
            Pool::builder()
                .max_size(size.max(1))
                .min_idle(Some(1))
                .test_on_check_out(false)
                .connection_timeout(settings.checkout_timeout)
                .error_handler(Box::new(PoolErrors {
                    health: health.clone(),
                }))
                .build(manager.clone())
        };
        let mut in_use = None;
        if backend == Backend::Sqlite {
            let path = std::path::Path::new(sqlite_path(&settings.url));
            if let Some(dir) = path.parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        anyhow::anyhow!("cannot create the database folder {}: {e}", dir.display())
                    })?;
                }
            }
            in_use = Some(Arc::new(crate::backup::InUse::take(path)?));
        }
        // One direct attempt first: a wrong URL or an unreachable server fails at once with
        // the driver's own message instead of after the pool's retries.
        manager
            .open()
            .map_err(|e| anyhow::anyhow!("cannot open the database: {}", one_line(&e)))?;
        // Open the writer first so SQLite creates the file and switches it to WAL once.
        let write = build(if backend == Backend::Sqlite {
            1
        } else {
            settings.pool_size
        })
        .map_err(|e| anyhow::anyhow!("cannot open the database: {}", one_line(&e)))?;
        {
            let mut conn = write.get()?;
            run_migrations(&mut conn.conn)?;
            refresh_statistics(&mut conn.conn);
        }
        let read = if backend == Backend::Sqlite {
            build(settings.pool_size)
                .map_err(|e| anyhow::anyhow!("cannot open the database: {}", one_line(&e)))?
        } else {
            write.clone()
        };
        let gate = |pool: &DbPool| Arc::new(tokio::sync::Semaphore::new(pool.max_size() as usize));
        Ok(Db {
            backend,
            read_gate: gate(&read),
            write_gate: if backend == Backend::Sqlite {
                gate(&write)
            } else {
                // One pool on PostgreSQL: readers and writers share its permits.
                gate(&read)
            },
            writer: (backend == Backend::Sqlite).then(Writer::start),
            read,
            write,
            health,
            settings: Arc::new(settings),
            _in_use: in_use,
        })
    }

    /// A connection from `pool`; `Unavailable` when none comes in time. After a recent failure
    /// the wait is short and each connection is checked before use, so dead connections left
    /// by a database restart are replaced instead of failing requests.
    fn checkout(&self, pool: &DbPool) -> Result<Pooled, OpError> {
        let suspect = self.health.suspect();
        let timeout = if suspect {
            SUSPECT_CHECKOUT_TIMEOUT
        } else {
            self.settings.checkout_timeout
        };
        for _ in 0..=pool.max_size() {
            let mut conn = pool.get_timeout(timeout).map_err(|e| {
                self.health.failed();
                tracing::warn!(error = %one_line(&e), "no database connection");
                OpError::unavailable("the database is unavailable; please try again shortly")
            })?;
            if !suspect || conn.conn.batch_execute("SELECT 1").is_ok() {
                return Ok(conn);
            }
            conn.broken = true;
        }
        self.health.failed();
        Err(OpError::unavailable(
            "the database is unavailable; please try again shortly",
        ))
    }

    /// Runs `f` on a connection of `pool`, turning a panic into an error and keeping a
    /// connection that was lost, or left in a transaction, out of the pool.
    fn run<T>(
        &self,
        pool: &DbPool,
        f: impl FnOnce(&mut DbConnection) -> Result<T, OpError>,
    ) -> Result<T, OpError> {
        let mut pooled = self.checkout(pool)?;
        let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut pooled.conn)));
        match outcome {
            Ok(result) => {
                if let Err(e) = &result {
                    if e.connection_lost() {
                        pooled.broken = true;
                        self.health.failed();
                    }
                }
                result
            }
            Err(panic) => {
                // Roll back whatever the panicking code left open; if that fails too, the
                // connection is dropped instead of pooled.
                if transaction_left_open(&mut pooled.conn) {
                    let rolled_back =
                        <DbConnection as Connection>::TransactionManager::rollback_transaction(
                            &mut pooled.conn,
                        )
                        .is_ok();
                    pooled.broken = !rolled_back || transaction_left_open(&mut pooled.conn);
                }
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".into());
                tracing::error!(panic = %message, "a database task panicked; rolled back");
                Err(OpError::unexpected(format!("panic: {message}")))
            }
        }
    }

    /// Runs `f` on a reader connection, synchronously. A lost connection is retried once on a
    /// fresh one: reads change nothing.
    pub fn read_blocking<T>(
        &self,
        f: impl Fn(&mut DbConnection) -> Result<T, OpError>,
    ) -> Result<T, OpError> {
        match self.run(&self.read, &f) {
            Err(e) if e.connection_lost() => self.run(&self.read, &f),
            other => other,
        }
    }

    /// Runs `f` inside one write transaction, synchronously: the change, its audit entry and
    /// its event commit together or not at all.
    pub fn write_blocking<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, OpError>,
    ) -> Result<T, OpError> {
        let url = self.settings.url.clone();
        self.run(&self.write, move |conn| {
            transaction(conn, |conn| {
                let value = f(conn)?;
                crate::fault::maybe_panic(&url);
                Ok(value)
            })
        })
    }

    /// Runs `f` on a reader connection, off the async executor.
    pub async fn read<T, F>(&self, f: F) -> Result<T, OpError>
    where
        F: Fn(&mut DbConnection) -> Result<T, OpError> + Send + 'static,
        T: Send + 'static,
    {
        let answer = self
            .read_erased(Box::new(move |c| f(c).map(|v| Box::new(v) as Answer)))
            .await?;
        unerase(answer)
    }

    /// Runs `f` inside one write transaction, off the async executor.
    pub async fn write<T, F>(&self, f: F) -> Result<T, OpError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, OpError> + Send + 'static,
        T: Send + 'static,
    {
        let answer = self
            .write_erased(Box::new(move |c| f(c).map(|v| Box::new(v) as Answer)))
            .await?;
        unerase(answer)
    }

    async fn read_erased(&self, f: ReadWork) -> Result<Answer, OpError> {
        let _permit = self.permit(&self.read_gate).await?;
        let db = self.clone();
        blocking(move || db.read_blocking(f)).await
    }

    async fn write_erased(&self, f: WriteWork) -> Result<Answer, OpError> {
        if let Some(writer) = &self.writer {
            return writer.run(self, f).await;
        }
        let _permit = self.permit(&self.write_gate).await?;
        let db = self.clone();
        blocking(move || db.write_blocking(f)).await
    }

    /// A turn at one of the pool's connections, waiting at most as long as a checkout would.
    async fn permit<'a>(
        &self,
        gate: &'a tokio::sync::Semaphore,
    ) -> Result<tokio::sync::SemaphorePermit<'a>, OpError> {
        let timeout = if self.health.suspect() {
            SUSPECT_CHECKOUT_TIMEOUT
        } else {
            self.settings.checkout_timeout
        };
        match tokio::time::timeout(timeout, gate.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(OpError::unavailable(
                "the database is busy; please try again shortly",
            )),
        }
    }

    /// Refreshes SQLite's planner statistics on the writer (see [`refresh_statistics`]).
    pub async fn refresh_statistics(&self) -> Result<(), OpError> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let _permit = self.permit(&self.write_gate).await?;
        let db = self.clone();
        blocking(move || {
            db.run(&db.write, |conn| {
                refresh_statistics(conn);
                Ok(())
            })
        })
        .await
    }

    /// SQLite: copies the write-ahead log back into the database file without waiting for
    /// readers or blocking the writer (`PASSIVE`), on a reader connection, so commits never
    /// pay for it. The server runs this every second.
    pub async fn checkpoint(&self) -> Result<(), OpError> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        self.read(|conn| {
            if let DbConnection::Sqlite(c) = conn {
                c.batch_execute("PRAGMA wal_checkpoint(PASSIVE);")?;
            }
            Ok(())
        })
        .await
    }

    /// Whether the database answers a trivial query now (on a fresh check of a pooled
    /// connection, so a readiness probe never reports a dead pool as ready).
    pub async fn ping(&self) -> bool {
        let db = self.clone();
        blocking(move || {
            let mut conn = db.checkout(&db.read)?;
            conn.conn.batch_execute("SELECT 1").map_err(|e| {
                conn.broken = true;
                db.health.failed();
                OpError::from(e)
            })
        })
        .await
        .is_ok()
    }

    /// Pool gauges for /metrics: (name, connections, idle).
    pub fn pool_states(&self) -> Vec<(&'static str, u32, u32)> {
        let r = self.read.state();
        let mut out = vec![("read", r.connections, r.idle_connections)];
        if self.backend == Backend::Sqlite {
            let w = self.write.state();
            out.push(("write", w.connections, w.idle_connections));
        }
        out
    }

    /// The database URL, for fault injection in tests.
    pub fn url(&self) -> &str {
        &self.settings.url
    }
}

/// A write waiting for SQLite's single writer.
type WriteJob = Box<dyn FnOnce() + Send>;

/// What a unit of work answers, its type erased: the machinery that runs the work (the gate,
/// the pool, the panic guard, the transaction, the blocking pool or the writer thread) is then
/// compiled once, not once per call site; `read` and `write` erase and restore the type around
/// it. Each call site used to copy all of it, about a tenth of the HTTP layer's machine code.
type Answer = Box<dyn std::any::Any + Send>;
/// A read, repeatable (a lost connection is retried once on a fresh one).
type ReadWork = Box<dyn Fn(&mut DbConnection) -> Result<Answer, OpError> + Send>;
/// A write, run once inside its transaction.
type WriteWork = Box<dyn FnOnce(&mut DbConnection) -> Result<Answer, OpError> + Send>;

/// The answer as the type the caller's work produced.
fn unerase<T: 'static>(answer: Answer) -> Result<T, OpError> {
    answer
        .downcast::<T>()
        .map(|v| *v)
        .map_err(|_| OpError::unexpected("a database task answered with another type"))
}

/// SQLite takes one writer at a time. Handing its connection from one blocking thread to the
/// next costs a thread wake-up per write, and on a busy machine the connection sits idle while
/// the next thread is scheduled. One thread takes the writes from a queue instead and runs them
/// back to back. It ends when the last handle to the database is dropped.
#[derive(Clone)]
struct Writer {
    queue: std::sync::mpsc::Sender<WriteJob>,
}

impl Writer {
    fn start() -> Writer {
        let (queue, jobs) = std::sync::mpsc::channel::<WriteJob>();
        let spawned = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                while let Ok(job) = jobs.recv() {
                    // A write's own panic is caught and rolled back in `run`; this keeps the
                    // thread alive whatever else might unwind.
                    let _ = catch_unwind(AssertUnwindSafe(job));
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the SQLite writer thread");
        }
        Writer { queue }
    }

    /// Runs `f` in a write transaction on the writer thread. A write that waited longer than
    /// a connection checkout may is refused unrun (503), as a checkout would be.
    async fn run(&self, db: &Db, f: WriteWork) -> Result<Answer, OpError> {
        let (done, answer) = tokio::sync::oneshot::channel();
        let db = db.clone();
        let queued = std::time::Instant::now();
        let span = tracing::Span::current();
        let job: WriteJob = Box::new(move || {
            let wait = if db.health.suspect() {
                SUSPECT_CHECKOUT_TIMEOUT
            } else {
                db.settings.checkout_timeout
            };
            let result = if queued.elapsed() > wait {
                Err(OpError::unavailable(
                    "the database is busy; please try again shortly",
                ))
            } else {
                span.in_scope(|| db.write_blocking(f))
            };
            let _ = done.send(result);
        });
        self.queue
            .send(job)
            .map_err(|_| OpError::unexpected("the SQLite writer thread has stopped"))?;
        answer
            .await
            .map_err(|_| OpError::unexpected("a write was dropped unanswered"))?
    }
}

/// Runs blocking work on the blocking thread pool, inside the caller's tracing span so its
/// log lines carry the request id.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, OpError> + Send + 'static,
) -> Result<T, OpError> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(f))
        .await
        .map_err(|e| OpError::unexpected(format!("a blocking task failed: {e}")))?
}

/// An error message on one line (libpq's span several).
pub fn one_line(e: &dyn std::fmt::Display) -> String {
    e.to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Gives SQLite's query planner fresh table statistics (PostgreSQL's autovacuum does this by
/// itself), so a filtered list picks the index that serves it best. Cheap when nothing changed.
pub fn refresh_statistics(conn: &mut DbConnection) {
    if let DbConnection::Sqlite(c) = conn {
        // `shrink_memory` lets go of the pages the analysis read into this connection's cache.
        if let Err(e) = c.batch_execute("PRAGMA optimize = 0x10002; PRAGMA shrink_memory;") {
            tracing::warn!(error = %e, "could not refresh the query planner's statistics");
        }
    }
}

/// The key of the PostgreSQL advisory lock instances take while they migrate.
const MIGRATION_LOCK: i64 = 0x6e64_7072_6d69_6772; // "ndprmigr"

/// Applies the embedded migrations of the connection's backend, after refusing a database that
/// a newer binary migrated (changing nothing). On PostgreSQL one instance migrates at a time:
/// the others wait on an advisory lock, then find nothing pending.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<()> {
    match conn {
        DbConnection::Postgresql(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
                .map_err(|e| anyhow::anyhow!("migrations failed: {}", one_line(&e)))?;
            let result = refuse_newer(c, POSTGRES_MIGRATIONS).and_then(|_| {
                c.run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|_| ())
                    .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))
            });
            let _ = c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"));
            result
        }
        DbConnection::Sqlite(c) => {
            refuse_newer(c, SQLITE_MIGRATIONS)?;
            c.run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|_| ())
                .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))
        }
    }
}

/// Refuses a database carrying a migration this binary does not know: a newer version wrote
/// it, and this one would misread or damage its rows.
pub(crate) fn refuse_newer<DB, C>(conn: &mut C, source: EmbeddedMigrations) -> anyhow::Result<()>
where
    DB: diesel::backend::Backend,
    C: MigrationHarness<DB>,
    EmbeddedMigrations: diesel::migration::MigrationSource<DB>,
{
    use diesel::migration::MigrationSource;
    let known: std::collections::HashSet<String> = MigrationSource::<DB>::migrations(&source)
        .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let mut unknown: Vec<String> = conn
        .applied_migrations()
        .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?
        .into_iter()
        .map(|v| v.to_string())
        .filter(|v| !known.contains(v))
        .collect();
    unknown.sort();
    if unknown.is_empty() {
        return Ok(());
    }
    anyhow::bail!(
        "the database was migrated by a newer ndpr-contracts (migration {} is unknown to this \
         binary, version {}): run that version or a newer one; nothing was changed",
        unknown.join(", "),
        env!("CARGO_PKG_VERSION")
    )
}

/// Runs `f` inside a savepoint of the caller's transaction: when it fails, what it changed is
/// undone and the rest of the transaction stands.
pub fn savepoint<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, OpError>,
) -> Result<T, OpError> {
    conn.transaction(f)
}

/// One transaction; on SQLite it takes the write lock up front (`BEGIN IMMEDIATE`) so a
/// read-then-write never fails half way with SQLITE_BUSY.
pub fn transaction<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, OpError>,
) -> Result<T, OpError> {
    if let DbConnection::Sqlite(inner) = conn {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
        return match f(conn) {
            Ok(value) => {
                <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
                Ok(value)
            }
            Err(e) => {
                let _ =
                    <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
                Err(e)
            }
        };
    }
    conn.transaction(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_manager(dir: &std::path::Path) -> Manager {
        Manager {
            url: format!("sqlite://{}/t.db", dir.display()),
            busy_timeout_ms: 100,
        }
    }

    #[test]
    fn a_connection_inside_a_transaction_is_broken() {
        let dir = std::env::temp_dir().join(format!("ndpr-conn-{}", uuid::Uuid::new_v4()));
        let _ = std::fs::create_dir_all(&dir);
        let m = sqlite_manager(&dir);
        let mut c = m.connect().unwrap_or_else(|e| panic!("{e}"));
        assert!(!m.has_broken(&mut c));
        assert!(m.is_valid(&mut c).is_ok());
        if let DbConnection::Sqlite(inner) = &mut c.conn {
            let _ = AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE");
        }
        assert!(
            m.has_broken(&mut c),
            "open transaction must count as broken"
        );
        let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(&mut c.conn);
        assert!(!m.has_broken(&mut c));
        c.broken = true;
        assert!(
            m.has_broken(&mut c),
            "a lost connection must count as broken"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn connect_timeout_is_added_once() {
        assert_eq!(
            with_connect_timeout("postgres://h/db"),
            "postgres://h/db?connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?sslmode=require"),
            "postgres://h/db?sslmode=require&connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?connect_timeout=2"),
            "postgres://h/db?connect_timeout=2"
        );
    }
}
