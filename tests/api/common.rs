//! Starts the real application on a free port, on SQLite or on a fresh PostgreSQL database,
//! and talks HTTP to it.

use std::io::Write;
use std::sync::mpsc;
use std::sync::OnceLock;

use diesel::{Connection, RunQueryDsl};
use ndpr_contracts::config::{Secret, Settings};
use ndpr_contracts::startup::Application;
use serde_json::Value;

pub const SECRET: &str = "test-secret-test-secret-test-secret!!";
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub database_url: String,
    admin_token: OnceLock<String>,
    server: actix_web::dev::ServerHandle,
    cleanup: Cleanup,
}

#[allow(dead_code)] // the values are kept for their Drop
enum Cleanup {
    None,
    File(tempdir::Dir),
    PgDatabase { admin_url: String, name: String },
}

mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The PostgreSQL server URL for tests, if any; says once (outside the test capture) when absent.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("NDPR_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    static TOLD: OnceLock<()> = OnceLock::new();
    if url.is_none() {
        TOLD.get_or_init(|| {
            let _ = writeln!(
                std::io::stderr(),
                "\nNOTE: NDPR_TEST_DATABASE_URL is not set: the PostgreSQL variants of the tests are \
                 skipped and only SQLite is tested.\n      Set it to e.g. \
                 postgres://postgres@127.0.0.1:5432/postgres to test PostgreSQL too.\n"
            );
        });
    }
    url
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Panics with the body when the status is not as expected.
    #[track_caller]
    pub fn expect(self, status: u16) -> Resp {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// The field names of a validation problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    /// Starts an application on the given backend; `None` when PostgreSQL is not configured.
    pub fn start(backend: Backend) -> Option<TestApp> {
        Self::start_with(backend, |_| {})
    }

    /// A second instance on the same database, as behind a load balancer.
    pub fn second_instance(&self) -> TestApp {
        self.second_instance_with(|_| {})
    }

    /// A second instance on the same database, with its own settings.
    pub fn second_instance_with(&self, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let url = self.database_url.clone();
        Self::boot(url, Cleanup::None, tweak)
    }

    /// A second instance when the database is shared between processes (PostgreSQL); none on
    /// the embedded default.
    pub fn second_instance_if_shared(&self) -> Option<TestApp> {
        self.database_url
            .starts_with("postgres")
            .then(|| self.second_instance())
    }

    pub fn start_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        let (url, cleanup) = fresh_database(backend)?;
        Some(Self::boot(url, cleanup, tweak))
    }

    /// Starts an application on a fresh database that `prepare` has written to first (given
    /// the database URL), as an older version of the service would have left it.
    pub fn start_prepared(backend: Backend, prepare: impl FnOnce(&str)) -> Option<TestApp> {
        let (url, cleanup) = fresh_database(backend)?;
        prepare(&url);
        Some(Self::boot(url, cleanup, |_| {}))
    }

    fn boot(url: String, cleanup: Cleanup, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = Settings::for_database(&url);
        settings.listen = "127.0.0.1:0".into();
        settings.jwt_secret = Some(Secret(SECRET.into()));
        settings.admin_password = Some(Secret(ADMIN_PASSWORD.into()));
        settings.pool_size = 4;
        settings.workers = Some(2);
        settings.max_body_bytes = 64 * 1024;
        // The tests' months are open, over, final or late as seen from this date.
        settings.today = chrono::NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2);
        tweak(&mut settings);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match Application::build(&settings) {
                    Ok(app) => {
                        let port = app.port();
                        let server = app.into_server();
                        let _ = tx.send(Ok((port, server.handle())));
                        let _ = server.await;
                    }
                    Err(e) => {
                        let _ = tx.send(Err(format!("{e:#}")));
                    }
                }
            })
        });
        let (port, server) = rx
            .recv()
            .unwrap_or_else(|_| Err("the server thread died".into()))
            .unwrap_or_else(|e| panic!("application failed to start: {e}"));
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            database_url: url,
            admin_token: OnceLock::new(),
            server,
            cleanup,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = ureq::request(method, &self.url(path));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        for (n, v) in headers {
            req = req.set(n, v);
        }
        let result = match body {
            Some(b) => req
                .set("Content-Type", "application/json")
                .send_string(&b.to_string()),
            None => req.call(),
        };
        into_resp(result)
    }

    pub fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: &str,
    ) -> Resp {
        let mut req = ureq::request(method, &self.url(path)).set("Content-Type", content_type);
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        into_resp(req.send_string(body))
    }

    /// Sends `body` as written (JSON text), with extra headers.
    pub fn raw_with(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = ureq::request(method, &self.url(path))
            .set("Content-Type", "application/json")
            .set("Authorization", &format!("Bearer {token}"));
        for (n, v) in headers {
            req = req.set(n, v);
        }
        into_resp(req.send_string(body))
    }

    pub fn get(&self, path: &str, token: &str) -> Resp {
        self.call("GET", path, Some(token), None, &[])
    }

    pub fn post(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.call("POST", path, Some(token), Some(body), &[])
    }

    pub fn put(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.call("PUT", path, Some(token), Some(body), &[])
    }

    pub fn patch(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.call("PATCH", path, Some(token), Some(body), &[])
    }

    pub fn login(&self, username: &str, password: &str) -> Resp {
        self.call(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(&serde_json::json!({"username": username, "password": password})),
            &[],
        )
    }

    pub fn admin(&self) -> String {
        self.admin_token
            .get_or_init(|| {
                self.login("admin", ADMIN_PASSWORD).expect(200).body["access_token"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .clone()
    }

    /// Creates a user with `role` and returns a token for them.
    pub fn token_for(&self, role: &str) -> String {
        let username = format!("{role}{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let password = "a-long-test-password";
        self.post(
            "/api/v1/users",
            &self.admin(),
            &serde_json::json!({"username": username, "password": password, "role": role}),
        )
        .expect(201);
        self.login(&username, password).expect(200).body["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

fn into_resp(result: Result<ureq::Response, ureq::Error>) -> Resp {
    let res = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = res.status();
    let headers = res
        .headers_names()
        .into_iter()
        .filter_map(|n| res.header(&n).map(|v| (n.clone(), v.to_string())))
        .collect();
    let text = res.into_string().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        body,
        text,
    }
}

pub(crate) fn database_url_with(server_url: &str, db: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server_url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let stop = self.server.stop(false);
        let _ = std::thread::spawn(move || actix_web::rt::System::new().block_on(stop)).join();
        if let Cleanup::PgDatabase { admin_url, name } = &self.cleanup {
            if let Ok(mut conn) = diesel::PgConnection::establish(admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

/// Runs a test body once on SQLite and once on PostgreSQL (when configured).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    let app = $crate::common::TestApp::start($crate::common::Backend::Sqlite)
                        .unwrap_or_else(|| unreachable!());
                    super::$name(&app);
                }
                #[test]
                fn postgres() {
                    if let Some(app) = $crate::common::TestApp::start($crate::common::Backend::Postgres) {
                        super::$name(&app);
                    }
                }
            }
        )*
    };
}

/// Runs `n` requests at once, each on its own thread (`send(i)` sends the i-th and gives its
/// status, see [`status_of`]), and returns their statuses in order.
pub fn in_parallel<F>(n: usize, send: F) -> Vec<u16>
where
    F: Fn(usize) -> u16 + Send + Sync + 'static,
{
    let send = std::sync::Arc::new(send);
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let send = send.clone();
            std::thread::spawn(move || send(i))
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
}

/// The status of an answer; a transport error fails the test.
pub fn status_of(result: Result<ureq::Response, ureq::Error>) -> u16 {
    match result {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{e}"),
    }
}

/// The business date every test application runs on (`NDPR_TODAY`).
pub const TODAY: (i32, u32, u32) = (2026, 11, 27);

/// The test applications' current month, `YYYY-MM`.
pub fn this_month() -> String {
    format!("{}-{:02}", TODAY.0, TODAY.1)
}

/// The month after the test applications' business date, `YYYY-MM`.
pub fn next_month() -> String {
    let (y, m) = (TODAY.0, TODAY.1);
    if m == 12 {
        format!("{}-01", y + 1)
    } else {
        format!("{y}-{:02}", m + 1)
    }
}

/// A new, empty database on `backend` and what removes it; `None` when PostgreSQL is not
/// configured.
fn fresh_database(backend: Backend) -> Option<(String, Cleanup)> {
    Some(match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(format!("ndpr-test-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
            let url = format!("sqlite://{}/test.db", dir.display());
            (url, Cleanup::File(tempdir::Dir(dir)))
        }
        Backend::Postgres => {
            let admin_url = postgres_url()?;
            let name = format!("ndpr_test_{}", uuid::Uuid::new_v4().simple());
            let mut conn = diesel::PgConnection::establish(&admin_url)
                .unwrap_or_else(|e| panic!("cannot reach NDPR_TEST_DATABASE_URL: {e}"));
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .unwrap_or_else(|e| panic!("cannot create a test database: {e}"));
            let url = database_url_with(&admin_url, &name);
            (url, Cleanup::PgDatabase { admin_url, name })
        }
    })
}
