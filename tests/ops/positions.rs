//! Products' monthly positions stay equal to what contracts, orders and plans say, whatever
//! happens to them; `positions rebuild` and the migration that creates them agree.

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use ndpr_contracts::db::{positions, DbConnection};
use ndpr_contracts::domain::production::MonthlyKind;
use ndpr_contracts::domain::{Period, Role};
use ndpr_contracts::ops::action::ActionRequest;
use ndpr_contracts::ops::{contracts, monthly, orders, plans};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::common::*;
use crate::on_both_backends;

on_both_backends!(
    positions_follow_every_change,
    rebuild_repairs_drift,
    the_migration_builds_positions_from_existing_data
);

fn month(i: usize) -> String {
    let p = Period::parse("2027-01").unwrap_or_else(|| unreachable!());
    p.plus(i32::try_from(i % 6).unwrap_or(0)).to_string()
}

fn drift(t: &TestDb) -> Vec<positions::Drift> {
    ok(t.read(positions::check))
}

/// `steps` random operations by random roles, failures and refusals included; how many
/// succeeded.
fn churn(t: &TestDb, seed: u64, steps: usize) -> usize {
    let mut rng = StdRng::seed_from_u64(seed);
    let customers = [
        customer(t, &format!("C-{seed}-1")),
        customer(t, &format!("C-{seed}-2")),
    ];
    let products = [
        product(t, &format!("P-{seed}-1")),
        product(t, &format!("P-{seed}-2")),
    ];
    let mut succeeded = 0;
    let (mut contract_ids, mut order_ids) = (Vec::new(), Vec::new());
    let override_ = |r: &str| -> ActionRequest { cmd(json!({"override": true, "reason": r})) };
    let reason = |r: &str| -> ActionRequest { cmd(json!({"reason": r})) };
    for step in 0..steps {
        let c = customers[rng.random_range(0..2)];
        let p = products[rng.random_range(0..2)];
        let kg = format!("{}", rng.random_range(1..400));
        let m = month(rng.random_range(0..6));
        let who = if rng.random_bool(0.7) {
            admin()
        } else {
            actor(Role::Sales)
        };
        let outcome = t.write(|conn: &mut DbConnection| {
            match rng.random_range(0..16) {
                0 | 1 => {
                    let lines: Vec<_> = (0..rng.random_range(1..4))
                        .map(|i| json!({"product_id": p, "period": month(step + i), "planned_kg": kg}))
                        .collect();
                    let mut dedup = lines.clone();
                    dedup.dedup();
                    let plan = plans::create(conn, &admin(), cmd(json!({"note": "churn", "lines": dedup})))?;
                    if rng.random_bool(0.8) {
                        plans::approve(conn, &admin(), plan.id, &any(), &Default::default())?;
                    }
                }
                2 => {
                    let months: Vec<(String, String)> = (0..rng.random_range(1..4))
                        .map(|i| (month(step + i), format!("{}", rng.random_range(1..300))))
                        .collect::<std::collections::BTreeMap<_, _>>()
                        .into_iter()
                        .collect();
                    let pairs: Vec<(&str, &str)> = months.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                    let k = contracts::create(conn, &who, cmd(contract_json(c, p, &pairs)))?;
                    contract_ids.push(k.id);
                }
                3 => {
                    if let Some(id) = pick(&mut rng, &contract_ids) {
                        contracts::activate(conn, &admin(), id, &any(), &override_("churn"))?;
                    }
                }
                4 => {
                    if let Some(id) = pick(&mut rng, &contract_ids) {
                        match rng.random_range(0..4) {
                            0 => contracts::suspend(conn, &who, id, &any(), &Default::default())?,
                            1 => contracts::resume(conn, &who, id, &any(), &Default::default())?,
                            2 => contracts::complete(conn, &who, id, &any(), &Default::default())?,
                            _ => contracts::terminate(conn, &who, id, &any(), &reason("churn"))?,
                        };
                    }
                }
                5 => {
                    if let Some(id) = pick(&mut rng, &contract_ids) {
                        let k = contracts::get(conn, id)?;
                        let schedule: Vec<_> = k
                            .schedule
                            .iter()
                            .map(|l| json!({"period": l.period, "quantity_kg": format!("{}", rng.random_range(1..500))}))
                            .collect();
                        contracts::replace_schedule(
                            conn,
                            &admin(),
                            id,
                            &any(),
                            cmd(json!({"schedule": schedule, "reason": "amend", "override": true})),
                        )?;
                    }
                }
                6..=8 => {
                    let o = orders::create(conn, &who, cmd(spot_json(c, p, &m, &kg)))?;
                    order_ids.push(o.id);
                }
                9 => {
                    if let Some(k) = pick(&mut rng, &contract_ids) {
                        let k = contracts::get(conn, k)?;
                        let period = k.schedule.first().map(|l| l.period.to_string()).unwrap_or(m.clone());
                        let o = orders::create(
                            conn,
                            &who,
                            cmd(json!({"order_type": "add_on", "contract_id": k.id, "customer_id": k.customer_id,
                                       "product_id": k.product_id, "period": period, "quantity_kg": kg})),
                        )?;
                        order_ids.push(o.id);
                    }
                }
                10 => {
                    if let Some(id) = pick(&mut rng, &order_ids) {
                        orders::update(conn, &who, id, &any(), cmd(json!({"quantity_kg": kg, "period": m})))?;
                    }
                }
                11 => {
                    if let Some(id) = pick(&mut rng, &order_ids) {
                        orders::submit(conn, &who, id, &any(), &Default::default())?;
                    }
                }
                12 => {
                    if let Some(id) = pick(&mut rng, &order_ids) {
                        orders::confirm(conn, &admin(), id, &any(), &override_("churn"))?;
                    }
                }
                13 => {
                    if let Some(id) = pick(&mut rng, &order_ids) {
                        if rng.random_bool(0.5) {
                            orders::reject(conn, &who, id, &any(), &reason("churn"))?;
                        } else {
                            orders::cancel(conn, &who, id, &any(), &reason("churn"))?;
                        }
                    }
                }
                14 => {
                    let period = Period::parse(&m).unwrap_or_else(|| unreachable!());
                    monthly::record(conn, &admin(), MonthlyKind::Actual, p, period, cmd(json!(kg)), &any())?;
                }
                _ => {
                    let period = Period::parse(&m).unwrap_or_else(|| unreachable!());
                    monthly::record(conn, &admin(), MonthlyKind::Snapshot, p, period, cmd(json!(kg)), &any())?;
                }
            }
            Ok(())
        });
        succeeded += usize::from(outcome.is_ok());
    }
    succeeded
}

