//! Shipments, export licences and the delivery schedule.

use ndpr_contracts::domain::licence::LicenceStatus;
use ndpr_contracts::domain::lifecycle::{OrderStatus, ShipmentStatus};
use ndpr_contracts::domain::product::Product;
use ndpr_contracts::domain::Role;
use ndpr_contracts::error::OpError;
use ndpr_contracts::ops::{contracts, deliveries, licences, master, orders, shipments, Expect};
use serde_json::json;

use crate::common::*;
use crate::on_both_backends;

on_both_backends!(
    shipment_use_cases,
    licences_gate_controlled_products,
    a_schedule_holds_more_orders_than_a_query_has_variables
);

fn lots(kg: &str) -> serde_json::Value {
    json!([{"lot_number": "L-1", "quantity_kg": kg}])
}

fn ship_body() -> serde_json::Value {
    json!({"shipped_on": "2026-12-05", "vessel": "Aries", "bl_number": "BL-1", "containers": ["C1"]})
}

fn shipment_use_cases(t: &TestDb) {
    let (c, p) = (customer(t, "C"), product(t, "P"));
    approved_plan(t, &[(p, "2026-12", "1000")]);
    let sales = actor(Role::Sales);
    let order = ok(t.write(|conn| {
        let o = orders::create(conn, &sales, cmd(spot_json(c, p, "2026-12", "100")))?;
        orders::confirm(conn, &sales, o.id, &any(), &Default::default())
    }));
    let over = err(t.write(|conn| {
        shipments::create(
            conn,
            &sales,
            cmd(json!({"order_id": order.id, "quantity_kg": "101", "lots": lots("101"), "planned_ship_date": "2026-12-01"})),
        )
    }));
    assert_eq!(fields(&over), ["quantity_kg"]);
    let planned = ok(t.write(|conn| {
        shipments::create(
            conn,
            &sales,
            cmd(json!({"order_id": order.id, "quantity_kg": "60", "lots": lots("60"), "planned_ship_date": "2026-12-01"})),
        )
    }));
    assert_eq!(planned.status, ShipmentStatus::Planned);
    let moved = ok(t.write(|conn| {
        shipments::update(
            conn,
            &sales,
            planned.id,
            &Expect::version(1),
            cmd(json!({"planned_ship_date": "2026-12-03"})),
        )
    }));
    assert_eq!(moved.planned_ship_date.to_string(), "2026-12-03");
    let shipped =
        ok(t.write(|conn| shipments::ship(conn, &sales, planned.id, &any(), cmd(ship_body()))));
    assert_eq!(shipped.containers, ["C1"]);
    assert_eq!(
        ok(t.read(|conn| orders::get(conn, order.id))).status,
        OrderStatus::PartiallyShipped
    );
    let early = err(t.write(|conn| {
        shipments::deliver(
            conn,
            &sales,
            planned.id,
            &any(),
            &cmd(json!({"delivered_on": "2026-12-01"})),
        )
    }));
    assert_eq!(fields(&early), ["delivered_on"]);
    ok(t.write(|conn| {
        shipments::deliver(
            conn,
            &sales,
            planned.id,
            &any(),
            &cmd(json!({"delivered_on": "2026-12-20"})),
        )
    }));
    let rest = ok(t.write(|conn| {
        shipments::create(
            conn,
            &sales,
            cmd(json!({"order_id": order.id, "quantity_kg": "40", "lots": lots("40"), "planned_ship_date": "2026-12-10"})),
        )
    }));
    let not_shipped =
        err(t.write(|conn| shipments::cancel(conn, &sales, rest.id, &any(), &Default::default())));
    assert_eq!(fields(&not_shipped), ["reason"]);
    let cancelled = ok(t.write(|conn| {
        shipments::cancel(
            conn,
            &sales,
            rest.id,
            &any(),
            &cmd(json!({"reason": "no vessel"})),
        )
    }));
    assert_eq!(cancelled.status, ShipmentStatus::Cancelled);
    let page = ok(t.read(|conn| shipments::list(conn, &cmd(json!({"order_id": order.id})))));
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        ok(t.read(|conn| shipments::get(conn, planned.id))).status,
        ShipmentStatus::Delivered
    );
    let schedule = ok(t.read(|conn| {
        deliveries::schedule(conn, &cmd(json!({"from": "2026-12", "to": "2026-12"})))
    }));
    assert_eq!(schedule.items[0].shipped_kg.display().to_string(), "60.000");
    let csv = ok(t.read(|conn| schedule.csv(conn)));
    assert!(csv.body.contains("partially_shipped"));
    // Beside the ids, the names a person reads.
    assert!(csv.body.starts_with(
        "period,kind,number,order_id,contract_id,customer_id,customer_code,customer_name,product_id,product_code,"
    ));
    let viewer = err(t.write(|conn| {
        shipments::cancel(
            conn,
            &actor(Role::Viewer),
            rest.id,
            &any(),
            &Default::default(),
        )
    }));
    assert!(matches!(viewer, OpError::Forbidden(_)));
}

