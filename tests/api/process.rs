//! The real binary as an operator runs it: SIGTERM finishes in-flight requests and exits 0;
//! log lines carry the request id, no colour codes in a file, and one JSON object per line
//! with `NDPR_LOG_FORMAT=json`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

struct Served {
    child: Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl Served {
    fn start(extra_env: &[(&str, &str)]) -> Served {
        let dir = std::env::temp_dir().join(format!("ndpr-proc-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let log = std::fs::File::create(dir.join("server.log")).unwrap_or_else(|e| panic!("{e}"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ndpr-contracts"));
        cmd.arg("serve")
            .env("DATABASE_URL", format!("sqlite://{}/p.db", dir.display()))
            .env("NDPR_LISTEN", format!("127.0.0.1:{port}"))
            .env("NDPR_ADMIN_PASSWORD", "process-test-admin")
            .env("NDPR_LOG", "info")
            .env("NDPR_SHUTDOWN_GRACE_SECS", "10")
            .env("NDPR_WORKERS", "2")
            .env_remove("NDPR_LOG_FORMAT")
            .stdout(Stdio::null())
            .stderr(Stdio::from(log));
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap_or_else(|e| panic!("{e}"));
        let served = Served { child, port, dir };
        let started = Instant::now();
        while ureq::get(&served.url("/health/live")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        served
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn token(&self) -> String {
        ureq::post(&self.url("/api/v1/auth/token"))
            .send_json(json!({"username": "admin", "password": "process-test-admin"}))
            .ok()
            .and_then(|r| r.into_json::<serde_json::Value>().ok())
            .and_then(|v| v["access_token"].as_str().map(str::to_string))
            .unwrap_or_default()
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(status.success());
    }

    fn wait(&mut self, limit: Duration) -> Option<i32> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn sigterm_finishes_in_flight_requests_and_exits_0() {
    let mut served = Served::start(&[]);
    let token = served.token();
    let body = json!({"code": "IN-FLIGHT", "name": "Answered during shutdown", "country": "JP"})
        .to_string();
    let (head, tail) = body.split_at(body.len() / 2);
    let mut stream =
        TcpStream::connect(("127.0.0.1", served.port)).unwrap_or_else(|e| panic!("{e}"));
    write!(
        stream,
        "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nX-Request-Id: in-flight-1\r\n\
         Connection: close\r\n\r\n{head}",
        body.len()
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_millis(300));
    served.terminate();
    std::thread::sleep(Duration::from_millis(500));
    // No new connections are taken.
    let refused = TcpStream::connect_timeout(
        &format!("127.0.0.1:{}", served.port)
            .parse()
            .unwrap_or_else(|e| panic!("{e}")),
        Duration::from_millis(500),
    );
    assert!(
        refused.is_err(),
        "a new connection was accepted after SIGTERM"
    );
    // The request in flight is finished.
    stream
        .write_all(tail.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert_eq!(served.wait(Duration::from_secs(15)), Some(0));
    let log = served.log();
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a log file:\n{log}"
    );
    let answered: Vec<&str> = log.lines().filter(|l| l.contains("answered")).collect();
    assert!(!answered.is_empty(), "{log}");
    assert!(
        answered.iter().all(|l| l.contains("request_id=")),
        "a request's line without its id:\n{log}"
    );
    assert!(log.contains("request_id=in-flight-1"), "{log}");
}

#[test]
fn json_logs_are_one_object_per_line_with_the_request_id() {
    let mut served = Served::start(&[("NDPR_LOG_FORMAT", "json")]);
    let token = served.token();
    let res = ureq::get(&served.url("/api/v1/customers/not-a-uuid"))
        .set("Authorization", &format!("Bearer {token}"))
        .set("X-Request-Id", "json-log-1")
        .call();
    assert!(matches!(res, Err(ureq::Error::Status(404, _))));
    served.terminate();
    assert_eq!(served.wait(Duration::from_secs(15)), Some(0));
    let log = served.log();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let ours: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["span"]["request_id"] == "json-log-1")
        .collect();
    assert!(!ours.is_empty(), "{log}");
    assert!(ours.iter().any(|l| l["status"] == 404), "{log}");
}

#[test]
fn positions_check_and_rebuild_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("ndpr-pos-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let url = format!("sqlite://{}/p.db", dir.display());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ndpr-contracts"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("NDPR_LOG", "warn")
            .env("NDPR_TODAY", "2026-11-27")
            .env("NDPR_ADMIN_PASSWORD", "process-test-admin")
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(run(&["demo"]).status.success());
    let clean = run(&["positions", "check"]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let script = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute('UPDATE positions SET spot_g = spot_g + 1')\nc.commit()\n";
    let path = dir.join("p.db");
    let status = Command::new("python3")
        .args(["-c", script, &path.display().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    let drift = run(&["positions", "check"]);
    assert!(!drift.status.success());
    assert!(String::from_utf8_lossy(&drift.stderr).contains("positions differ"));
    assert!(run(&["positions", "rebuild"]).status.success());
    assert!(run(&["positions", "check"]).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A database a newer binary migrated is refused with one clear line and a non-zero exit, and
/// nothing in it changes.
#[test]
fn a_database_migrated_by_a_newer_binary_is_refused() {
    let dir = std::env::temp_dir().join(format!("ndpr-newer-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let url = format!("sqlite://{}/n.db", dir.display());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ndpr-contracts"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("NDPR_LOG", "warn")
            .env("NDPR_ADMIN_PASSWORD", "process-test-admin")
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(run(&["positions", "check"]).status.success());
    let path = dir.join("n.db").display().to_string();
    let sql = |statement: &str| {
        let script = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nr = c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint(r)\n";
        let out = Command::new("python3")
            .args(["-c", script, &path, statement])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    sql("INSERT INTO __diesel_schema_migrations (version, run_on) VALUES ('29991231000001', '2999-12-31 00:00:00')");
    let before = sql("SELECT count(*) FROM __diesel_schema_migrations");
    let users = sql("SELECT count(*) FROM users");
    let refused = run(&["serve"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    assert!(
        said.contains("migrated by a newer ndpr-contracts") && said.contains("29991231000001"),
        "{said}"
    );
    assert_eq!(
        sql("SELECT count(*) FROM __diesel_schema_migrations"),
        before
    );
    assert_eq!(sql("SELECT count(*) FROM users"), users);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two instances started together on one empty PostgreSQL database both come up: one migrates
/// while the other waits on the migration lock, and the first admin is created once.
#[test]
fn two_instances_start_together_on_an_empty_postgres_database() {
    use diesel::{Connection, RunQueryDsl};
    let Some(admin_url) = crate::common::postgres_url() else {
        return;
    };
    let name = format!("ndpr_two_{}", uuid::Uuid::new_v4().simple());
    let mut admin = diesel::PgConnection::establish(&admin_url).unwrap_or_else(|e| panic!("{e}"));
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap_or_else(|e| panic!("{e}"));
    let url = crate::common::database_url_with(&admin_url, &name);
    let free_port = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let ports = [free_port(), free_port()];
    let mut children: Vec<Child> = ports
        .iter()
        .map(|port| {
            Command::new(env!("CARGO_BIN_EXE_ndpr-contracts"))
                .arg("serve")
                .env("DATABASE_URL", &url)
                .env("NDPR_LISTEN", format!("127.0.0.1:{port}"))
                .env("NDPR_JWT_SECRET", "two-instances-secret-0123456789abcdef")
                .env("NDPR_ADMIN_PASSWORD", "two-instances-admin")
                .env("NDPR_LOG", "warn")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let ready = |port: u16| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.write_all(
                    b"GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                );
                let mut answer = String::new();
                let _ = s.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.1 200") {
                    return true;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    let up: Vec<bool> = ports.iter().map(|p| ready(*p)).collect();
    let mut logs = Vec::new();
    for child in &mut children {
        let _ = child.kill();
        let _ = child.wait();
        let mut log = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut log);
        }
        logs.push(log);
    }
    let users: i64 = {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut db = diesel::PgConnection::establish(&url).unwrap_or_else(|e| panic!("{e}"));
        diesel::sql_query("SELECT count(*) AS n FROM users")
            .get_result::<Count>(&mut db)
            .map(|c| c.n)
            .unwrap_or(-1)
    };
    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin);
    assert_eq!(up, [true, true], "{logs:?}");
    assert_eq!(users, 1);
}
