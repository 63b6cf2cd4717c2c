//! PostgreSQL backups with its own tools, as docs/operations.md gives them: a populated
//! database dumped with `pg_dump --format=custom`, restored with `pg_restore` into a new
//! database, and served: the restored service answers a set of reads and reports exactly as
//! the original does.

use std::process::Command;

use crate::common::{Backend, TestApp, ADMIN_PASSWORD, SECRET};

#[test]
fn pg_dump_and_pg_restore_keep_every_answer_postgres() {
    if crate::common::postgres_url().is_none() {
        return;
    }
    let original = TestApp::start_prepared(Backend::Postgres, |url| {
        let out = Command::new(env!("CARGO_BIN_EXE_ndpr-contracts"))
            .arg("demo")
            .env("DATABASE_URL", url)
            .env("NDPR_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("NDPR_JWT_SECRET", SECRET)
            .env("NDPR_LOG", "warn")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    })
    .unwrap_or_else(|| unreachable!());
    let dump = std::env::temp_dir().join(format!("ndpr-{}.dump", uuid::Uuid::new_v4()));
    let out = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(&dump)
        .arg(&original.database_url)
        .output()
        .unwrap_or_else(|e| panic!("pg_dump: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = TestApp::start_prepared(Backend::Postgres, |url| {
        let out = Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--dbname", url])
            .arg(&dump)
            .output()
            .unwrap_or_else(|e| panic!("pg_restore: {e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    })
    .unwrap_or_else(|| unreachable!());
    let _ = std::fs::remove_file(&dump);

    let token = original.admin();
    let products = original
        .get("/api/v1/products?limit=100", &token)
        .expect(200)
        .body;
    let product = products["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut paths: Vec<String> = [
        "/api/v1/customers?limit=200",
        "/api/v1/products?limit=200",
        "/api/v1/price-indices?limit=200",
        "/api/v1/contracts?limit=200",
        "/api/v1/orders?limit=200",
        "/api/v1/shipments?limit=200",
        "/api/v1/export-licences?limit=200",
        "/api/v1/production-plans?limit=200",
        "/api/v1/fx-rates?limit=200",
        "/api/v1/deliveries?from=2026-01&to=2027-12",
        "/api/v1/reconciliation/summary?from=2026-06&to=2027-12",
        "/api/v1/reports/pricing-exposure?from=2026-06&to=2027-12",
        "/api/v1/settlements?limit=200",
        "/api/v1/reports/receivables?from=2026-01&to=2027-12",
        "/api/v1/events?after=0&limit=1000",
        "/api/v1/audit?limit=200",
        "/api/v1/users?limit=200",
        "/api/v1/orders.csv?limit=200",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    paths.push(format!(
        "/api/v1/reconciliation?product_id={product}&from=2026-06&to=2027-12"
    ));
    paths.push(format!(
        "/api/v1/atp/horizon?product_id={product}&quantity_kg=1000&from=2026-12&to=2027-12"
    ));
    let restored_token = restored.admin();
    for path in &paths {
        let a = original.get(path, &token);
        let b = restored.get(path, &restored_token);
        assert_eq!(a.status, 200, "{path}: {}", a.text);
        assert_eq!(b.status, 200, "{path}: {}", b.text);
        assert!(
            a.text.len() > 20,
            "{path} answered almost nothing: {}",
            a.text
        );
        assert_eq!(
            a.text, b.text,
            "{path} differs after pg_dump and pg_restore"
        );
    }
    // The restored database takes writes: its counters and sequences came along.
    let created = restored.post(
        "/api/v1/customers",
        &restored_token,
        &serde_json::json!({"code": "AFTER-RESTORE", "name": "Restored Buyer", "country": "JP"}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
}