fn licences_gate_controlled_products(t: &TestDb) {
    let c = customer(t, "C");
    let p: Product = ok(t.write(|conn| {
        master::create(conn, &admin(), cmd(json!({"code": "SM", "name": "Samarium", "form": "oxide", "export_controlled": true})))
    }));
    approved_plan(t, &[(p.id, "2026-12", "1000")]);
    let contract = ok(t.write(|conn| {
        let k = contracts::create(
            conn,
            &admin(),
            cmd(contract_json(c, p.id, &[("2026-12", "500")])),
        )?;
        contracts::activate(conn, &admin(), k.id, &any(), &Default::default())
    }));
    let sales_licence = err(t.write(|conn| {
        licences::create(
            conn,
            &actor(Role::Sales),
            cmd(json!({"number": "L-1", "product_id": p.id, "customer_id": c, "quantity_kg": "300", "valid_from": "2026-01-01", "valid_to": "2027-12-31"})),
        )
    }));
    assert!(matches!(sales_licence, OpError::Forbidden(_)));
    let licence = ok(t.write(|conn| {
        licences::create(
            conn,
            &admin(),
            cmd(json!({"number": "L-1", "product_id": p.id, "customer_id": c, "quantity_kg": "300", "valid_from": "2026-01-01", "valid_to": "2027-12-31"})),
        )
    }));
    assert_eq!(licence.status, LicenceStatus::Active);
    let plan = |kg: &str| {
        cmd(
            json!({"contract_id": contract.id, "period": "2026-12", "quantity_kg": kg, "lots": lots(kg), "planned_ship_date": "2026-12-01", "export_licence_id": licence.id}),
        )
    };
    let first = ok(t.write(|conn| shipments::create(conn, &admin(), plan("200"))));
    let second = ok(t.write(|conn| shipments::create(conn, &admin(), plan("200"))));
    ok(t.write(|conn| shipments::ship(conn, &admin(), first.id, &any(), cmd(ship_body()))));
    assert_eq!(
        ok(t.read(|conn| licences::get(conn, licence.id)))
            .remaining_kg
            .display()
            .to_string(),
        "100.000"
    );
    let overdraw =
        err(t.write(|conn| shipments::ship(conn, &admin(), second.id, &any(), cmd(ship_body()))));
    assert!(
        matches!(
            &overdraw,
            OpError::Conflict {
                kind: "export-licence",
                ..
            }
        ),
        "{overdraw:?}"
    );
    let revoked = ok(t.write(|conn| {
        licences::revoke(
            conn,
            &admin(),
            licence.id,
            &any(),
            &cmd(json!({"reason": "embargo"})),
        )
    }));
    assert_eq!(revoked.status, LicenceStatus::Revoked);
    let page = ok(t.read(|conn| licences::list(conn, &cmd(json!({"status": "revoked"})))));
    assert_eq!(page.items.len(), 1);
}

/// More confirmed orders in the months asked than a query may bind (SQLite 32,766, PostgreSQL
/// 65,535): the schedule once listed their ids in an `IN` (500 "too many SQL variables"; found
/// by the desk's benchmark on a book of 100,000 orders).
fn a_schedule_holds_more_orders_than_a_query_has_variables(t: &TestDb) {
    use diesel::RunQueryDsl;
    let (c, p) = (customer(t, "C-BULK"), product(t, "P-BULK"));
    approved_plan(t, &[(p, "2026-12", "1000")]);
    let sales = actor(Role::Sales);
    let template = ok(t.write(|conn| {
        let o = orders::create(conn, &sales, cmd(spot_json(c, p, "2026-12", "1")))?;
        orders::confirm(conn, &sales, o.id, &any(), &Default::default())
    }));
    // 66,000 copies of the confirmed order, each with an id of its own, in one statement.
    const COPIES: i64 = 66_000;
    ok(t.write(|conn| {
        diesel::sql_query(format!(
            "INSERT INTO orders (id, number, order_type, customer_id, product_id, contract_id, \
             period, quantity_g, pricing_json, pricing_source, currency, incoterm, incoterm_place, \
             status, confirmed_at, external_ref, created_at, updated_at, version) \
             WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {COPIES}) \
             SELECT '00000000-0000-4000-8000-' || substr('000000000000' || CAST(x AS TEXT), \
             length(CAST(x AS TEXT)) + 1, 12), 'BULK-' || CAST(x AS TEXT), order_type, customer_id, \
             product_id, contract_id, period, quantity_g, pricing_json, pricing_source, currency, \
             incoterm, incoterm_place, status, confirmed_at, NULL, created_at, updated_at, version \
             FROM orders, n WHERE orders.id = '{}'",
            template.id
        ))
        .execute(conn)?;
        Ok(())
    }));
    let schedule = ok(t.read(|conn| {
        deliveries::schedule(conn, &cmd(json!({"from": "2026-12", "to": "2026-12"})))
    }));
    assert_eq!(schedule.items.len() as i64, COPIES + 1);
}
