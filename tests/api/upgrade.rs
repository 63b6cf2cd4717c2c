//! Upgrades from every version, on both backends: for each migration in `migrations/`, a
//! database is built at that version with that version's own SQL (each migration's `up.sql`,
//! then the rows of `upgrade_seeds/NNNNNN.sql`, written against that version's schema), the
//! current service is started on it (which migrates it to the head), and then every table keeps
//! every row, and the API, the reconciliation and `positions check` read what was written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde_json::Value;

use crate::common::{Backend, TestApp, ADMIN_PASSWORD};

#[test]
fn upgrades_from_every_version_sqlite() {
    upgrades_from_every_version(Backend::Sqlite);
}

#[test]
fn upgrades_from_every_version_postgres() {
    if crate::common::postgres_url().is_some() {
        upgrades_from_every_version(Backend::Postgres);
    }
}

fn upgrades_from_every_version(backend: Backend) {
    let migrations = migrations(backend);
    assert!(migrations.len() >= 14, "{migrations:?}");
    let hash =
        ndpr_contracts::ops::auth::password::hash(ADMIN_PASSWORD).unwrap_or_else(|e| panic!("{e}"));
    for version in 1..=migrations.len() {
        let mut before = BTreeMap::new();
        let app = TestApp::start_prepared(backend, |url| {
            let mut raw = Raw::open(url);
            raw.exec(
                "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT \
                 NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
            );
            for (n, (dir, id)) in migrations.iter().enumerate().take(version) {
                let up = read(&dir.join("up.sql"));
                raw.exec(&format!(
                    "BEGIN;\n{up}\nINSERT INTO __diesel_schema_migrations (version) VALUES \
                     ('{id}');\nCOMMIT;"
                ));
                let seed = seeds_dir().join(format!("{:06}.sql", n + 1));
                if seed.exists() {
                    raw.exec(&read(&seed).replace("{{admin_hash}}", &hash));
                }
            }
            before = raw.counts();
        })
        .unwrap_or_else(|| unreachable!());
        let after = Raw::open(&app.database_url).counts();
        for (table, rows) in &before {
            if table == "login_throttle" && version < 4 {
                // Migration 4 replaced it with login_attempts on purpose.
                assert!(!after.contains_key(table));
                continue;
            }
            let kept = after.get(table).copied().unwrap_or(-1);
            if table == "counters" {
                // Later migrations add the counters of the tables they create.
                assert!(kept >= *rows, "counters lost rows upgrading from {version}");
                continue;
            }
            assert_eq!(
                kept, *rows,
                "{table}: rows before and after upgrading from version {version}"
            );
        }
        assert_reads_what_was_written(&app, version);
        assert_positions_match(&app);
        eprintln!(
            "upgraded {backend:?} from version {version} ({}): {} tables, {} rows kept",
            migrations[version - 1].1,
            before.len(),
            before.values().sum::<i64>()
        );
    }
}