fn positions_follow_every_change(t: &TestDb) {
    for seed in [1, 2] {
        let done = churn(t, seed, 150);
        assert!(done > 75, "only {done} of 150 operations succeeded");
        let drift = drift(t);
        assert!(drift.is_empty(), "seed {seed}: {drift:#?}");
    }
    // The positions are not empty: the churn moved them.
    let stored = ok(t.read(positions::stored));
    assert!(stored.len() > 4, "{stored:?}");
}

fn rebuild_repairs_drift(t: &TestDb) {
    churn(t, 7, 80);
    ok(t.write(|conn| {
        use diesel::prelude::*;
        diesel::sql_query("UPDATE positions SET spot_g = spot_g + 1000").execute(conn)?;
        Ok(())
    }));
    assert!(!drift(t).is_empty());
    let written = ok(t.write(|conn| ndpr_contracts::ops::positions::rebuild(conn, &admin())));
    assert!(written > 0);
    assert!(drift(t).is_empty());
    let viewer =
        err(t.read(|conn| ndpr_contracts::ops::positions::check(conn, &actor(Role::Viewer))));
    assert!(matches!(
        viewer,
        ndpr_contracts::error::OpError::Forbidden(_)
    ));
}

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

fn the_migration_builds_positions_from_existing_data(t: &TestDb) {
    churn(t, 11, 120);
    // Undo the positions migration and apply it again on the data as it is.
    ok(t.write(|conn| {
        let result = match conn {
            DbConnection::Postgresql(c) => c
                .revert_last_migration(POSTGRES)
                .and_then(|_| c.run_pending_migrations(POSTGRES).map(|_| ())),
            DbConnection::Sqlite(c) => c
                .revert_last_migration(SQLITE)
                .and_then(|_| c.run_pending_migrations(SQLITE).map(|_| ())),
        };
        result.map_err(ndpr_contracts::error::OpError::unexpected)
    }));
    let drift = drift(t);
    assert!(drift.is_empty(), "{drift:#?}");
    assert!(!ok(t.read(positions::stored)).is_empty());
}

/// One of `ids` at random, if there is any.
fn pick<T: Copy>(rng: &mut StdRng, ids: &[T]) -> Option<T> {
    (!ids.is_empty()).then(|| ids[rng.random_range(0..ids.len())])
}
