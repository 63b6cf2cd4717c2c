//! What every request handler and page shares: the database, token keys, the user cache,
//! metrics and limits. A leaf: it knows nothing of the routes.

use crate::auth::password::HashGate;
use crate::auth::{TokenKeys, UserDirectory};
use crate::client::TrustedProxies;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::route_table::RouteTable;

/// Everything a request handler may need, shared by all workers.
pub struct AppState {
    pub db: Db,
    pub keys: TokenKeys,
    pub users: UserDirectory,
    pub metrics: Metrics,
    pub max_body_bytes: usize,
    pub routes: RouteTable,
    /// How many password hashes may run at once.
    pub hashing: HashGate,
    pub trusted_proxies: TrustedProxies,
    /// Sends webhook deliveries (the worker's, and an admin's redelivery).
    pub webhooks: std::sync::Arc<crate::delivery::WebhookClient>,
    /// Expensive reads kept until the data changes (the desk's aggregates).
    pub reads: crate::ops::read_cache::ReadCache,
}

/// The request id of the current request, put into request extensions by the middleware.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);
