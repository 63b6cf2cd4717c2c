//! Connections, pools and transactions for both backends.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::ApiError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

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

/// Opens connections by URL scheme, so a PostgreSQL error keeps libpq's own message.
#[derive(Clone, Debug)]
pub struct Manager {
    url: String,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match Backend::of(&self.url) {
            Backend::Postgres => diesel::PgConnection::establish(&self.url)
                .map(DbConnection::Postgresql)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(sqlite_path(&self.url))
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

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
}

impl Db {
    /// Connects, checks the database answers, and applies pending migrations.
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        let backend = Backend::parse(url)?;
        let build = |size: u32| {
            Pool::builder()
                .max_size(size)
                .min_idle(Some(1))
                .test_on_check_out(false)
                .connection_timeout(Duration::from_secs(10))
                .build(Manager {
                    url: url.to_string(),
                })
        };
        if backend == Backend::Sqlite {
            let path = sqlite_path(url);
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        anyhow::anyhow!("cannot create the database folder {}: {e}", dir.display())
                    })?;
                }
            }
        }
        // One direct attempt first: a wrong URL or an unreachable server fails at once with
        // the driver's own message instead of after the pool's retries.
        Manager {
            url: url.to_string(),
        }
        .connect()
        .map_err(|e| anyhow::anyhow!("cannot open the database: {}", one_line(&e)))?;
        // Open the writer first so SQLite creates the file and switches it to WAL once.
        let write = build(if backend == Backend::Sqlite {
            1
        } else {
            pool_size
        })
        .map_err(|e| anyhow::anyhow!("cannot open the database: {}", one_line(&e)))?;
        {
            let mut conn = write.get()?;
            run_migrations(&mut conn)?;
        }
        let read = if backend == Backend::Sqlite {
            build(pool_size)
                .map_err(|e| anyhow::anyhow!("cannot open the database: {}", one_line(&e)))?
        } else {
            write.clone()
        };
        Ok(Db {
            backend,
            read,
            write,
        })
    }

    /// Runs `f` on a reader connection, off the async executor.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.read.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(ApiError::unavailable)?;
            f(&mut conn)
        })
        .await
        .map_err(ApiError::unexpected)?
    }

    /// Runs `f` inside one write transaction: the change, its audit entry and its event
    /// commit together or not at all.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.write.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(ApiError::unavailable)?;
            write_transaction(&mut conn, f)
        })
        .await
        .map_err(ApiError::unexpected)?
    }

    /// Runs `f` on a writer connection synchronously (start-up and CLI commands).
    pub fn write_blocking<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut conn = self.write.get().map_err(ApiError::unavailable)?;
        write_transaction(&mut conn, f)
    }

    /// Whether the database answers a trivial query now.
    pub async fn ping(&self) -> bool {
        self.read(|conn| {
            conn.batch_execute("SELECT 1")?;
            Ok(())
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
}

/// An error message on one line (libpq's span several).
fn one_line(e: &dyn std::fmt::Display) -> String {
    e.to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Applies the embedded migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<()> {
    let result = match conn {
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| anyhow::anyhow!("migrations failed: {e}"))
}

/// One transaction; on SQLite it takes the write lock up front (`BEGIN IMMEDIATE`) so a
/// read-then-write never fails half way with SQLITE_BUSY.
pub fn write_transaction<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
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
