//! The SQLite ceiling for `tests/load/bench.sh`, the counterpart of pgbench: raw statements on
//! the benchmark's own database file, with the service's pragmas, no HTTP and no service code.
//!
//! `sqlite_ceiling FILE select ORDER_ID THREADS SECS` — `SELECT` one order by id, on THREADS
//! connections.
//! `sqlite_ceiling FILE confirm PRODUCT_ID THREADS SECS` — the raw transaction of the same shape
//! as a confirmation: `BEGIN IMMEDIATE`, read the product, read the order, update the order,
//! update the month's position, insert an audit row and an outbox row, commit.
//!
//! Prints `RESULT <requests> <req/s> <p50 ms> <p99 ms> 0 <errors>`, as `bench.lua` does.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::SqliteConnection;

#[derive(QueryableByName)]
#[allow(dead_code)]
struct OrderRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    period: String,
    #[diesel(sql_type = BigInt)]
    quantity_g: i64,
    #[diesel(sql_type = Text)]
    pricing_json: String,
}

fn open(file: &str) -> anyhow::Result<SqliteConnection> {
    let mut conn = SqliteConnection::establish(file)?;
    conn.batch_execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
         PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 10000;",
    )?;
    Ok(conn)
}

fn select(conn: &mut SqliteConnection, id: &str) -> QueryResult<()> {
    let rows: Vec<OrderRow> = diesel::sql_query(
        "SELECT id, number, status, period, quantity_g, pricing_json FROM orders WHERE id = ?",
    )
    .bind::<Text, _>(id)
    .load(conn)?;
    if rows.len() != 1 {
        return Err(diesel::result::Error::NotFound);
    }
    Ok(())
}

fn confirm(conn: &mut SqliteConnection, product: &str, order: &OrderRow) -> QueryResult<()> {
    conn.batch_execute("BEGIN IMMEDIATE")?;
    let body = |conn: &mut SqliteConnection| -> QueryResult<()> {
        diesel::sql_query("SELECT id FROM products WHERE id = ?")
            .bind::<Text, _>(product)
            .execute(conn)?;
        select(conn, &order.id)?;
        diesel::sql_query(
            "UPDATE orders SET updated_at = CURRENT_TIMESTAMP, version = version + 1 WHERE id = ?",
        )
        .bind::<Text, _>(&order.id)
        .execute(conn)?;
        diesel::sql_query(
            "UPDATE positions SET spot_g = spot_g + 0 WHERE product_id = ? AND period = ?",
        )
        .bind::<Text, _>(product)
        .bind::<Text, _>(&order.period)
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO audit_entries (actor, action, entity_type, entity_id, before_json, \
             after_json, at) VALUES ('bench', 'confirm', 'order', ?, ?, ?, CURRENT_TIMESTAMP)",
        )
        .bind::<Text, _>(&order.id)
        .bind::<Text, _>(&order.pricing_json)
        .bind::<Text, _>(&order.pricing_json)
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO events (id, event_type, entity_type, entity_id, occurred_at, data_json) \
             VALUES (lower(hex(randomblob(16))), 'order.confirmed', 'order', ?, \
             CURRENT_TIMESTAMP, ?)",
        )
        .bind::<Text, _>(&order.id)
        .bind::<Text, _>(&order.pricing_json)
        .execute(conn)?;
        Ok(())
    };
    match body(conn) {
        Ok(()) => conn.batch_execute("COMMIT"),
        Err(e) => {
            conn.batch_execute("ROLLBACK")?;
            Err(e)
        }
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, mode, target, threads, secs] = args.as_slice() else {
        bail!("usage: sqlite_ceiling FILE select|confirm ID THREADS SECS");
    };
    let threads: usize = threads.parse().context("THREADS")?;
    let secs: u64 = secs.parse().context("SECS")?;
    let orders: Vec<OrderRow> = if mode == "confirm" {
        diesel::sql_query(
            "SELECT id, number, status, period, quantity_g, pricing_json FROM orders \
             WHERE product_id = ? AND status = 'confirmed'",
        )
        .bind::<Text, _>(target.as_str())
        .load(&mut open(file)?)?
    } else {
        Vec::new()
    };
    let until = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let mut shares: Vec<Vec<OrderRow>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, o) in orders.into_iter().enumerate() {
        shares[i % threads].push(o);
    }
    let workers: Vec<_> = shares
        .into_iter()
        .map(|share| {
            let (file, mode, target) = (file.clone(), mode.clone(), target.clone());
            std::thread::spawn(move || -> anyhow::Result<(Vec<Duration>, u64)> {
                let mut conn = open(&file)?;
                let mut times = Vec::new();
                let mut errors = 0;
                let mut next = share.iter().cycle();
                while Instant::now() < until {
                    let start = Instant::now();
                    let outcome = match (mode.as_str(), next.next()) {
                        ("confirm", Some(order)) => confirm(&mut conn, &target, order),
                        ("confirm", None) => bail!("no confirmed orders on product {target}"),
                        _ => select(&mut conn, &target),
                    };
                    match outcome {
                        Ok(()) => times.push(start.elapsed()),
                        Err(_) => errors += 1,
                    }
                }
                Ok((times, errors))
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (t, e) = w
            .join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
        times.extend(t);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort();
    let pct = |p: usize| {
        times
            .get((times.len() * p / 100).min(times.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "RESULT {} {:.1} {:.2} {:.2} 0 {errors}",
        times.len(),
        times.len() as f64 / elapsed,
        pct(50),
        pct(99)
    );
    Ok(())
}
