//! `backup` and `restore` of the embedded database, with the real binary: a backup taken while
//! the service serves and writes opens, passes `positions check` and holds every write
//! acknowledged before it started; restore refuses while the service runs, and afterwards the
//! service serves the copy.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::{json, Value};

const PASSWORD: &str = "backup-test-admin";

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn url_of(db: &Path) -> String {
    format!("sqlite://{}", db.display())
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ndpr-contracts"))
        .args(args)
        .env("DATABASE_URL", url_of(db))
        .env("NDPR_LOG", "warn")
        .env("NDPR_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new(env!("CARGO_BIN_EXE_ndpr-contracts"))
            .arg("serve")
            .env("DATABASE_URL", url_of(db))
            .env("NDPR_LISTEN", format!("127.0.0.1:{port}"))
            .env("NDPR_ADMIN_PASSWORD", PASSWORD)
            .env("NDPR_LOG", "warn")
            .env("NDPR_WORKERS", "2")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while ureq::get(&format!("{}/health/ready", server.base))
            .call()
            .is_err()
        {
            assert!(started.elapsed() < Duration::from_secs(30), "no start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn token(&self) -> String {
        ureq::post(&format!("{}/api/v1/auth/token", self.base))
            .send_json(json!({"username": "admin", "password": PASSWORD}))
            .ok()
            .and_then(|r| r.into_json::<Value>().ok())
            .and_then(|v| v["access_token"].as_str().map(str::to_string))
            .unwrap_or_else(|| panic!("no token"))
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(QueryableByName)]
struct Code {
    #[diesel(sql_type = Text)]
    code: String,
}

fn customer_codes(db: &Path) -> BTreeSet<String> {
    let mut conn = diesel::SqliteConnection::establish(&db.display().to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    diesel::sql_query("SELECT code FROM customers")
        .load::<Code>(&mut conn)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|c| c.code)
        .collect()
}

#[test]
fn a_backup_under_writes_holds_every_acknowledged_write_and_restores_sqlite() {
    let dir = Dir(std::env::temp_dir().join(format!("ndpr-backup-{}", uuid::Uuid::new_v4())));
    std::fs::create_dir_all(&dir.0).unwrap_or_else(|e| panic!("{e}"));
    let db = dir.0.join("live.db");
    let copy = dir.0.join("copy.db");
    assert!(run(&db, &["demo"]).status.success());
    let server = Server::start(&db);
    let token = server.token();

    // Two clients create customers without pause; each 201 is an acknowledged write.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (acked, stop, token) = (acked.clone(), stop.clone(), token.clone());
            let url = format!("{}/api/v1/customers", server.base);
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let code = format!("BK-{w}-{n}");
                    let res = ureq::post(&url)
                        .set("Authorization", &format!("Bearer {token}"))
                        .send_json(json!({"code": code, "name": "Backup buyer", "country": "JP"}));
                    if matches!(res, Ok(ref r) if r.status() == 201) {
                        if let Ok(mut a) = acked.lock() {
                            a.push(code);
                        }
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(800));
    let before: Vec<String> = acked.lock().map(|a| a.clone()).unwrap_or_default();
    let backup = run(&db, &["backup", &copy.display().to_string()]);
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(text(&backup).contains("integrity ok"), "{}", text(&backup));
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        let _ = w.join();
    }
    let all: Vec<String> = acked.lock().map(|a| a.clone()).unwrap_or_default();
    assert!(
        before.len() > 5,
        "the writers wrote {} before the backup",
        before.len()
    );
    assert!(
        all.len() > before.len(),
        "no write went on during and after the backup"
    );

    // The copy opens, is consistent, and holds every write acknowledged before the backup.
    let in_copy = customer_codes(&copy);
    let lost: Vec<&String> = before.iter().filter(|c| !in_copy.contains(*c)).collect();
    assert!(
        lost.is_empty(),
        "acknowledged before the backup, missing in it: {lost:?}"
    );
    let check = run(&copy, &["positions", "check"]);
    assert!(check.status.success(), "{}", text(&check));
    // A second backup never overwrites the first.
    let again = run(&db, &["backup", &copy.display().to_string()]);
    assert!(!again.status.success());
    assert!(text(&again).contains("exists"), "{}", text(&again));

    // The feed as its readers last saw it: restore must never hand these numbers out again.
    let feed: Value = ureq::get(&format!("{}/api/v1/events?limit=1", server.base))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .ok()
        .and_then(|r| r.into_json().ok())
        .unwrap_or_default();
    let seen_seq = feed["latest_seq"].as_i64().unwrap_or_default();
    assert!(seen_seq > 0, "{feed}");

    // Restore refuses while the service runs, and changes nothing.
    let refused = run(&db, &["restore", &copy.display().to_string()]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("in use"), "{}", text(&refused));
    server.stop();
    let live_codes = customer_codes(&db);
    assert!(all.iter().all(|c| live_codes.contains(c)));

    // A file that is not a database is refused, and changes nothing.
    let junk = dir.0.join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap_or_else(|e| panic!("{e}"));
    let bad = run(&db, &["restore", &junk.display().to_string()]);
    assert!(!bad.status.success(), "{}", text(&bad));
    assert_eq!(customer_codes(&db), live_codes);

    let restored = run(&db, &["restore", &copy.display().to_string()]);
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(text(&restored).contains("kept as"), "{}", text(&restored));
    assert!(
        text(&restored).contains("not handed out again"),
        "{}",
        text(&restored)
    );
    assert_eq!(customer_codes(&db), in_copy);
    let kept: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept beside it");

    // The service serves the restored database.
    let server = Server::start(&db);
    let token = server.token();
    let page: Value = ureq::get(&format!(
        "{}/api/v1/customers?code={}",
        server.base, before[0]
    ))
    .set("Authorization", &format!("Bearer {token}"))
    .call()
    .ok()
    .and_then(|r| r.into_json().ok())
    .unwrap_or_default();
    assert_eq!(page["items"][0]["code"], before[0].as_str(), "{page}");
    // A reader that had read up to `seen_seq` goes on: nothing it saw is numbered again.
    let feed_after = |after: i64| -> Value {
        ureq::get(&format!("{}/api/v1/events?after={after}", server.base))
            .set("Authorization", &format!("Bearer {token}"))
            .call()
            .ok()
            .and_then(|r| r.into_json().ok())
            .unwrap_or_default()
    };
    assert_eq!(feed_after(seen_seq)["has_more"], false);
    let created = ureq::post(&format!("{}/api/v1/customers", server.base))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"code": "AFTER-RESTORE", "name": "After", "country": "JP"}));
    assert!(matches!(created, Ok(ref r) if r.status() == 201));
    let next = feed_after(seen_seq);
    assert_eq!(next["items"][0]["data"]["code"], "AFTER-RESTORE", "{next}");
    assert!(next["items"][0]["seq"].as_i64() > Some(seen_seq));
    server.stop();
}

#[test]
fn backup_and_restore_point_postgres_users_to_pg_dump() {
    let out = Command::new(env!("CARGO_BIN_EXE_ndpr-contracts"))
        .args(["backup", "/tmp/never-written.db"])
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(text(&out).contains("pg_dump"), "{}", text(&out));
    assert!(!Path::new("/tmp/never-written.db").exists());
}
