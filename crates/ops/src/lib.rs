#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
//! Every business operation, below HTTP: plain functions over a connection, an actor and a
//! command. Each holds the authorisation by role, the validation beyond parsing, the
//! transaction body with its audit entry and event, and the ATP gate where one applies. The
//! API, the desk, the importers and the command line all call these.
//!
//! Commands run inside the caller's write transaction (`Db::write`); queries on a reader
//! (`Db::read`). Nothing here knows about HTTP.

pub use ndpr_db as db;
pub use ndpr_db::{domain, error};

pub mod action;
pub mod actor;
pub mod atp;
pub mod auth;
pub mod capabilities;
pub mod contracts;
pub mod customer_overview;
pub mod deliveries;
pub mod delivery;
pub mod detail_csv;
pub mod expect;
pub mod feed;
pub mod fx;
pub mod history_csv;
pub mod idempotency;
pub mod import_columns;
pub mod imports;
pub mod licences;
pub mod lifecycle;
pub mod list_csv;
pub mod maintenance;
pub mod master;
pub mod monthly;
pub mod names;
pub mod orders;
pub mod page;
pub mod patch;
pub mod plans;
pub mod positions;
pub mod pricing;
pub mod quotes;
pub mod read_cache;
pub mod reconciliation;
pub mod references;
pub mod report;
pub mod session;
pub mod settlements;
pub mod shipments;
pub mod upsert;
pub mod users;
pub mod webhooks;

pub use actor::Actor;
pub use capabilities::Capabilities;
pub use expect::Expect;
/// Runs an operation that does its own reads and writes (logging in) off the async executor.
pub use ndpr_db::connection::blocking;
/// The connection an operation runs on, inside the caller's transaction or on a reader.
pub use ndpr_db::DbConnection as Conn;
