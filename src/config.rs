//! Typed settings from flags and environment variables.

use std::fmt;

use clap::{Args, Parser, Subcommand};

/// A value that must never be printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

/// NdPr contracts, orders, production reconciliation and pricing service.
#[derive(Debug, Parser)]
#[command(name = "ndpr-contracts", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document as JSON.
    Openapi,
    /// Fill a fresh database with a realistic demo data set, through the API.
    Demo,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Check or rebuild products' monthly positions from contracts, orders and plans.
    Positions {
        #[command(subcommand)]
        command: PositionsCommand,
    },
    /// Import a CSV (`.csv`) or JSON array file of customers, products, orders, price-quotes or fx-rates,
    /// through the same operations as `POST /api/v1/imports/{kind}`.
    Import {
        /// customers, products, orders, price-quotes or fx-rates
        kind: String,
        file: std::path::PathBuf,
        /// Store the good rows and report the bad ones, instead of all or nothing.
        #[arg(long)]
        valid_rows: bool,
    },
    /// Copy the SQLite database to FILE while the service serves and writes (PostgreSQL: use
    /// pg_dump, see docs/operations.md).
    Backup { file: std::path::PathBuf },
    /// Put a backup made by `backup` in place of the SQLite database; every process using the
    /// database must be stopped. The replaced file is kept beside it.
    Restore { file: std::path::PathBuf },
    /// Webhook deliveries.
    Webhooks {
        #[command(subcommand)]
        command: WebhooksCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// Run the delivery worker alone, until stopped (Ctrl-C or SIGTERM).
    Run,
}

#[derive(Debug, Subcommand)]
pub enum PositionsCommand {
    /// List every position that differs from the source rows; exit 1 if any does.
    Check,
    /// Rewrite every position from the source rows.
    Rebuild,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is read from NDPR_USER_PASSWORD, else from standard input.
    Add {
        username: String,
        #[arg(long, default_value = "viewer")]
        role: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database URL: sqlite://path/to/file.db (embedded default) or postgres://user@host/db.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/ndpr-contracts.db",
        global = true
    )]
    pub database_url: String,
    /// Address and port to listen on.
    #[arg(
        long,
        env = "NDPR_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: String,
    /// HS256 signing secret for access tokens (at least 32 bytes; required with PostgreSQL).
    #[arg(long, env = "NDPR_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<Secret>,
    /// Password for the first `admin` user, used only when the database has no users.
    #[arg(
        long,
        env = "NDPR_ADMIN_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub admin_password: Option<Secret>,
    /// Log filter, e.g. `info` or `ndpr_contracts=debug,actix_web=info`.
    #[arg(long, env = "NDPR_LOG", default_value = "info", global = true)]
    pub log_level: String,
    /// Browser origins allowed by CORS, comma separated (none by default).
    #[arg(long, env = "NDPR_CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Vec<String>,
    /// Database connections per instance.
    #[arg(long, env = "NDPR_POOL_SIZE", default_value_t = 8, global = true)]
    pub pool_size: u32,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "NDPR_WORKERS", global = true)]
    pub workers: Option<usize>,
    /// Access token lifetime in seconds.
    #[arg(
        long,
        env = "NDPR_TOKEN_TTL_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub token_ttl_secs: u64,
    /// The business date (YYYY-MM-DD) instead of today, for demos and tests.
    #[arg(long, env = "NDPR_TODAY", global = true)]
    pub today: Option<chrono::NaiveDate>,
    /// The currency the books are kept in: settlements show each figure in it too, at the
    /// fixing of the day (USD, CNY, EUR or JPY).
    #[arg(
        long,
        env = "NDPR_BOOK_CURRENCY",
        default_value = "CNY",
        value_parser = ["USD", "CNY", "EUR", "JPY"],
        global = true
    )]
    pub book_currency: String,
    /// Largest accepted request body in bytes.
    #[arg(
        long,
        env = "NDPR_MAX_BODY_BYTES",
        default_value_t = 1_048_576,
        global = true
    )]
    pub max_body_bytes: usize,
    /// Proxies whose `X-Forwarded-For` gives the client address (addresses or networks, comma
    /// separated); none by default, so the socket peer is the client.
    #[arg(
        long,
        env = "NDPR_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<String>,
    /// On SIGTERM or Ctrl-C, how long in-flight requests may take to finish, in seconds.
    #[arg(
        long,
        env = "NDPR_SHUTDOWN_GRACE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub shutdown_grace_secs: u64,
    /// How long an idle keep-alive connection stays open, in seconds. Longer than the idle
    /// timeout of the load balancers and client pools in front (60 s on the common ones), so
    /// the server never closes a connection a client is just reusing.
    #[arg(
        long,
        env = "NDPR_KEEP_ALIVE_SECS",
        default_value_t = 75,
        global = true
    )]
    pub keep_alive_secs: u64,
    /// Log lines as `text` or as `json` (one object per line, for log shippers).
    #[arg(long, env = "NDPR_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: LogFormat,
    /// SQLite: how long a write waits for another process's lock before answering 503.
    #[arg(
        long,
        env = "NDPR_SQLITE_BUSY_TIMEOUT_MS",
        default_value_t = 5000,
        global = true
    )]
    pub sqlite_busy_timeout_ms: u64,
    /// Webhooks: accept `http` URLs as well as `https`.
    #[arg(long, env = "NDPR_WEBHOOKS_ALLOW_HTTP", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub webhooks_allow_http: bool,
    /// Webhooks: allow loopback and private-network targets (link-local stays refused).
    #[arg(long, env = "NDPR_WEBHOOKS_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub webhooks_allow_private: bool,
    /// Run the webhook delivery worker inside `serve` (`false` when it runs on its own with
    /// `ndpr-contracts webhooks run`).
    #[arg(long, env = "NDPR_WEBHOOKS_WORKER", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub webhooks_worker: bool,
    /// How often an idle webhook worker looks for due deliveries, in milliseconds.
    #[arg(
        long,
        env = "NDPR_WEBHOOKS_POLL_MS",
        default_value_t = 1000,
        global = true
    )]
    pub webhooks_poll_ms: u64,
    /// The waits after each failed delivery attempt, in milliseconds, comma separated (default:
    /// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). For testing receivers.
    #[arg(
        long,
        env = "NDPR_WEBHOOKS_RETRY_MS",
        value_delimiter = ',',
        global = true
    )]
    pub webhooks_retry_ms: Vec<u64>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Settings {
    /// Which webhook targets may be saved and called.
    pub fn webhook_policy(&self) -> crate::domain::webhook::TargetPolicy {
        crate::domain::webhook::TargetPolicy {
            allow_http: self.webhooks_allow_http,
            allow_private: self.webhooks_allow_private,
        }
    }

    /// How the webhook worker polls and retries.
    pub fn webhook_worker(&self) -> crate::webhooks::WorkerSettings {
        let mut w = crate::webhooks::WorkerSettings {
            poll: std::time::Duration::from_millis(self.webhooks_poll_ms.clamp(10, 60_000)),
            ..Default::default()
        };
        if !self.webhooks_retry_ms.is_empty() {
            w.schedule = self
                .webhooks_retry_ms
                .iter()
                .map(|ms| std::time::Duration::from_millis(*ms))
                .collect();
        }
        w
    }

    /// Settings for tests and tools: the defaults, with the given database.
    pub fn for_database(url: &str) -> Settings {
        let mut s = Cli::parse_from(["ndpr-contracts"]).settings;
        s.database_url = url.to_string();
        s
    }
}
