//! Loads a realistic order book for the benchmark (`tests/load/bench.sh`), in process, in
//! batches of one transaction each. Master data, the plan, the contracts and the draft pool go
//! through the same operations the API calls:
//!
//! - 50 products, 20 customers, an approved plan over 36 months (12 past, 24 ahead);
//! - 200 long-term contracts (4 per product), active over the 36 months;
//! - 100,000 orders of history over the 36 months, 10,000 of them on the benchmark product:
//!   85 % confirmed, 10 % cancelled after confirmation, 5 % submitted — written as rows, as a
//!   migration would, and the positions rebuilt from them;
//! - a pool of draft orders on the benchmark product for the confirmation run.
//!
//! Usage: `DATABASE_URL=… seed_book OUT_DIR [DRAFTS]`. Writes `OUT_DIR/book.env` (ids and
//! periods for the load scripts) and `OUT_DIR/drafts.txt` (one draft order id per line).

use std::io::Write;

use anyhow::{anyhow, Context};
use ndpr_contracts::config::{Cli, Settings};
use ndpr_contracts::db::{Db, DbConnection};
use ndpr_contracts::domain::contract::ScheduleLine;
use ndpr_contracts::domain::lifecycle::{OrderStatus, OrderType};
use ndpr_contracts::domain::order::{Order, PricingSource};
use ndpr_contracts::domain::production::PlanLine;
use ndpr_contracts::domain::{Kg, Period, Role};
use ndpr_contracts::error::OpError;
use ndpr_contracts::ops::action::{ActionBody, ActionRequest};
use ndpr_contracts::ops::contracts::NewContract;
use ndpr_contracts::ops::master::customer::NewCustomer;
use ndpr_contracts::ops::master::product::NewProduct;
use ndpr_contracts::ops::orders::NewOrder;
use ndpr_contracts::ops::plans::NewPlan;
use ndpr_contracts::ops::{self, master, Actor, Expect};

const PRODUCTS: usize = 50;
const CUSTOMERS: usize = 20;
const CONTRACTS_PER_PRODUCT: usize = 4;
const MONTHS: i32 = 36;
const HISTORY: usize = 100_000;
const ON_BENCH_PRODUCT: usize = 10_000;
/// Rows per transaction of history.
const BATCH: usize = 500;
/// Drafts per transaction: each updates the order-number counter, and PostgreSQL cannot prune
/// a row's versions within one transaction, so long runs of updates to one row slow down.
const DRAFT_BATCH: usize = 50;

fn json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> anyhow::Result<T> {
    serde_json::from_value(v).map_err(|e| anyhow!("seed data: {e}"))
}

fn kg(n: u64) -> anyhow::Result<Kg> {
    json(serde_json::Value::String(n.to_string()))
}

fn write<T>(
    db: &Db,
    what: &str,
    f: impl FnOnce(&mut DbConnection) -> Result<T, OpError>,
) -> anyhow::Result<T> {
    db.write_blocking(f)
        .map_err(|e| anyhow!("{what}: {}", ndpr_contracts::bootstrap::describe(e)))
}

/// The order with index `i` of the history: its product, customer, month, size and fate.
struct Planned {
    product: usize,
    customer: usize,
    contract: Option<usize>,
    month: i32,
    kg: u64,
    fate: Fate,
}

#[derive(Clone, Copy, PartialEq)]
enum Fate {
    Confirmed,
    Cancelled,
    Submitted,
}

