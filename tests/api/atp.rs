//! What-if ATP over a range of months: what the order entry asks as the quantity changes.

use serde_json::json;

use crate::common::TestApp;
use crate::fixtures::*;
use crate::on_both_backends;

on_both_backends!(the_horizon_names_the_first_month_that_fits);

fn the_horizon_names_the_first_month_that_fits(app: &TestApp) {
    let c = customer(app, "C-H");
    let p = product(app, "P-H");
    approved_plan(
        app,
        &[
            (&p, "2027-01", "1000"),
            (&p, "2027-02", "1000"),
            (&p, "2027-03", "5000"),
        ],
    );
    let t = app.token_for("sales");
    let order = id(&spot_order(app, &t, &c, &p, "2027-01", "400"));
    app.post(&format!("/api/v1/orders/{order}/confirm"), &t, &json!({}))
        .expect(200);

    let h = app
        .get(
            &format!("/api/v1/atp/horizon?product_id={p}&quantity_kg=2000&from=2027-01&to=2027-04"),
            &t,
        )
        .expect(200);
    assert_eq!(h.body["quantity_kg"], "2000.000");
    assert_eq!(h.body["first_fit_period"], "2027-03");
    let months = h.body["months"].as_array().cloned().unwrap_or_default();
    assert_eq!(months.len(), 4);
    // Each month equals the single-month ATP read.
    for m in &months {
        let one = app
            .get(
                &format!(
                    "/api/v1/atp?product_id={p}&period={}",
                    m["period"].as_str().unwrap_or("")
                ),
                &t,
            )
            .expect(200);
        assert_eq!(m["atp_kg"], one.body["atp_kg"], "{m}");
        assert_eq!(
            m["covers"].as_bool(),
            Some(m["period"] == "2027-03" || m["period"] == "2027-04")
        );
    }
    // Nothing fits: no first month.
    let none = app
        .get(
            &format!(
                "/api/v1/atp/horizon?product_id={p}&quantity_kg=999999&from=2027-01&to=2027-04"
            ),
            &t,
        )
        .expect(200);
    assert!(none.body["first_fit_period"].is_null());
    // Bounds.
    for bad in [
        format!("/api/v1/atp/horizon?product_id={p}&quantity_kg=0&from=2027-01&to=2027-04"),
        format!("/api/v1/atp/horizon?product_id={p}&quantity_kg=5&from=2027-04&to=2027-01"),
        format!("/api/v1/atp/horizon?product_id={p}&quantity_kg=5&from=2020-01&to=2035-01"),
        format!("/api/v1/atp/horizon?product_id={p}&quantity_kg=-5&from=2027-01&to=2027-02"),
    ] {
        let r = app.get(&bad, &t);
        assert!(r.status == 422 || r.status == 400, "{bad}: {}", r.status);
    }
}
