//! The desk in a real browser: Debian's Chromium driven by playwright-core
//! (`tests/browser/desk.mjs`) against this application with the demo data. Skipped, with a
//! message saying what to install, when Chromium or the npm packages are missing; `.ci/run`
//! installs both. Screenshots go to `target/browser/`. `day.mjs` writes (orders, splits, a
//! terminated contract), so it runs on both backends, each on a fresh demo database.

use std::path::Path;
use std::process::Command;

use ndpr_contracts::config::{Secret, Settings};

use crate::common::{Backend, TestApp, ADMIN_PASSWORD, SECRET, TODAY};

const CHROMIUM: &str = "/usr/bin/chromium";

fn missing() -> Option<String> {
    if !Path::new(CHROMIUM).exists() {
        return Some(format!(
            "{CHROMIUM} is missing (apt-get install -y chromium)"
        ));
    }
    for package in ["playwright-core", "axe-core"] {
        if !Path::new("tests/browser/node_modules")
            .join(package)
            .exists()
        {
            return Some(format!("{package} is missing (cd tests/browser && npm ci)"));
        }
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is missing".into());
    }
    None
}

/// Runs `script` (in `tests/browser/`) against a fresh application with the demo data on
/// `backend`, its screenshots under `target/browser/<shots>`.
fn run(backend: Backend, script: &str, shots: &str) {
    if let Some(why) = missing() {
        eprintln!("skipping the browser tests: {why}");
        return;
    }
    let Some(app) = TestApp::start(backend) else {
        return;
    };
    let mut settings = Settings::for_database(&app.database_url);
    settings.admin_password = Some(Secret(ADMIN_PASSWORD.into()));
    settings.jwt_secret = Some(Secret(SECRET.into()));
    // The demo's months relative to the same business date the application runs on.
    settings.today = chrono::NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2);
    ndpr_contracts::demo::run(&settings).unwrap_or_else(|e| panic!("demo failed: {e:#}"));
    let out = Command::new("node")
        .arg(format!("tests/browser/{script}"))
        .arg(&app.base)
        .arg(format!("target/browser/{shots}"))
        .arg(CHROMIUM)
        .env("NDPR_DEMO_PASSWORD", ndpr_contracts::demo::DEMO_PASSWORD)
        .env("NDPR_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser tests ({script}, {backend:?}) failed:\n{stdout}\n{stderr}"
    );
}

/// The desk's first round: login, ATP, CSRF, refusals, overrides, plans, contracts.
#[test]
fn the_desk_works_in_a_real_browser() {
    run(Backend::Sqlite, "desk.mjs", "desk");
}

/// A day at the desk (worklists, refusal without litter, safe actions, no lost work, phones,
/// axe-core on every page), on the embedded default.
#[test]
fn a_day_at_the_desk_on_sqlite() {
    run(Backend::Sqlite, "day.mjs", "day-sqlite");
}

/// The same day on PostgreSQL (skipped without `NDPR_TEST_DATABASE_URL`).
#[test]
fn a_day_at_the_desk_on_postgres() {
    run(Backend::Postgres, "day.mjs", "day-postgres");
}