/// `(folder, diesel's version id)` of each migration, oldest first.
fn migrations(backend: Backend) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        });
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("up.sql").exists())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let name = d.file_name().map(|n| n.to_string_lossy().to_string());
            let id: String = name
                .unwrap_or_default()
                .split('_')
                .next()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            (d, id)
        })
        .collect()
}

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/upgrade_seeds")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A plain connection, outside the service, for building and counting.
enum Raw {
    Sqlite(diesel::SqliteConnection),
    Postgres(diesel::PgConnection),
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Raw {
    fn open(url: &str) -> Raw {
        if url.starts_with("postgres") {
            Raw::Postgres(diesel::PgConnection::establish(url).unwrap_or_else(|e| panic!("{e}")))
        } else {
            let path = url.trim_start_matches("sqlite://");
            Raw::Sqlite(diesel::SqliteConnection::establish(path).unwrap_or_else(|e| panic!("{e}")))
        }
    }

    fn exec(&mut self, sql: &str) {
        let result = match self {
            Raw::Sqlite(c) => c.batch_execute(sql),
            Raw::Postgres(c) => c.batch_execute(sql),
        };
        result.unwrap_or_else(|e| panic!("{e}\n{sql}"));
    }

    /// Rows per table, the migrations' own bookkeeping left out.
    fn counts(&mut self) -> BTreeMap<String, i64> {
        let list = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE \
                    'sqlite_%' AND name <> '__diesel_schema_migrations'";
        let pg_list = "SELECT table_name AS name FROM information_schema.tables WHERE \
                       table_schema = 'public' AND table_name <> '__diesel_schema_migrations'";
        let tables: Vec<Name> = match self {
            Raw::Sqlite(c) => diesel::sql_query(list).load(c),
            Raw::Postgres(c) => diesel::sql_query(pg_list).load(c),
        }
        .unwrap_or_else(|e| panic!("{e}"));
        tables
            .into_iter()
            .map(|t| {
                let q = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {}", t.name));
                let count: Count = match self {
                    Raw::Sqlite(c) => q.get_result(c),
                    Raw::Postgres(c) => q.get_result(c),
                }
                .unwrap_or_else(|e| panic!("{}: {e}", t.name));
                (t.name, count.n)
            })
            .collect()
    }
}

/// A decimal string without trailing zeros, so `"62.5000"` reads as `"62.5"`.
fn dec(v: &Value) -> String {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("not a decimal string: {v}"));
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

const TOKYO: &str = "c0000000-0000-4000-8000-000000000001";
const BERLIN: &str = "c0000000-0000-4000-8000-000000000002";
const OXIDE: &str = "b0000000-0000-4000-8000-000000000001";
const INDEX_USD: &str = "d0000000-0000-4000-8000-000000000001";
const INDEX_CNY: &str = "d0000000-0000-4000-8000-000000000002";
const LTC_FIXED: &str = "f0000000-0000-4000-8000-000000000001";
const LTC_INDEX: &str = "f0000000-0000-4000-8000-000000000002";
const LTC_ENDED: &str = "f0000000-0000-4000-8000-000000000003";
const SPOT_CONFIRMED: &str = "0a000000-0000-4000-8000-000000000001";
const SPOT_DRAFT: &str = "0a000000-0000-4000-8000-000000000003";
const SPOT_CANCELLED: &str = "0a000000-0000-4000-8000-000000000004";
const PLAN: &str = "9a000000-0000-4000-8000-000000000001";
const LICENCE: &str = "11000000-0000-4000-8000-000000000001";
const DELIVERED: &str = "5a000000-0000-4000-8000-000000000001";
const PLANNED: &str = "5a000000-0000-4000-8000-000000000002";
const BY_AIR: &str = "5a000000-0000-4000-8000-000000000003";
const WEBHOOK: &str = "3b000000-0000-4000-8000-000000000001";

fn assert_reads_what_was_written(app: &TestApp, version: usize) {
    let at = |what: &str| format!("{what} (upgraded from version {version})");
    // The seeded admin's password hash still logs in; the token works.
    let token = app.admin();
    let get = |path: &str| app.get(path, &token).expect(200).body;

    let tokyo = get(&format!("/api/v1/customers/{TOKYO}"));
    assert_eq!(
        (
            &tokyo["code"],
            &tokyo["name"],
            &tokyo["country"],
            &tokyo["external_ref"],
            &tokyo["status"],
            &tokyo["version"]
        ),
        (
            &Value::from("SEED-TOKYO"),
            &Value::from("Tokyo Magnetics K.K."),
            &Value::from("JP"),
            &Value::from("ERP-C-0001"),
            &Value::from("active"),
            &Value::from(1)
        ),
        "{}",
        at("customer")
    );
    assert_eq!(
        get(&format!("/api/v1/customers/{BERLIN}"))["status"],
        "archived"
    );
    let oxide = get(&format!("/api/v1/products/{OXIDE}"));
    assert_eq!(dec(&oxide["min_purity_pct"]), "99.5", "{}", at("product"));
    assert_eq!(oxide["hs_code"], "28469015");
    assert_eq!(oxide["export_controlled"], true);
    let index = get(&format!("/api/v1/price-indices/{INDEX_USD}"));
    assert_eq!(
        (&index["unit"], dec(&index["vat_pct"])),
        (&Value::from("kg"), "0".into())
    );
    let quotes = get(&format!(
        "/api/v1/price-indices/{INDEX_USD}/quotes?from=2026-09-01&to=2026-10-31"
    ));
    let prices: Vec<String> = quotes["quotes"]
        .as_array()
        .map(|q| q.iter().map(|q| dec(&q["price"])).collect())
        .unwrap_or_default();
    assert_eq!(prices, ["60", "62", "64.125", "64.875"], "{}", at("quotes"));
    let users = get("/api/v1/users?limit=100");
    let user = |name: &str| {
        users["items"]
            .as_array()
            .and_then(|a| a.iter().find(|u| u["username"] == name).cloned())
            .unwrap_or_else(|| panic!("{}", at(name)))
    };
    assert_eq!(user("seed-sales")["role"], "sales");
    assert_eq!(user("seed-former")["active"], false);
    let events = get("/api/v1/events?after=0&limit=10");
    let types: Vec<&str> = events["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["type"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        types,
        ["customer.created", "product.created"],
        "{}",
        at("events")
    );
    assert_eq!(events["items"][1]["data"]["code"], "SEED-NDPR-OX");
    let audit = get(&format!("/api/v1/audit?entity_id={TOKYO}"));
    assert_eq!(
        audit["items"][0]["request_id"],
        "seed-request-1",
        "{}",
        at("audit")
    );
    if version < 2 {
        return;
    }

    let ltc = get(&format!("/api/v1/contracts/{LTC_FIXED}"));
    assert_eq!(ltc["status"], "active", "{}", at("contract"));
    assert_eq!(dec(&ltc["tolerance_pct"]), "5");
    assert_eq!(dec(&ltc["pricing"]["unit_price"]), "62.5");
    assert_eq!(dec(&ltc["addon_premium"]), "1.5");
    let schedule: Vec<(String, String)> = ltc["schedule"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    (
                        l["period"].as_str().unwrap_or("").to_string(),
                        dec(&l["quantity_kg"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(schedule.len(), 6, "{}", at("schedule"));
    assert_eq!(schedule[2], ("2026-12".to_string(), "12000".to_string()));
    let (terms, share) = if version >= 13 { (1, "90") } else { (0, "100") };
    assert_eq!(
        ltc["quality_terms"].as_array().map(Vec::len),
        Some(terms),
        "{}",
        at("quality terms")
    );
    assert_eq!(dec(&ltc["provisional_payment_pct"]), share);
    let amendments = get(&format!("/api/v1/contracts/{LTC_FIXED}/amendments"));
    assert_eq!(
        amendments["items"][0]["reason"],
        "customer asked for 2 t more in December",
        "{}",
        at("amendment")
    );
    let indexed = get(&format!("/api/v1/contracts/{LTC_INDEX}"));
    assert_eq!(indexed["status"], "draft");
    assert_eq!(dec(&indexed["pricing"]["multiplier"]), "0.98");
    assert_eq!(indexed["pricing"]["index_id"], INDEX_USD);
    for (order, status, kg) in [
        (SPOT_CONFIRMED, "confirmed", "2000"),
        (SPOT_DRAFT, "draft", "500"),
        (SPOT_CANCELLED, "cancelled", "750"),
    ] {
        let o = get(&format!("/api/v1/orders/{order}"));
        assert_eq!(
            (o["status"].as_str(), dec(&o["quantity_kg"])),
            (Some(status), kg.into())
        );
    }
    let plan = get(&format!("/api/v1/production-plans/{PLAN}"));
    assert_eq!(plan["status"], "approved", "{}", at("plan"));
    let rec = get(&format!(
        "/api/v1/reconciliation?product_id={OXIDE}&from=2026-10&to=2027-03"
    ));
    let month = |period: &str| {
        rec["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["period"] == period).cloned())
            .unwrap_or_else(|| panic!("{}", at(period)))
    };
    let jan = month("2027-01");
    assert_eq!(
        (
            dec(&jan["planned_kg"]),
            dec(&jan["contract_kg"]),
            dec(&jan["spot_kg"])
        ),
        ("30000".into(), "10000".into(), "2000".into()),
        "{}",
        at("reconciliation")
    );
    assert_eq!(dec(&month("2026-12")["addon_kg"]), "1000");
    assert_eq!(dec(&month("2027-02")["pending_kg"]), "500");
    assert_eq!(dec(&month("2026-10")["actual_kg"]), "28500");
    if version < 3 {
        return;
    }

    let delivered = get(&format!("/api/v1/shipments/{DELIVERED}"));
    assert_eq!(delivered["status"], "delivered", "{}", at("shipment"));
    assert_eq!(delivered["transport_mode"], "sea");
    assert_eq!(delivered["containers"].as_array().map(Vec::len), Some(2));
    assert_eq!(delivered["lots"][0]["lot_number"], "BT-2026-10-A");
    assert_eq!(
        get(&format!("/api/v1/shipments/{PLANNED}"))["status"],
        "planned"
    );
    let licence = get(&format!("/api/v1/export-licences/{LICENCE}"));
    assert_eq!(dec(&licence["shipped_kg"]), "10000", "{}", at("licence"));
    let settlement = app.get(&format!("/api/v1/shipments/{DELIVERED}/settlement"), &token);
    if version >= 13 {
        let s = settlement.expect(200).body;
        assert_eq!(s["status"], "final", "{}", at("settlement"));
        assert_eq!(dec(&s["final"]["value"]), "625000");
    } else {
        // Shipments shipped before settlements existed have none (docs/operations.md).
        assert_eq!(settlement.status, 404, "{}", at("settlement"));
    }
    if version >= 8 {
        let hook = get(&format!("/api/v1/webhooks/{WEBHOOK}"));
        assert_eq!(hook["status"], "disabled", "{}", at("webhook"));
        // Made before owners were recorded: an admin's to manage.
        assert_eq!(hook["owner_id"], Value::Null);
        let deliveries = get(&format!("/api/v1/webhooks/{WEBHOOK}/deliveries"));
        assert_eq!(deliveries["items"][0]["attempts"], 2);
    }
    if version >= 9 {
        let air = get(&format!("/api/v1/shipments/{BY_AIR}"));
        assert_eq!(
            (&air["transport_mode"], &air["air_waybill"]),
            (&Value::from("air"), &Value::from("784-12345675")),
            "{}",
            at("air shipment")
        );
    }
    if version >= 10 {
        let ended = get(&format!("/api/v1/contracts/{LTC_ENDED}"));
        assert_eq!(
            (&ended["status"], &ended["ended_period"]),
            (&Value::from("terminated"), &Value::from("2026-09")),
            "{}",
            at("ended contract")
        );
    }
    if version >= 14 {
        // The integration user manages its own subscription and sees no other.
        let erp = app.login("seed-erp", ADMIN_PASSWORD).expect(200).body["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let own = app.get("/api/v1/webhooks", &erp).expect(200).body;
        assert_eq!(
            own["items"].as_array().map(Vec::len),
            Some(1),
            "{}",
            at("owned webhook")
        );
        assert_eq!(own["items"][0]["description"], "ERP orders");
        assert_eq!(
            app.get(&format!("/api/v1/webhooks/{WEBHOOK}"), &erp).status,
            404
        );
    }
    if version >= 12 {
        let fixing = get("/api/v1/fx-rates/USD/CNY/2026-10-02");
        assert_eq!(dec(&fixing["rate"]), "7.135", "{}", at("fixing"));
        let cny = get(&format!("/api/v1/price-indices/{INDEX_CNY}"));
        assert_eq!(
            (&cny["unit"], dec(&cny["vat_pct"])),
            (&Value::from("t"), "13".into())
        );
    }
}

/// `positions check` on the upgraded database: the positions the migrations built (or the
/// seeds' versions kept) match the contracts, orders and plans.
fn assert_positions_match(app: &TestApp) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ndpr-contracts"))
        .args(["positions", "check"])
        .env("DATABASE_URL", &app.database_url)
        .env("NDPR_LOG", "warn")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "positions check: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
