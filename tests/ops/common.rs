//! A fresh database per test, actors of every role, and business data made through the
//! operations themselves.

use std::io::Write;
use std::sync::OnceLock;

use diesel::{Connection, RunQueryDsl};
use ndpr_contracts::db::{Db, DbConnection};
use ndpr_contracts::domain::customer::Customer;
use ndpr_contracts::domain::product::Product;
use ndpr_contracts::domain::{CustomerId, PlanId, ProductId, Role, UserId};
use ndpr_contracts::error::OpError;
use ndpr_contracts::ops::{self, master, Actor, Expect};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

#[allow(dead_code)] // kept for their Drop
enum Cleanup {
    Dir(std::path::PathBuf),
    Pg { admin_url: String, name: String },
}

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

fn postgres_url() -> Option<String> {
    let url = std::env::var("NDPR_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    static TOLD: OnceLock<()> = OnceLock::new();
    if url.is_none() {
        TOLD.get_or_init(|| {
            let _ = writeln!(
                std::io::stderr(),
                "\nNOTE: NDPR_TEST_DATABASE_URL is not set: the PostgreSQL variants of the \
                 operation tests are skipped.\n"
            );
        });
    }
    url
}

impl TestDb {
    pub fn start(backend: Backend) -> Option<TestDb> {
        // The tests' months are open, over, final or late as seen from this date.
        ndpr_contracts::clock::fix(chrono::NaiveDate::from_ymd_opt(2026, 11, 27)?);
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("ndpr-ops-{}", uuid::Uuid::new_v4()));
                (
                    format!("sqlite://{}/ops.db", dir.display()),
                    Cleanup::Dir(dir),
                )
            }
            Backend::Postgres => {
                let admin_url = postgres_url()?;
                let name = format!("ndpr_ops_{}", uuid::Uuid::new_v4().simple());
                let mut conn = diesel::PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("cannot reach NDPR_TEST_DATABASE_URL: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .unwrap_or_else(|e| panic!("cannot create a test database: {e}"));
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(b, _)| b);
                (format!("{base}/{name}"), Cleanup::Pg { admin_url, name })
            }
        };
        let db = Db::connect(&url, 2).unwrap_or_else(|e| panic!("{e:#}"));
        Some(TestDb { db, cleanup })
    }

    /// Runs a command in a write transaction.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, OpError>,
    ) -> Result<T, OpError> {
        self.db.write_blocking(f)
    }

    /// Runs a query on a reader.
    pub fn read<T>(
        &self,
        f: impl Fn(&mut DbConnection) -> Result<T, OpError>,
    ) -> Result<T, OpError> {
        self.db.read_blocking(f)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Cleanup::Pg { admin_url, name } => {
                if let Ok(mut conn) = diesel::PgConnection::establish(admin_url) {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut conn);
                }
            }
        }
    }
}

/// Runs each test body once on SQLite and once on PostgreSQL (when configured).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    let t = $crate::common::TestDb::start($crate::common::Backend::Sqlite)
                        .unwrap_or_else(|| unreachable!());
                    super::$name(&t);
                }
                #[test]
                fn postgres() {
                    if let Some(t) = $crate::common::TestDb::start($crate::common::Backend::Postgres) {
                        super::$name(&t);
                    }
                }
            }
        )*
    };
}

pub fn actor(role: Role) -> Actor {
    Actor {
        user_id: UserId::fresh(),
        username: format!("{}-tester", role.as_str()),
        role,
        request_id: Some("test-request".into()),
    }
}

pub fn admin() -> Actor {
    actor(Role::Admin)
}

/// A command or value from JSON, as a client would send it.
pub fn cmd<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap_or_else(|e| panic!("test command: {e}"))
}

pub fn any() -> Expect {
    Expect::any()
}

/// The fields a validation error names.
pub fn fields(e: &OpError) -> Vec<String> {
    match e {
        OpError::Validation(errors) => errors.iter().map(|e| e.field.clone()).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

pub fn customer(t: &TestDb, code: &str) -> CustomerId {
    let c: Customer = t
        .write(|c| {
            master::create(
                c,
                &admin(),
                cmd(json!({"code": code, "name": format!("Customer {code}"), "country": "JP"})),
            )
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
    c.id
}

pub fn product(t: &TestDb, code: &str) -> ProductId {
    let p: Product = t
        .write(|c| {
            master::create(
                c,
                &admin(),
                cmd(json!({"code": code, "name": format!("Product {code}"), "form": "oxide"})),
            )
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
    p.id
}

/// Creates and approves a plan with (product, period, kg) lines.
pub fn approved_plan(t: &TestDb, lines: &[(ProductId, &str, &str)]) -> PlanId {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(p, period, kg)| json!({"product_id": p, "period": period, "planned_kg": kg}))
        .collect();
    t.write(|c| {
        let plan = ops::plans::create(c, &admin(), cmd(json!({"note": "test", "lines": lines})))?;
        ops::plans::approve(c, &admin(), plan.id, &any(), &Default::default())?;
        Ok(plan.id)
    })
    .unwrap_or_else(|e| panic!("{e:?}"))
}

pub fn contract_json(customer: CustomerId, product: ProductId, months: &[(&str, &str)]) -> Value {
    let schedule: Vec<Value> = months
        .iter()
        .map(|(p, kg)| json!({"period": p, "quantity_kg": kg}))
        .collect();
    json!({
        "customer_id": customer, "product_id": product,
        "start_period": months.first().map_or("2027-01", |m| m.0),
        "end_period": months.last().map_or("2027-12", |m| m.0),
        "schedule": schedule, "tolerance_pct": "5",
        "incoterm": "FOB", "incoterm_place": "Tianjin", "currency": "USD",
        "payment_terms": "30 days net",
        "pricing": {"type": "fixed", "unit_price": "62.50"},
        "addon_premium": "2.00"
    })
}

pub fn spot_json(customer: CustomerId, product: ProductId, period: &str, kg: &str) -> Value {
    json!({
        "order_type": "spot", "customer_id": customer, "product_id": product,
        "period": period, "quantity_kg": kg,
        "pricing": {"type": "fixed", "unit_price": "70"}, "currency": "USD",
        "incoterm": "CIF", "incoterm_place": "Busan"
    })
}

/// Unwraps an operation's result, showing the error.
#[track_caller]
pub fn ok<T>(r: Result<T, OpError>) -> T {
    r.unwrap_or_else(|e| panic!("operation failed: {e:?}"))
}

/// The error of an operation expected to fail.
#[track_caller]
pub fn err<T: std::fmt::Debug>(r: Result<T, OpError>) -> OpError {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    }
}
