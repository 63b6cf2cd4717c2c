//! Contracts and orders: their use cases, the ATP gate and who may override it.

use diesel::RunQueryDsl;
use ndpr_contracts::db::DbConnection;
use ndpr_contracts::domain::lifecycle::{ContractStatus, OrderStatus};
use ndpr_contracts::domain::order::PricingSource;
use ndpr_contracts::domain::Role;
use ndpr_contracts::error::OpError;
use ndpr_contracts::ops::action::ActionRequest;
use ndpr_contracts::ops::{contracts, orders, Expect};
use serde_json::json;

use crate::common::*;
use crate::on_both_backends;

on_both_backends!(
    contract_use_cases,
    contract_gate_and_planner_override,
    order_use_cases,
    order_gate_and_planner_override,
    confirmations_reuse_prepared_updates
);

fn reason(r: &str) -> ActionRequest {
    cmd(json!({"reason": r}))
}

fn overriding(r: &str) -> ActionRequest {
    cmd(json!({"reason": r, "override": true}))
}

fn contract_use_cases(t: &TestDb) {
    let (c, p) = (customer(t, "C"), product(t, "P"));
    approved_plan(t, &[(p, "2027-01", "1000"), (p, "2027-02", "1000")]);
    let sales = actor(Role::Sales);
    let draft = ok(t.write(|conn| {
        contracts::create(
            conn,
            &sales,
            cmd(contract_json(
                c,
                p,
                &[("2027-01", "400"), ("2027-02", "400")],
            )),
        )
    }));
    assert!(draft.number.starts_with("LTC-"));
    assert_eq!(draft.total_kg.display().to_string(), "800.000");
    let edited = ok(t.write(|conn| {
        contracts::update(
            conn,
            &sales,
            draft.id,
            &Expect::version(1),
            cmd(json!({"tolerance_pct": "10"})),
        )
    }));
    assert_eq!(
        (edited.version, edited.tolerance_pct.display().to_string()),
        (2, "10.0".into())
    );
    let active =
        ok(t.write(|conn| {
            contracts::activate(conn, &sales, draft.id, &any(), &Default::default())
        }));
    assert_eq!(active.status, ContractStatus::Active);
    let locked = err(t.write(|conn| {
        contracts::update(conn, &sales, draft.id, &any(), cmd(json!({"priority": 5})))
    }));
    assert!(matches!(locked, OpError::Conflict { .. }));
    // Amending an active contract needs a reason, is kept, and shrinking needs no ATP.
    let no_reason = err(t.write(|conn| {
        contracts::replace_schedule(
            conn,
            &sales,
            draft.id,
            &any(),
            cmd(json!({"schedule": [{"period": "2027-01", "quantity_kg": "300"}]})),
        )
    }));
    assert_eq!(fields(&no_reason), ["reason"]);
    let amended = ok(t.write(|conn| {
        contracts::replace_schedule(
            conn,
            &sales,
            draft.id,
            &any(),
            cmd(json!({"schedule": [{"period": "2027-01", "quantity_kg": "300"}], "reason": "less"})),
        )
    }));
    assert_eq!(amended.schedule.len(), 1);
    let list = ok(t.read(|conn| contracts::amendments(conn, draft.id)));
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].old_schedule.len(), 2);
    let pricing = ok(t.read(|conn| contracts::pricing(conn, draft.id)));
    assert_eq!(pricing.rows[0].value.as_deref(), Some("18750.00"));
    let fulfilment = ok(t.read(|conn| contracts::fulfilment(conn, draft.id)));
    assert_eq!(
        fulfilment.rows[0].remaining_kg.display().to_string(),
        "300.000"
    );
    let suspended =
        ok(t.write(|conn| contracts::suspend(conn, &sales, draft.id, &any(), &Default::default())));
    assert_eq!(suspended.status, ContractStatus::Suspended);
    ok(t.write(|conn| contracts::resume(conn, &sales, draft.id, &any(), &Default::default())));
    let needs_reason =
        err(t.write(|conn| {
            contracts::terminate(conn, &sales, draft.id, &any(), &Default::default())
        }));
    assert_eq!(fields(&needs_reason), ["reason"]);
    let done =
        ok(t.write(|conn| {
            contracts::terminate(conn, &sales, draft.id, &any(), &reason("insolvent"))
        }));
    assert_eq!(done.status, ContractStatus::Terminated);
    let wrong_move =
        err(t.write(|conn| {
            contracts::complete(conn, &sales, draft.id, &any(), &Default::default())
        }));
    assert!(matches!(wrong_move, OpError::Conflict { .. }));
    let page = ok(t.read(|conn| contracts::list(conn, &cmd(json!({"status": "terminated"})))));
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        ok(t.read(|conn| contracts::get(conn, draft.id))).version,
        done.version
    );
}

