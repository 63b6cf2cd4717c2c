//! Racing confirmations that together exceed ATP: exactly the available quantity is confirmed.

use crate::common::{in_parallel, status_of, Backend, TestApp};
use crate::fixtures::*;

const ORDERS: usize = 16;

fn race(apps: &[&TestApp]) {
    let app = apps[0];
    let c = customer(app, "C-1");
    let p = product(app, "P-1");
    approved_plan(app, &[(&p, "2027-01", "1000")]);
    let sales = app.token_for("sales");
    let ids: Vec<String> = (0..ORDERS)
        .map(|_| id(&spot_order(app, &sales, &c, &p, "2027-01", "100")))
        .collect();
    let bases: Vec<String> = apps.iter().map(|a| a.base.clone()).collect();
    let auth = format!("Bearer {sales}");
    let statuses = in_parallel(ids.len(), move |i| {
        status_of(
            ureq::post(&format!(
                "{}/api/v1/orders/{}/confirm",
                bases[i % bases.len()],
                ids[i]
            ))
            .set("Authorization", &auth)
            .call(),
        )
    });
    let confirmed = statuses.iter().filter(|s| **s == 200).count();
    let refused = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((confirmed, refused), (10, ORDERS - 10), "{statuses:?}");
    let rec = reconciliation(app, &p);
    assert_eq!(row(&rec, "2027-01")["spot_kg"], "1000.000");
    assert_eq!(row(&rec, "2027-01")["shortfall_kg"], "0.000");
    let confirmed_list = app
        .get(
            &format!("/api/v1/orders?product_id={p}&status=confirmed&limit=100"),
            &sales,
        )
        .expect(200);
    assert_eq!(
        confirmed_list.body["items"].as_array().map(Vec::len),
        Some(10)
    );
}

#[test]
fn racing_confirmations_sqlite() {
    let app = TestApp::start(Backend::Sqlite).unwrap_or_else(|| unreachable!());
    race(&[&app]);
}

#[test]
fn racing_confirmations_postgres() {
    if let Some(app) = TestApp::start(Backend::Postgres) {
        race(&[&app]);
    }
}

#[test]
fn racing_confirmations_postgres_two_instances() {
    if let Some(app) = TestApp::start(Backend::Postgres) {
        let second = app.second_instance();
        race(&[&app, &second]);
    }
}
