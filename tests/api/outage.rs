//! The database away: 503 with `Retry-After`, readiness says so, and service comes back by
//! itself. PostgreSQL is cut with a proxy this test controls; SQLite is locked by a second
//! process.

use std::io::BufRead;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::{postgres_url, Backend, TestApp};
use crate::fixtures::*;
use crate::proxy::Proxy;

/// The host:port of a PostgreSQL URL, and the URL sent through `port` on 127.0.0.1 instead.
fn through(url: &str, port: u16) -> (String, String) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let authority_start = url[after_scheme..]
        .find('@')
        .map_or(after_scheme, |i| after_scheme + i + 1);
    let authority_end = url[authority_start..]
        .find(['/', '?'])
        .map_or(url.len(), |i| authority_start + i);
    let upstream = url[authority_start..authority_end].to_string();
    let proxied = format!(
        "{}127.0.0.1:{port}{}",
        &url[..authority_start],
        &url[authority_end..]
    );
    (upstream, proxied)
}

/// Asserts a 503 problem with `Retry-After` that names no host.
#[track_caller]
fn unavailable(res: crate::common::Resp) {
    assert_eq!(res.status, 503, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert!(res.header("retry-after").is_some(), "no Retry-After");
    for leak in [
        "127.0.0.1",
        "localhost",
        "5432",
        "postgres",
        "connection to server",
    ] {
        assert!(!res.text.contains(leak), "{leak} leaked: {}", res.text);
    }
}

#[test]
fn postgres_restart_is_survived_without_a_restart() {
    let Some(server) = postgres_url() else { return };
    let (upstream, _) = through(&server, 0);
    let proxy = Proxy::start(&upstream);
    let Some(app) = TestApp::start_with(Backend::Postgres, |s| {
        s.database_url = through(&s.database_url, proxy.port).1;
    }) else {
        return;
    };
    let t = app.admin();
    let before = customer(&app, "BEFORE-1");

    proxy.cut();
    let body = json!({"code": "DURING-1", "name": "During the outage", "country": "JP"});
    for _ in 0..3 {
        unavailable(app.post("/api/v1/customers", &t, &body));
        unavailable(app.get(&format!("/api/v1/customers/{before}"), &t));
    }
    unavailable(app.call("GET", "/health/ready", None, None, &[]));
    app.call("GET", "/health/live", None, None, &[]).expect(200);

    proxy.restore();
    let back = Instant::now();
    loop {
        let ready = app.call("GET", "/health/ready", None, None, &[]);
        if ready.status == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "not ready 5 s after the database came back: {}",
            ready.text
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Full service: reads, writes, and nothing that was answered 2xx is lost.
    let after = customer(&app, "AFTER-1");
    app.get(&format!("/api/v1/customers/{before}"), &t)
        .expect(200);
    app.get(&format!("/api/v1/customers/{after}"), &t)
        .expect(200);
    let list = app.get("/api/v1/customers", &t).expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(2));
    assert!(back.elapsed() < Duration::from_secs(5));
}

/// Holds SQLite's write lock from another process until dropped.
pub(crate) struct LockHolder(std::process::Child);

impl LockHolder {
    pub(crate) fn take(path: &str) -> LockHolder {
        let script = "import sqlite3, sys, time\n\
                      c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
                      c.execute('BEGIN IMMEDIATE')\n\
                      print('locked', flush=True)\n\
                      time.sleep(60)\n";
        let mut child = std::process::Command::new("python3")
            .args(["-c", script, path])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("the SQLite lock test needs python3: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| unreachable!());
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        assert_eq!(line.trim(), "locked");
        LockHolder(child)
    }
}

impl Drop for LockHolder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn sqlite_locked_by_another_process_answers_503() {
    let app = TestApp::start_with(Backend::Sqlite, |s| s.sqlite_busy_timeout_ms = 300)
        .unwrap_or_else(|| unreachable!());
    let t = app.admin();
    customer(&app, "BEFORE-1");
    let path = app
        .database_url
        .strip_prefix("sqlite://")
        .unwrap_or(&app.database_url)
        .to_string();
    let lock = LockHolder::take(&path);
    let res = app.post(
        "/api/v1/customers",
        &t,
        &json!({"code": "LOCKED-1", "name": "Locked out", "country": "JP"}),
    );
    assert_eq!(res.status, 503, "{}", res.text);
    assert!(res.header("retry-after").is_some());
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    // Readers are not blocked by a writer.
    app.get("/api/v1/customers", &t).expect(200);
    app.call("GET", "/health/ready", None, None, &[])
        .expect(200);
    drop(lock);
    customer(&app, "AFTER-1");
}

#[test]
fn through_rewrites_only_the_authority() {
    assert_eq!(
        through("postgres://postgres@127.0.0.1:5432/db?x=1", 9),
        (
            "127.0.0.1:5432".to_string(),
            "postgres://postgres@127.0.0.1:9/db?x=1".to_string()
        )
    );
}