fn contract_gate_and_planner_override(t: &TestDb) {
    let (c, p) = (customer(t, "C"), product(t, "P"));
    approved_plan(t, &[(p, "2027-01", "1000")]);
    let sales = actor(Role::Sales);
    let planner = actor(Role::Planner);
    let small = ok(t.write(|conn| {
        contracts::create(
            conn,
            &sales,
            cmd(contract_json(c, p, &[("2027-01", "600")])),
        )
    }));
    let big = ok(t.write(|conn| {
        contracts::create(
            conn,
            &sales,
            cmd(contract_json(c, p, &[("2027-01", "600")])),
        )
    }));
    // A planner may not activate what fits: only an override of a refusal.
    let fits = err(t.write(|conn| {
        contracts::activate(conn, &planner, small.id, &any(), &overriding("why not"))
    }));
    assert!(matches!(fits, OpError::Forbidden(_)), "{fits:?}");
    ok(t.write(|conn| contracts::activate(conn, &sales, small.id, &any(), &Default::default())));
    let refused =
        err(t.write(|conn| contracts::activate(conn, &sales, big.id, &any(), &Default::default())));
    match refused {
        OpError::InsufficientAtp(r) => {
            assert_eq!(r.period.to_string(), "2027-01");
            assert_eq!(r.requested.display().to_string(), "600.000");
            assert_eq!(r.available.display().to_string(), "400.000");
        }
        other => panic!("{other:?}"),
    }
    let sales_override =
        err(t.write(|conn| contracts::activate(conn, &sales, big.id, &any(), &overriding("vip"))));
    assert!(matches!(sales_override, OpError::Forbidden(_)));
    let active = ok(t.write(|conn| {
        contracts::activate(conn, &planner, big.id, &any(), &overriding("strategic"))
    }));
    assert_eq!(active.status, ContractStatus::Active);
    // A planner may not shrink a schedule, nor suspend: those are sales writes.
    let shrink = err(t.write(|conn| {
        contracts::replace_schedule(
            conn,
            &planner,
            big.id,
            &any(),
            cmd(json!({"schedule": [{"period": "2027-01", "quantity_kg": "100"}], "reason": "less", "override": true})),
        )
    }));
    assert!(matches!(shrink, OpError::Forbidden(_)), "{shrink:?}");
    let suspend = err(
        t.write(|conn| contracts::suspend(conn, &planner, big.id, &any(), &Default::default()))
    );
    assert!(matches!(suspend, OpError::Forbidden(_)));
}

fn order_use_cases(t: &TestDb) {
    let (c, p) = (customer(t, "C"), product(t, "P"));
    approved_plan(t, &[(p, "2027-01", "1000"), (p, "2027-02", "1000")]);
    let sales = actor(Role::Sales);
    let contract = ok(t.write(|conn| {
        let k = contracts::create(
            conn,
            &sales,
            cmd(contract_json(
                c,
                p,
                &[("2027-01", "100"), ("2027-02", "100")],
            )),
        )?;
        contracts::activate(conn, &sales, k.id, &any(), &Default::default())
    }));
    let add_on = ok(t.write(|conn| {
        orders::create(
            conn,
            &sales,
            cmd(json!({"order_type": "add_on", "contract_id": contract.id, "customer_id": c, "product_id": p, "period": "2027-02", "quantity_kg": "50"})),
        )
    }));
    assert_eq!(add_on.pricing_source, PricingSource::Contract);
    assert_eq!(
        serde_json::to_value(&add_on.pricing).unwrap_or_default(),
        json!({"type": "fixed", "unit_price": "64.50"})
    );
    assert_eq!(
        (add_on.currency.as_str(), add_on.incoterm.as_str()),
        ("USD", "FOB")
    );
    let outside = err(t.write(|conn| {
        orders::create(
            conn,
            &sales,
            cmd(json!({"order_type": "add_on", "contract_id": contract.id, "customer_id": c, "product_id": p, "period": "2027-03", "quantity_kg": "50"})),
        )
    }));
    assert_eq!(fields(&outside), ["period"]);
    let spot =
        ok(t.write(|conn| orders::create(conn, &sales, cmd(spot_json(c, p, "2027-01", "100")))));
    let edited = ok(t.write(|conn| {
        orders::update(
            conn,
            &sales,
            spot.id,
            &Expect::version(1),
            cmd(json!({"quantity_kg": "120"})),
        )
    }));
    assert_eq!(edited.quantity_kg.display().to_string(), "120.000");
    let submitted =
        ok(t.write(|conn| orders::submit(conn, &sales, spot.id, &any(), &Default::default())));
    assert_eq!(submitted.status, OrderStatus::Submitted);
    let confirmed =
        ok(t.write(|conn| orders::confirm(conn, &sales, spot.id, &any(), &Default::default())));
    assert_eq!(confirmed.status, OrderStatus::Confirmed);
    assert!(confirmed.confirmed_at.is_some());
    let not_draft = err(t.write(|conn| {
        orders::update(
            conn,
            &sales,
            spot.id,
            &any(),
            cmd(json!({"quantity_kg": "1"})),
        )
    }));
    assert!(matches!(not_draft, OpError::Conflict { .. }));
    let priced = ok(t.read(|conn| orders::pricing(conn, spot.id)));
    assert_eq!(priced.value.as_deref(), Some("8400.00"));
    let other = ok(t.write(|conn| {
        let o = orders::create(conn, &sales, cmd(spot_json(c, p, "2027-01", "10")))?;
        orders::submit(conn, &sales, o.id, &any(), &Default::default())
    }));
    let rejected =
        ok(t.write(|conn| orders::reject(conn, &sales, other.id, &any(), &reason("no credit"))));
    assert_eq!(rejected.status, OrderStatus::Rejected);
    let cancelled =
        ok(t.write(|conn| orders::cancel(conn, &sales, spot.id, &any(), &reason("changed mind"))));
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    let page =
        ok(t.read(|conn| orders::list(conn, &cmd(json!({"product_id": p, "order_type": "spot"})))));
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        ok(t.read(|conn| orders::get(conn, add_on.id))).id,
        add_on.id
    );
}

