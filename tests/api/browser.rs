//! The desk in a real browser: Debian's Chromium driven by playwright-core
//! (`tests/browser/desk.mjs`) against this application with the demo data. Skipped, with a
//! message saying what to install, when Chromium or the npm packages are missing; `.ci/run`
//! installs both. Screenshots go to `target/browser/`.

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
    if !Path::new("tests/browser/node_modules/playwright-core").exists() {
        return Some("playwright-core is missing (cd tests/browser && npm ci)".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is missing".into());
    }
    None
}

#[test]
fn the_desk_works_in_a_real_browser() {
    if let Some(why) = missing() {
        eprintln!("skipping the browser tests: {why}");
        return;
    }
    let Some(app) = TestApp::start(Backend::Sqlite) else {
        return;
    };
    let mut settings = Settings::for_database(&app.database_url);
    settings.admin_password = Some(Secret(ADMIN_PASSWORD.into()));
    settings.jwt_secret = Some(Secret(SECRET.into()));
    // The demo's months relative to the same business date the application runs on.
    settings.today = chrono::NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2);
    ndpr_contracts::demo::run(&settings).unwrap_or_else(|e| panic!("demo failed: {e:#}"));
    let out = Command::new("node")
        .arg("tests/browser/desk.mjs")
        .arg(&app.base)
        .arg("target/browser")
        .arg(CHROMIUM)
        .env("NDPR_DEMO_PASSWORD", ndpr_contracts::demo::DEMO_PASSWORD)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser tests failed:\n{stdout}\n{stderr}"
    );
}
