//! Builds the application: database, bootstrap, state, middleware, routes, and the server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, ErrorHandlers};
use actix_web::{web, App, HttpServer};
use utoipa_actix_web::AppExt;

use crate::api::client::TrustedProxies;
use crate::api::{self, middleware};
use crate::auth::password::HashGate;
use crate::auth::{TokenKeys, UserDirectory};
use crate::bootstrap;
use crate::config::Settings;
use crate::db::{Db, DbSettings};
use crate::metrics::Metrics;
use crate::openapi;
use crate::route_table::RouteTable;
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    /// A password generated for the first admin, to be shown once.
    pub generated_admin_password: Option<String>,
}

/// The database settings a configuration asks for.
pub fn db_settings(settings: &Settings) -> DbSettings {
    let mut db = DbSettings::new(&settings.database_url, settings.pool_size);
    db.sqlite_busy_timeout = Duration::from_millis(settings.sqlite_busy_timeout_ms);
    db
}

/// A second after start and then every ten minutes: purges expired idempotency keys and
/// login-throttle rows, refreshes SQLite's planner statistics and hands freed memory back to
/// the system. Stops with the server's runtime.
fn spawn_housekeeping(db: Db) {
    actix_web::rt::spawn(async move {
        let first = actix_web::rt::time::Instant::now() + Duration::from_secs(1);
        let mut tick = actix_web::rt::time::interval_at(first, Duration::from_secs(600));
        loop {
            tick.tick().await;
            match db.write(crate::ops::maintenance::purge).await {
                Ok(p) if p != Default::default() => tracing::info!(
                    idempotency_keys = p.idempotency_keys,
                    login_attempts = p.login_attempts,
                    "purged expired rows"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not purge expired rows"),
            }
            if let Err(e) = db.refresh_statistics().await {
                tracing::warn!(error = %e, "could not refresh the planner's statistics");
            }
            crate::memory::release_free_memory();
        }
    });
}

/// SQLite: a write-ahead-log checkpoint every second, off the writer's path.
fn spawn_checkpoints(db: Db) {
    if db.backend != crate::db::Backend::Sqlite {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            if let Err(e) = db.checkpoint().await {
                tracing::debug!(error = %e, "checkpoint skipped");
            }
        }
    });
}

impl Application {
    /// Connects and migrates the database, bootstraps the first admin and the signing secret,
    /// and binds the listener (port 0 picks a free port).
    pub fn build(settings: &Settings) -> anyhow::Result<Application> {
        if let Some(date) = settings.today {
            crate::clock::fix(date);
        }
        crate::ops::settlements::set_book_currency(&settings.book_currency);
        let trusted_proxies =
            TrustedProxies::parse(&settings.trusted_proxies).map_err(|e| anyhow::anyhow!(e))?;
        let db = Db::open(db_settings(settings))?;
        let generated_admin_password = bootstrap::ensure_first_admin(&db, settings)?;
        let secret = bootstrap::signing_secret(&db, settings)?;
        let listener = TcpListener::bind(&settings.listen)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
        let port = listener.local_addr()?.port();
        let doc = openapi::document();
        let routes = RouteTable::from_document(&doc);
        let doc_json = Arc::new(serde_json::to_string_pretty(&doc)?);
        let state = web::Data::new(AppState {
            db,
            keys: TokenKeys::new(&secret, settings.token_ttl_secs),
            users: UserDirectory::new(Duration::from_secs(5)),
            metrics: Metrics::default(),
            max_body_bytes: settings.max_body_bytes,
            routes,
            hashing: HashGate::for_this_machine(),
            trusted_proxies,
            webhooks: Arc::new(crate::webhooks::WebhookClient::new(
                settings.webhook_policy(),
            )),
            reads: Default::default(),
        });
        spawn_housekeeping(state.db.clone());
        if settings.webhooks_worker {
            crate::webhooks::worker::spawn(&state.db, &state.webhooks, &settings.webhook_worker());
        }
        spawn_checkpoints(state.db.clone());
        let cors_origins = settings.cors_origins.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::Data::new(openapi::ServedDocument(doc_json.clone())))
                .app_data(api::extract::query_config())
                .app_data(api::extract::path_config())
                .wrap(from_fn(crate::web::flash::clear_shown))
                .wrap(ErrorHandlers::new().default_handler(middleware::problem_fallback))
                .wrap(from_fn(middleware::idempotency))
                .wrap(from_fn(middleware::not_modified))
                .wrap(middleware::cors(&cors_origins))
                .wrap(from_fn(middleware::request_id_and_metrics))
                .into_utoipa_app()
                .configure(api::configure)
                .into_app()
                .configure(openapi::configure_docs)
                .configure(crate::web::configure)
                .default_service(web::to(|req: actix_web::HttpRequest| async move {
                    if crate::web::wants_a_page(&req) {
                        crate::web::unknown_page(&req)
                    } else {
                        api::fallback::unmatched_route(req).await
                    }
                }))
        })
        .shutdown_timeout(settings.shutdown_grace_secs)
        .keep_alive(std::time::Duration::from_secs(
            settings.keep_alive_secs.max(1),
        ))
        .listen(listener)?;
        if let Some(workers) = settings.workers {
            server = server.workers(workers.max(1));
        }
        Ok(Application {
            port,
            server: server.run(),
            generated_admin_password,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// The server handle, for tests that run it in the background.
    pub fn into_server(self) -> Server {
        self.server
    }
}