fn order_gate_and_planner_override(t: &TestDb) {
    let (c, p) = (customer(t, "C"), product(t, "P"));
    approved_plan(t, &[(p, "2027-01", "100")]);
    let sales = actor(Role::Sales);
    let planner = actor(Role::Planner);
    let first =
        ok(t.write(|conn| orders::create(conn, &sales, cmd(spot_json(c, p, "2027-01", "60")))));
    let second =
        ok(t.write(|conn| orders::create(conn, &sales, cmd(spot_json(c, p, "2027-01", "60")))));
    // A planner may not confirm an order that fits, override or not.
    let plain =
        err(t.write(|conn| orders::confirm(conn, &planner, first.id, &any(), &Default::default())));
    assert!(matches!(plain, OpError::Forbidden(_)));
    let fits =
        err(t.write(|conn| orders::confirm(conn, &planner, first.id, &any(), &overriding("x"))));
    assert!(matches!(fits, OpError::Forbidden(_)));
    ok(t.write(|conn| orders::confirm(conn, &sales, first.id, &any(), &Default::default())));
    let refused =
        err(t.write(|conn| orders::confirm(conn, &sales, second.id, &any(), &Default::default())));
    assert!(
        matches!(&refused, OpError::InsufficientAtp(r) if r.available.display().to_string() == "40.000")
    );
    let no_reason = err(t.write(|conn| {
        orders::confirm(
            conn,
            &planner,
            second.id,
            &any(),
            &cmd(json!({"override": true})),
        )
    }));
    assert_eq!(fields(&no_reason), ["reason"]);
    let confirmed =
        ok(t.write(|conn| orders::confirm(conn, &planner, second.id, &any(), &overriding("VIP"))));
    assert_eq!(confirmed.status, OrderStatus::Confirmed);
    // Planners cancel nothing: that is a sales write.
    let cancel =
        err(t.write(|conn| orders::cancel(conn, &planner, second.id, &any(), &reason("x"))));
    assert!(matches!(cancel, OpError::Forbidden(_)));
}

#[derive(diesel::QueryableByName)]
struct PreparedStatement {
    #[diesel(sql_type = diesel::sql_types::Text)]
    statement: String,
}

/// The updates a confirmation makes while it holds its product's lock (the order, the month's
/// position, the event counter) are prepared once per connection and reused, like its reads:
/// diesel never caches an UPDATE by itself, and parsing and planning each one inside the lock
/// cost PostgreSQL a third of its confirmation rate. Checked on PostgreSQL, where a
/// connection lists its prepared statements; on SQLite the confirmations must simply work.
fn confirmations_reuse_prepared_updates(t: &TestDb) {
    let (c, p) = (customer(t, "C-PREP"), product(t, "P-PREP"));
    approved_plan(t, &[(p, "2027-01", "1000")]);
    let sales = actor(Role::Sales);
    let prepared = ok(t.write(|conn| {
        for _ in 0..2 {
            let o = orders::create(conn, &sales, cmd(spot_json(c, p, "2027-01", "10")))?;
            let done = orders::confirm(conn, &sales, o.id, &any(), &ActionRequest::default())?;
            assert_eq!(done.status, OrderStatus::Confirmed);
        }
        let DbConnection::Postgresql(pg) = conn else {
            return Ok(None);
        };
        let listed: Vec<PreparedStatement> =
            diesel::sql_query("SELECT statement FROM pg_prepared_statements").load(pg)?;
        Ok(Some(
            listed.into_iter().map(|s| s.statement).collect::<Vec<_>>(),
        ))
    }));
    if let Some(statements) = prepared {
        for table in ["orders", "positions", "counters"] {
            let update = format!("UPDATE \"{table}\"");
            assert_eq!(
                statements.iter().filter(|s| s.starts_with(&update)).count(),
                1,
                "one prepared update of {table}, reused: {statements:#?}"
            );
        }
    }
}
