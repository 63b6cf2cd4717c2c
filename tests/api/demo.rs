use crate::common::{Backend, TestApp, ADMIN_PASSWORD, SECRET};
use ndpr_contracts::config::{Secret, Settings};

/// The demo loads into a fresh database through the API, and every report has data.
fn demo_fills_every_report(backend: Backend) {
    let Some(app) = TestApp::start(backend) else {
        return;
    };
    let mut settings = Settings::for_database(&app.database_url);
    settings.admin_password = Some(Secret(ADMIN_PASSWORD.into()));
    settings.jwt_secret = Some(Secret(SECRET.into()));
    settings.today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27);
    ndpr_contracts::demo::run(&settings).unwrap_or_else(|e| panic!("demo failed: {e:#}"));
    let t = app.admin();
    assert!(every_event_is_documented(&app, &t) > 15);
    let summary = app
        .get("/api/v1/reconciliation/summary?from=2026-05&to=2027-10", &t)
        .expect(200);
    let products = summary.body["products"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(products.len(), 3);
    let oxide = products
        .iter()
        .find(|p| p["product_code"] == "NDPR-OXIDE")
        .cloned()
        .unwrap_or_default();
    let at_risk: u64 = oxide["months"].as_array().map_or(0, |m| {
        m.iter().filter_map(|c| c["orders_at_risk"].as_u64()).sum()
    });
    assert!(at_risk > 0, "the plan revision puts orders at risk");
    let exposure = app
        .get(
            "/api/v1/reports/pricing-exposure?from=2026-05&to=2027-10",
            &t,
        )
        .expect(200);
    assert!(exposure.body["rows"]
        .as_array()
        .is_some_and(|r| r.len() > 20));
    let deliveries = app
        .get("/api/v1/deliveries?from=2026-05&to=2026-12", &t)
        .expect(200);
    let statuses: std::collections::BTreeSet<String> = deliveries.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["status"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for s in ["delivered", "shipped", "due"] {
        assert!(statuses.contains(s), "{s} in {statuses:?}");
    }
    let shipments = app.get("/api/v1/shipments?limit=100", &t).expect(200);
    let states: std::collections::BTreeSet<String> = shipments.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["status"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(states.len(), 4, "{states:?}");
    // A second run refuses: the database is no longer fresh.
    assert!(ndpr_contracts::demo::run(&settings).is_err());
}

#[test]
fn demo_sqlite() {
    demo_fills_every_report(Backend::Sqlite);
}

#[test]
fn demo_postgres() {
    demo_fills_every_report(Backend::Postgres);
}

/// Every event written so far has a type the OpenAPI document lists (and so a schema for its
/// data); answers how many types there were.
pub(crate) fn every_event_is_documented(app: &TestApp, token: &str) -> usize {
    let mut after = 0;
    let mut seen = std::collections::BTreeSet::new();
    loop {
        let page = app
            .get(&format!("/api/v1/events?after={after}&limit=1000"), token)
            .expect(200);
        let items = page.body["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        for e in &items {
            seen.insert(e["type"].as_str().unwrap_or_default().to_string());
        }
        after = page.body["last_seq"].as_i64().unwrap_or(after);
    }
    let doc = app.get("/api-docs/openapi.json", token).expect(200);
    let mapping = &doc.body["components"]["schemas"]["Event"]["discriminator"]["mapping"];
    for t in &seen {
        assert!(
            ndpr_contracts::domain::feed::is_documented(t) && mapping.get(t).is_some(),
            "event type {t} is not in the OpenAPI document"
        );
    }
    seen.len()
}
