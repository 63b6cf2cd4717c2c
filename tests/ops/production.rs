//! Plans, recorded output and stock, the reconciliation reads, and pricing.

use ndpr_contracts::domain::lifecycle::PlanStatus;
use ndpr_contracts::domain::price_index::{PriceIndex, Quote};
use ndpr_contracts::domain::pricing::PriceStatus;
use ndpr_contracts::domain::production::MonthlyKind;
use ndpr_contracts::domain::{Period, Role};
use ndpr_contracts::error::OpError;
use ndpr_contracts::ops::{
    contracts, master, monthly, orders, plans, pricing, quotes, reconciliation, Expect,
};
use serde_json::json;

use crate::common::*;
use crate::on_both_backends;

on_both_backends!(
    plan_use_cases,
    monthly_quantities,
    reconciliation_reads,
    pricing_reads
);

fn period(s: &str) -> Period {
    Period::parse(s).unwrap_or_else(|| unreachable!())
}

fn plan_use_cases(t: &TestDb) {
    let (c, p) = (customer(t, "C"), product(t, "P"));
    let planner = actor(Role::Planner);
    let first = approved_plan(t, &[(p, "2027-02", "1000")]);
    ok(t.write(|conn| {
        let o = orders::create(conn, &admin(), cmd(spot_json(c, p, "2027-02", "900")))?;
        orders::confirm(conn, &admin(), o.id, &any(), &Default::default())
    }));
    let revision = ok(t.write(|conn| {
        plans::create(
            conn,
            &planner,
            cmd(json!({"note": "cut", "lines": [{"product_id": p, "period": "2027-02", "planned_kg": "100"}]})),
        )
    }));
    assert_eq!(
        (revision.version_no, revision.status),
        (2, PlanStatus::Draft)
    );
    let impact = ok(t.read(|conn| plans::impact(conn, revision.id)));
    assert_eq!(
        impact.products[0].new_shortfall_periods,
        [period("2027-02")]
    );
    assert_eq!(impact.products[0].orders_at_risk.len(), 1);
    let approval = ok(t.write(|conn| {
        plans::approve(
            conn,
            &planner,
            revision.id,
            &Expect::version(1),
            &Default::default(),
        )
    }));
    assert_eq!(approval.plan.status, PlanStatus::Approved);
    assert_eq!(
        approval.impact.products[0].shortfall_periods,
        [period("2027-02")]
    );
    assert_eq!(
        ok(t.read(|conn| plans::get(conn, first))).status,
        PlanStatus::Superseded
    );
    let twice =
        err(t.write(|conn| {
            plans::approve(conn, &planner, revision.id, &any(), &Default::default())
        }));
    assert!(matches!(twice, OpError::Conflict { .. }));
    let page = ok(t.read(|conn| plans::list(conn, &cmd(json!({"status": "approved"})))));
    assert_eq!(page.items.len(), 1);
    let bad = err(t.write(|conn| {
        plans::create(
            conn,
            &planner,
            cmd(json!({"note": "x", "lines": [{"product_id": uuid::Uuid::new_v4(), "period": "2027-01", "planned_kg": "1"}]})),
        )
    }));
    assert_eq!(fields(&bad), ["lines[0].product_id"]);
    let sales = err(t.write(|conn| {
        plans::create(
            conn,
            &actor(Role::Sales),
            cmd(json!({"note": "x", "lines": []})),
        )
    }));
    assert!(matches!(sales, OpError::Forbidden(_)));
}

fn monthly_quantities(t: &TestDb) {
    let p = product(t, "P");
    let planner = actor(Role::Planner);
    let kg = |s: &str| cmd(json!(s));
    let first = ok(t.write(|c| {
        monthly::record(
            c,
            &planner,
            MonthlyKind::Actual,
            p,
            period("2026-10"),
            kg("900"),
            &any(),
        )
    }));
    assert!(first.created);
    let again = ok(t.write(|c| {
        monthly::record(
            c,
            &planner,
            MonthlyKind::Actual,
            p,
            period("2026-10"),
            kg("950"),
            &Expect::version(1),
        )
    }));
    assert_eq!((again.created, again.quantity.version), (false, 2));
    let stale = err(t.write(|c| {
        monthly::record(
            c,
            &planner,
            MonthlyKind::Actual,
            p,
            period("2026-10"),
            kg("1"),
            &Expect::version(1),
        )
    }));
    assert!(matches!(stale, OpError::PreconditionFailed(_)));
    ok(t.write(|c| {
        monthly::record(
            c,
            &planner,
            MonthlyKind::Snapshot,
            p,
            period("2026-11"),
            kg("50"),
            &any(),
        )
    }));
    let actuals =
        ok(t.read(|c| monthly::list(c, MonthlyKind::Actual, &cmd(json!({"product_id": p})))));
    assert_eq!(actuals[0].quantity.display().to_string(), "950.000");
    let snapshots = ok(t.read(|c| monthly::list(c, MonthlyKind::Snapshot, &Default::default())));
    assert_eq!(snapshots.len(), 1);
    let sales = err(t.write(|c| {
        monthly::record(
            c,
            &actor(Role::Sales),
            MonthlyKind::Snapshot,
            p,
            period("2026-11"),
            kg("1"),
            &any(),
        )
    }));
    assert!(matches!(sales, OpError::Forbidden(_)));
}