fn planned(i: usize) -> Planned {
    // Every tenth order is on product 0 (ON_BENCH_PRODUCT in all), interleaved with the others
    // as a real book would be; the rest spread over the other products.
    const EVERY: usize = HISTORY / ON_BENCH_PRODUCT;
    let product = if i.is_multiple_of(EVERY) {
        0
    } else {
        1 + (i - i / EVERY - 1) % (PRODUCTS - 1)
    };
    let slot = (i * 7) % CONTRACTS_PER_PRODUCT;
    let add_on = i % 10 < 3;
    let contract_index = product * CONTRACTS_PER_PRODUCT + slot;
    Planned {
        product,
        customer: if add_on {
            contract_index % CUSTOMERS
        } else {
            (i * 13) % CUSTOMERS
        },
        contract: add_on.then_some(contract_index),
        month: (i as i32 * 11) % MONTHS - 12,
        kg: 100 + ((i as u64 * 37) % 20) * 50,
        fate: match i % 20 {
            0 | 1 => Fate::Cancelled,
            2 => Fate::Submitted,
            _ => Fate::Confirmed,
        },
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().context("usage: seed_book OUT_DIR [DRAFTS]")?);
    let drafts: usize = match args.next() {
        Some(n) => n.parse().context("DRAFTS must be a number")?,
        None => 20_000,
    };
    std::fs::create_dir_all(&out)?;
    let url = std::env::var("DATABASE_URL").context("DATABASE_URL must name the database")?;
    let settings: Settings =
        <Cli as clap::Parser>::parse_from(["seed", "--database-url", &url, "migrate"]).settings;
    let db = Db::open(ndpr_contracts::startup::db_settings(&settings))?;
    let started = std::time::Instant::now();
    let admin = Actor {
        user_id: ndpr_contracts::domain::UserId::SYSTEM,
        username: "seed".into(),
        role: Role::Admin,
        request_id: None,
    };
    let a = &admin;
    let any = Expect::any();
    let now = Period::of_date(ndpr_contracts::clock::today());
    let month = |offset: i32| now.plus(offset);
    let fixed: ndpr_contracts::domain::pricing_terms::PricingTerms =
        json(serde_json::json!({"type": "fixed", "unit_price": "64.50"}))?;

    let customers = write(&db, "customers", |conn| {
        (0..CUSTOMERS)
            .map(|c| {
                let made: ndpr_contracts::domain::customer::Customer = master::create(
                    conn,
                    a,
                    NewCustomer {
                        code: format!("BENCH-C{c:02}"),
                        name: format!("Benchmark buyer {c}"),
                        country: ["JP", "DE", "KR", "US"][c % 4].into(),
                        external_ref: None,
                    },
                )?;
                Ok(made.id)
            })
            .collect::<Result<Vec<_>, OpError>>()
    })?;
    let form: ndpr_contracts::domain::reference::ProductForm = json(serde_json::json!("oxide"))?;
    let products = write(&db, "products", |conn| {
        (0..PRODUCTS)
            .map(|p| {
                let made: ndpr_contracts::domain::product::Product = master::create(
                    conn,
                    a,
                    NewProduct {
                        code: format!("BENCH-P{p:02}"),
                        name: format!("Benchmark product {p}"),
                        form,
                        min_purity_pct: None,
                        hs_code: None,
                        export_controlled: false,
                        external_ref: None,
                    },
                )?;
                Ok(made.id)
            })
            .collect::<Result<Vec<_>, OpError>>()
    })?;

    // Ample supply: the gate passes for the history and the whole draft pool.
    let mut lines = Vec::new();
    for (p, product) in products.iter().enumerate() {
        for off in -12..MONTHS - 12 {
            lines.push(PlanLine {
                product_id: *product,
                period: month(off),
                planned_kg: kg(if p == 0 { 50_000_000 } else { 2_000_000 })?,
            });
        }
    }
    write(&db, "plan", |conn| {
        let plan = ops::plans::create(
            conn,
            a,
            NewPlan {
                note: "Benchmark plan".into(),
                lines,
            },
        )?;
        ops::plans::approve(conn, a, plan.id, &any, &ActionBody::default())?;
        Ok(())
    })?;

    let schedule = (-12..MONTHS - 12)
        .map(|off| {
            Ok(ScheduleLine {
                period: month(off),
                quantity_kg: kg(2_000)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let contracts = write(&db, "contracts", |conn| {
        let mut ids = Vec::new();
        for (p, product) in products.iter().enumerate() {
            for slot in 0..CONTRACTS_PER_PRODUCT {
                let index = p * CONTRACTS_PER_PRODUCT + slot;
                let c = ops::contracts::create(
                    conn,
                    a,
                    NewContract {
                        number: None,
                        customer_id: customers[index % CUSTOMERS],
                        product_id: *product,
                        start_period: month(-12),
                        end_period: month(MONTHS - 13),
                        schedule: schedule.clone(),
                        tolerance_pct: json(serde_json::json!("5"))?,
                        incoterm: "CIF".into(),
                        incoterm_place: "Yokohama".into(),
                        currency: "USD".into(),
                        payment_terms: "LC at sight".into(),
                        pricing: fixed.clone(),
                        addon_premium: Some(json(serde_json::json!("2.00"))?),
                        priority: 100,
                        external_ref: None,
                        quality_terms: Vec::new(),
                        provisional_payment_pct: None,
                    },
                )?;
                ops::contracts::activate(conn, a, c.id, &any, &ActionRequest::default())?;
                ids.push(c.id);
            }
        }
        Ok(ids)
    })?;
    println!(
        "seed: master data, plan and {} contracts in {:.1}s",
        contracts.len(),
        started.elapsed().as_secs_f64()
    );

    // The history is written as rows, the way a migration from a previous system would load
    // it (no audit entries or events of its own), and the positions are then rebuilt from the
    // source rows: minutes of operations on PostgreSQL become seconds. The draft pool below and
    // every benchmarked request go through the operations.
    let add_on_terms = ndpr_contracts::domain::order::inherited_pricing(
        &fixed,
        Some(json(serde_json::json!("2.00"))?),
    )
    .context("add-on pricing")?;
    let order_row = |number: String, p: &Planned| -> anyhow::Result<Order> {
        let at = ndpr_contracts::db::now_utc();
        let spot = p.contract.is_none();
        Ok(Order {
            id: ndpr_contracts::domain::OrderId::fresh(),
            number,
            order_type: if spot {
                OrderType::Spot
            } else {
                OrderType::AddOn
            },
            customer_id: customers[p.customer],
            product_id: products[p.product],
            contract_id: p.contract.map(|c| contracts[c]),
            period: month(p.month),
            quantity_kg: kg(p.kg)?,
            pricing: if spot {
                fixed.clone()
            } else {
                add_on_terms.clone()
            },
            pricing_source: if spot {
                PricingSource::Order
            } else {
                PricingSource::Contract
            },
            currency: "USD".into(),
            incoterm: if spot { "FOB" } else { "CIF" }.into(),
            incoterm_place: if spot { "Shanghai" } else { "Yokohama" }.into(),
            status: match p.fate {
                Fate::Confirmed => OrderStatus::Confirmed,
                Fate::Cancelled => OrderStatus::Cancelled,
                Fate::Submitted => OrderStatus::Submitted,
            },
            confirmed_at: (p.fate != Fate::Submitted).then_some(at),
            external_ref: None,
            created_at: at,
            updated_at: at,
            version: if p.fate == Fate::Cancelled { 3 } else { 2 },
            quality_terms: Vec::new(),
        })
    };
    let mut sample_order = None;
    for start in (0..HISTORY).step_by(BATCH) {
        let batch = (start..(start + BATCH).min(HISTORY))
            .map(|i| order_row(format!("HIST-{i:06}"), &planned(i)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        sample_order = sample_order.or(batch.first().map(|o| o.id));
        write(&db, "orders", |conn| {
            batch
                .iter()
                .try_for_each(|o| ndpr_contracts::db::orders::insert(conn, o))
        })?;
    }
    let positions = write(&db, "positions", ndpr_contracts::db::positions::rebuild)?;
    println!(
        "seed: {HISTORY} orders of history and {positions} positions in {:.1}s",
        started.elapsed().as_secs_f64()
    );

    // The pool the confirmation run takes its orders from: drafts on the benchmark product,
    // created through the operations as the desk would.
    let mut pool = std::io::BufWriter::new(std::fs::File::create(out.join("drafts.txt"))?);
    for start in (0..drafts).step_by(DRAFT_BATCH) {
        let ids = write(&db, "draft pool", |conn| {
            (start..(start + DRAFT_BATCH).min(drafts))
                .map(|i| {
                    let new = NewOrder {
                        number: None,
                        order_type: OrderType::Spot,
                        customer_id: customers[i % CUSTOMERS],
                        product_id: products[0],
                        contract_id: None,
                        period: month((i as i32 * 5) % (MONTHS - 12)),
                        quantity_kg: kg(100)
                            .map_err(|e| OpError::field("quantity_kg", e.to_string()))?,
                        pricing: Some(fixed.clone()),
                        currency: Some("USD".into()),
                        incoterm: Some("FOB".into()),
                        incoterm_place: Some("Shanghai".into()),
                        external_ref: None,
                        quality_terms: Vec::new(),
                    };
                    Ok(ops::orders::create(conn, a, new)?.id)
                })
                .collect::<Result<Vec<_>, OpError>>()
        })?;
        for id in ids {
            writeln!(pool, "{id}")?;
        }
    }
    pool.flush()?;

    // A running database has planner statistics; a freshly loaded one gets them now.
    write(&db, "statistics", |conn| {
        use diesel::connection::SimpleConnection;
        match conn {
            DbConnection::Postgresql(pg) => pg.batch_execute("ANALYZE")?,
            DbConnection::Sqlite(lite) => lite.batch_execute("ANALYZE")?,
        }
        Ok(())
    })?;

    let mut env = std::fs::File::create(out.join("book.env"))?;
    writeln!(env, "BENCH_PRODUCT={}", products[0])?;
    writeln!(env, "BENCH_CUSTOMER={}", customers[0])?;
    writeln!(
        env,
        "BENCH_ORDER={}",
        sample_order.context("no order was created")?
    )?;
    writeln!(env, "BENCH_FROM={}", month(-12))?;
    writeln!(env, "BENCH_TO={}", month(MONTHS - 13))?;
    writeln!(env, "BENCH_NOW={now}")?;
    println!(
        "seed: {HISTORY} orders of history ({ON_BENCH_PRODUCT} on BENCH-P00) and {drafts} drafts \
         to confirm, in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
