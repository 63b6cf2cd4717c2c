//! Customers, products and price indices through the one master-data module, and quotes.

use ndpr_contracts::domain::customer::Customer;
use ndpr_contracts::domain::price_index::{PriceIndex, Quote};
use ndpr_contracts::domain::product::Product;
use ndpr_contracts::domain::reference::MasterStatus;
use ndpr_contracts::domain::Role;
use ndpr_contracts::error::OpError;
use ndpr_contracts::ops::master::{self, customer::CustomerFilter};
use ndpr_contracts::ops::{quotes, Expect};
use serde_json::json;

use crate::common::*;
use crate::on_both_backends;

on_both_backends!(
    master_data_lives_through_one_module,
    master_data_rules_and_roles,
    quotes_upsert_list_and_average
);

fn master_data_lives_through_one_module(t: &TestDb) {
    let a = admin();
    let c: Customer = ok(t.write(|c| {
        master::create(
            c,
            &a,
            cmd(json!({"code": "JP-1", "name": "  Nippon  ", "country": "JP", "external_ref": "SAP-1"})),
        )
    }));
    assert_eq!((c.name.as_str(), c.version), ("Nippon", 1));
    let got: Customer = ok(t.read(|conn| master::get(conn, c.id)));
    assert_eq!(got.code, "JP-1");
    let changed: Customer = ok(t.write(|conn| {
        master::update(
            conn,
            &a,
            c.id,
            &Expect::version(1),
            cmd(json!({"name": "Nippon Magnetics", "external_ref": null})),
        )
    }));
    assert_eq!((changed.version, changed.external_ref), (2, None));
    // A stale version is refused and nothing changes.
    let stale = err(t.write(|conn| {
        master::update::<Customer>(
            conn,
            &a,
            c.id,
            &Expect::version(1),
            cmd(json!({"name": "X"})),
        )
    }));
    assert!(matches!(stale, OpError::PreconditionFailed(_)));
    let archived: Customer =
        ok(t.write(|conn| {
            master::archive(conn, &a, c.id, &any(), &cmd(json!({"reason": "closed"})))
        }));
    assert_eq!(archived.status, MasterStatus::Archived);
    let again =
        err(t.write(|conn| {
            master::archive::<Customer>(conn, &a, c.id, &any(), &Default::default())
        }));
    assert!(matches!(again, OpError::Conflict { .. }));
    let page = ok(t.read(|conn| {
        master::customer::list(
            conn,
            &CustomerFilter {
                limit: Some(10),
                cursor: None,
                updated_since: None,
                status: Some(MasterStatus::Archived),
                country: None,
                code: None,
                external_ref: None,
            },
        )
    }));
    assert_eq!(page.items.len(), 1);

    let p: Product = ok(t.write(|conn| {
        master::create(
            conn,
            &a,
            cmd(json!({"code": "NDPR", "name": "NdPr oxide", "form": "oxide", "min_purity_pct": "99.5"})),
        )
    }));
    assert_eq!(
        p.min_purity_pct.map(|v| v.display().to_string()),
        Some("99.5".into())
    );
    let i: PriceIndex = ok(t.write(|conn| {
        master::create(
            conn,
            &a,
            cmd(json!({"code": "IDX", "name": "Index", "currency": "USD"})),
        )
    }));
    let renamed: PriceIndex = ok(t.write(|conn| {
        master::update(
            conn,
            &a,
            i.id,
            &any(),
            cmd(json!({"source": "Asian Metal"})),
        )
    }));
    assert_eq!(renamed.source.as_deref(), Some("Asian Metal"));
}

fn master_data_rules_and_roles(t: &TestDb) {
    let a = admin();
    let bad = err(t.write(|c| {
        master::create::<Customer>(
            c,
            &a,
            cmd(json!({"code": "x y", "name": " ", "country": "Japan"})),
        )
    }));
    assert_eq!(fields(&bad), ["code", "name", "country"]);
    customer(t, "DUP");
    let dup = err(t.write(|c| {
        master::create::<Customer>(
            c,
            &a,
            cmd(json!({"code": "DUP", "name": "Again", "country": "JP"})),
        )
    }));
    assert!(matches!(dup, OpError::Conflict { .. }), "{dup:?}");
    // Products are written by planners, not by sales; viewers write nothing.
    let sales = err(t.write(|c| {
        master::create::<Product>(
            c,
            &actor(Role::Sales),
            cmd(json!({"code": "P", "name": "P", "form": "metal"})),
        )
    }));
    assert!(matches!(sales, OpError::Forbidden(_)));
    let viewer = err(t.write(|c| {
        master::create::<Customer>(
            c,
            &actor(Role::Viewer),
            cmd(json!({"code": "V", "name": "V", "country": "JP"})),
        )
    }));
    assert!(matches!(viewer, OpError::Forbidden(_)));
    // Out-of-range numbers never make it into a command: they are refused where parsed.
    let purity = serde_json::from_value::<ndpr_contracts::ops::master::product::NewProduct>(
        json!({"code": "P", "name": "P", "form": "metal", "min_purity_pct": "100.001"}),
    );
    assert!(purity.is_err());
}

fn quotes_upsert_list_and_average(t: &TestDb) {
    let a = admin();
    let index: PriceIndex = ok(t.write(|c| {
        master::create(
            c,
            &a,
            cmd(json!({"code": "IDX", "name": "Index", "currency": "USD"})),
        )
    }));
    let batch: Vec<Quote> = cmd(json!([
        {"date": "2026-10-01", "price": "60"},
        {"date": "2026-10-15", "price": "61.25"},
        {"date": "2026-11-02", "price": "63"}
    ]));
    let first = ok(t.write(|c| quotes::upsert(c, &a, index.id, &batch)));
    assert_eq!((first.inserted, first.updated, first.unchanged), (3, 0, 0));
    let again: Vec<Quote> =
        cmd(json!([{"date": "2026-10-01", "price": "60"}, {"date": "2026-10-15", "price": "62"}]));
    let second = ok(t.write(|c| quotes::upsert(c, &actor(Role::Sales), index.id, &again)));
    assert_eq!(
        (second.inserted, second.updated, second.unchanged),
        (0, 1, 1)
    );
    let october = ok(t.read(|c| {
        quotes::list(
            c,
            index.id,
            &cmd(json!({"from": "2026-10-01", "to": "2026-10-31"})),
        )
    }));
    assert_eq!(october.quotes.len(), 2);
    let averages = ok(t.read(|c| quotes::averages(c, index.id, &Default::default())));
    let got: Vec<(String, String)> = averages
        .averages
        .iter()
        .map(|a| (a.period.to_string(), a.average.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("2026-10".into(), "61.0000".into()),
            ("2026-11".into(), "63.0000".into())
        ]
    );
    let future: Vec<Quote> =
        cmd(json!([{"date": "2027-06-01", "price": "1"}, {"date": "2027-06-01", "price": "0"}]));
    let refused = err(t.write(|c| quotes::upsert(c, &a, index.id, &future)));
    assert_eq!(
        fields(&refused),
        ["[0].date", "[1].date", "[1].date", "[1].price"]
    );
    let viewer = err(t.write(|c| quotes::upsert(c, &actor(Role::Viewer), index.id, &batch)));
    assert!(matches!(viewer, OpError::Forbidden(_)));
}