fn reconciliation_reads(t: &TestDb) {
    let (c, p) = (customer(t, "C"), product(t, "P"));
    approved_plan(t, &[(p, "2027-01", "1000"), (p, "2027-02", "500")]);
    ok(t.write(|conn| {
        let k = contracts::create(
            conn,
            &admin(),
            cmd(contract_json(c, p, &[("2027-01", "800")])),
        )?;
        contracts::activate(conn, &admin(), k.id, &any(), &Default::default())?;
        orders::create(conn, &admin(), cmd(spot_json(c, p, "2027-02", "100")))
    }));
    let rec = ok(t.read(|conn| reconciliation::reconcile(conn, &cmd(json!({"product_id": p})))));
    let jan = &rec.rows[0];
    assert_eq!(
        (
            jan.contract_kg.display().to_string(),
            jan.atp_kg.display().to_string()
        ),
        ("800.000".into(), "200.000".into())
    );
    assert_eq!(rec.rows[1].pending_kg.display().to_string(), "100.000");
    assert!(rec.csv().body.starts_with("period,planned_kg"));
    let atp = ok(t.read(|conn| {
        reconciliation::atp(conn, &cmd(json!({"product_id": p, "period": "2027-02"})))
    }));
    assert_eq!(atp.atp_kg.display().to_string(), "700.000");
    let summary = ok(t.read(|conn| {
        reconciliation::summary(conn, &cmd(json!({"from": "2027-01", "to": "2027-02"})))
    }));
    assert_eq!(summary.products[0].months.len(), 2);
    let wide = err(t.read(|conn| {
        reconciliation::summary(conn, &cmd(json!({"from": "2027-01", "to": "2037-01"})))
    }));
    assert_eq!(fields(&wide), ["to"]);
}

fn pricing_reads(t: &TestDb) {
    let (c, p) = (customer(t, "C"), product(t, "P"));
    let index: PriceIndex = ok(t.write(|conn| {
        master::create(
            conn,
            &admin(),
            cmd(json!({"code": "IDX", "name": "Index", "currency": "USD"})),
        )
    }));
    let batch: Vec<Quote> =
        cmd(json!([{"date": "2026-09-10", "price": "60"}, {"date": "2026-10-10", "price": "70"}]));
    ok(t.write(|conn| quotes::upsert(conn, &admin(), index.id, &batch)));
    let terms = json!({"type": "index", "index_id": index.id, "qp_offset_months": -1, "multiplier": "1", "premium": "-1.50", "floor": "55", "ceiling": "80"});
    let final_price = ok(t.read(|conn| {
        pricing::preview(
            conn,
            &cmd(json!({"pricing": terms, "period": "2026-11", "currency": "USD"})),
        )
    }));
    assert_eq!(final_price.status, PriceStatus::Final);
    assert_eq!(
        final_price.unit_price.map(|p| p.display().to_string()),
        Some("68.50".into())
    );
    let provisional = ok(t.read(|conn| {
        pricing::preview(
            conn,
            &cmd(json!({"pricing": terms, "period": "2027-03", "currency": "USD"})),
        )
    }));
    assert_eq!(provisional.status, PriceStatus::Provisional);
    // Terms in another currency than the index convert at FX fixings; there are none.
    let in_eur = ok(t.read(|conn| {
        pricing::preview(
            conn,
            &cmd(json!({"pricing": terms, "period": "2027-03", "currency": "EUR"})),
        )
    }));
    assert_eq!(in_eur.status, PriceStatus::Unpriced);
    approved_plan(t, &[(p, "2027-01", "1000")]);
    ok(t.write(|conn| {
        let k = contracts::create(
            conn,
            &admin(),
            cmd(contract_json(c, p, &[("2027-01", "100")])),
        )?;
        contracts::activate(conn, &admin(), k.id, &any(), &Default::default())
    }));
    let exposure =
        ok(t.read(|conn| {
            pricing::exposure(conn, &cmd(json!({"from": "2027-01", "to": "2027-01"})))
        }));
    assert_eq!(exposure.rows[0].fixed_kg.display().to_string(), "100.000");
    assert_eq!(exposure.rows[0].by_currency[0].value, "6250.00");
    assert!(exposure.csv().body.contains("6250.00"));
}
