//! `ndpr-contracts demo`: a realistic data set for a fresh database, loaded through the HTTP
//! API itself (no SQL), so it doubles as an end-to-end smoke test.

use std::sync::mpsc;

use anyhow::{anyhow, bail};
use serde_json::{json, Value};

use crate::config::Settings;
use crate::domain::Period;
use crate::startup::Application;

/// The password of the demo users (`sakura` sales, `kenji` planner, `maria` viewer, `erp`
/// integration).
pub const DEMO_PASSWORD: &str = "ndpr-demo-2026";

struct Api {
    base: String,
    token: String,
}

impl Api {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> anyhow::Result<Value> {
        let req = ureq::request(method, &format!("{}/api/v1{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.token));
        let res = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        match res {
            Ok(r) => Ok(r.into_json().unwrap_or(Value::Null)),
            Err(ureq::Error::Status(code, r)) => {
                let text = r.into_string().unwrap_or_default();
                Err(anyhow!("{method} {path} answered {code}: {text}"))
            }
            Err(e) => Err(anyhow!("{method} {path}: {e}")),
        }
    }

    fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        self.call("POST", path, Some(body))
    }

    fn id(&self, path: &str, body: Value) -> anyhow::Result<String> {
        let v = self.post(path, body)?;
        v["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow!("{path}: no id in answer"))
    }
}

/// Loads the demo into the database `settings` names, which must hold no business data yet.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let mut settings = settings.clone();
    settings.listen = "127.0.0.1:0".into();
    let (tx, rx) = mpsc::channel();
    let server_settings = settings.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match Application::build(&server_settings) {
                Ok(app) => {
                    let port = app.port();
                    let password = app.generated_admin_password.clone();
                    let server = app.into_server();
                    let _ = tx.send(Ok((port, password, server.handle())));
                    let _ = server.await;
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                }
            }
        })
    });
    let (port, generated, handle) = rx
        .recv()
        .map_err(|_| anyhow!("the service did not start"))??;
    let result = load(port, &settings, generated.as_deref());
    actix_web::rt::System::new().block_on(handle.stop(true));
    let summary = result?;
    println!("{summary}");
    Ok(())
}

fn load(port: u16, settings: &Settings, generated: Option<&str>) -> anyhow::Result<String> {
    let base = format!("http://127.0.0.1:{port}");
    let password = generated
        .map(str::to_string)
        .or_else(|| settings.admin_password.as_ref().map(|s| s.0.clone()))
        .ok_or_else(|| {
            anyhow!("this database already has users: set NDPR_ADMIN_PASSWORD to the admin's password to load the demo")
        })?;
    let login: Value = ureq::post(&format!("{base}/api/v1/auth/token"))
        .send_json(json!({"username": "admin", "password": password}))
        .map_err(|e| anyhow!("logging in as admin failed: {e}"))?
        .into_json()?;
    let token = login["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let api = Api { base, token };
    let existing = api.call("GET", "/customers?limit=1", None)?;
    if existing["items"].as_array().is_some_and(|a| !a.is_empty()) {
        bail!("the database already holds customers: the demo loads only into a fresh database");
    }
    let today = crate::clock::today();
    let t = Period::of_date(today);
    let m = |offset: i32| t.plus(offset).to_string();

    for (name, role) in [
        ("sakura", "sales"),
        ("kenji", "planner"),
        ("maria", "viewer"),
        ("erp", "integration"),
    ] {
        api.post(
            "/users",
            json!({"username": name, "password": DEMO_PASSWORD, "role": role}),
        )?;
    }

    // Buyers in Japan, Germany, Korea and the US.
    let jp = api.id("/customers", json!({"code": "JP-NMAG", "name": "Nippon Magnetics K.K.", "country": "JP", "external_ref": "SAP-100234"}))?;
    let de = api.id("/customers", json!({"code": "DE-VMAG", "name": "Vakuum Magnetwerke GmbH", "country": "DE", "external_ref": "SAP-100311"}))?;
    let kr = api.id("/customers", json!({"code": "KR-STAR", "name": "Star Motor Materials Co.", "country": "KR", "external_ref": "SAP-100402"}))?;
    let us = api.id("/customers", json!({"code": "US-AMAG", "name": "American Magnet Works Inc.", "country": "US", "external_ref": "SAP-100517"}))?;

    let oxide = api.id("/products", json!({"code": "NDPR-OXIDE", "name": "NdPr oxide 99.5 %", "form": "oxide", "min_purity_pct": "99.5", "hs_code": "2846.90", "export_controlled": false}))?;
    let metal = api.id("/products", json!({"code": "NDPR-METAL", "name": "NdPr metal 99.5 %", "form": "metal", "min_purity_pct": "99.5", "hs_code": "2805.30", "export_controlled": false}))?;
    let samarium = api.id("/products", json!({"code": "SM-OXIDE", "name": "Samarium oxide 99.9 %", "form": "oxide", "min_purity_pct": "99.9", "hs_code": "2846.90", "export_controlled": true}))?;

    // A year of weekly quotes on two indices: a deterministic walk.
    let oxide_index = api.id("/price-indices", json!({"code": "NDPR-OXIDE-FOB-CN", "name": "NdPr oxide FOB China", "currency": "USD", "source": "Asian Metal"}))?;
    let metal_index = api.id("/price-indices", json!({"code": "NDPR-METAL-CN", "name": "NdPr metal EXW China", "currency": "USD", "source": "Shanghai Metals Market"}))?;
    for (index, base_cents) in [(&oxide_index, 6_200_i64), (&metal_index, 7_800_i64)] {
        let quotes: Vec<Value> = (0..52)
            .map(|w| {
                let date = today - chrono::Duration::weeks(51 - w);
                let cents = base_cents + ((w * 37) % 23 - 11) * 25 + (w / 8) * 40;
                json!({"date": date.to_string(), "price": format!("{}.{:02}", cents / 100, cents % 100)})
            })
            .collect();
        api.post(
            &format!("/price-indices/{index}/quotes"),
            Value::Array(quotes),
        )?;
    }

    // A year of monthly plans, and actuals for the months already closed.
    let mut lines = Vec::new();
    for off in -6..=11 {
        lines.push(json!({"product_id": oxide, "period": m(off), "planned_kg": "40000"}));
        lines.push(json!({"product_id": metal, "period": m(off), "planned_kg": "15000"}));
        lines.push(json!({"product_id": samarium, "period": m(off), "planned_kg": "5000"}));
    }
    let plan1 = api.id(
        "/production-plans",
        json!({"note": "Annual plan", "lines": lines}),
    )?;
    api.post(&format!("/production-plans/{plan1}/approve"), json!({}))?;
    for off in -6..=-1 {
        api.call(
            "PUT",
            &format!("/production-actuals/{oxide}/{}", m(off)),
            Some(json!({"actual_kg": format!("{}", 39000 + off * -150)})),
        )?;
        api.call(
            "PUT",
            &format!("/production-actuals/{metal}/{}", m(off)),
            Some(json!({"actual_kg": "15200"})),
        )?;
        api.call(
            "PUT",
            &format!("/production-actuals/{samarium}/{}", m(off)),
            Some(json!({"actual_kg": "4900"})),
        )?;
    }
    for (product, kg) in [(&oxide, "12000"), (&metal, "3000"), (&samarium, "800")] {
        api.post(
            "/stock-snapshots",
            json!({"product_id": product, "period": m(-6), "quantity_kg": kg}),
        )?;
    }

    // Long-term contracts, fixed and index-linked.
    let schedule = |from: i32, to: i32, kg: &str| -> Value {
        Value::Array(
            (from..=to)
                .map(|o| json!({"period": m(o), "quantity_kg": kg}))
                .collect(),
        )
    };
    let contract = |customer: &str,
                    product: &str,
                    from: i32,
                    to: i32,
                    kg: &str,
                    pricing: Value,
                    incoterm: &str,
                    place: &str| {
        json!({
            "customer_id": customer, "product_id": product,
            "start_period": m(from), "end_period": m(to), "schedule": schedule(from, to, kg),
            "tolerance_pct": "5", "incoterm": incoterm, "incoterm_place": place, "currency": "USD",
            "payment_terms": "LC at sight", "pricing": pricing, "addon_premium": "2.00", "priority": 100
        })
    };
    let index_terms = |index: &str| json!({"type": "index", "index_id": index, "qp_offset_months": -1, "multiplier": "1", "premium": "-1.50", "floor": "55", "ceiling": "80"});
    let c_jp = api.id(
        "/contracts",
        contract(
            &jp,
            &oxide,
            -6,
            11,
            "20000",
            json!({"type": "fixed", "unit_price": "62.50"}),
            "CIF",
            "Yokohama",
        ),
    )?;
    let c_de = api.id(
        "/contracts",
        contract(
            &de,
            &oxide,
            -3,
            8,
            "15000",
            index_terms(&oxide_index),
            "CIF",
            "Hamburg",
        ),
    )?;
    let c_kr = api.id(
        "/contracts",
        contract(
            &kr,
            &metal,
            -2,
            9,
            "10000",
            index_terms(&metal_index),
            "FOB",
            "Tianjin",
        ),
    )?;
    let c_us = api.id(
        "/contracts",
        contract(
            &us,
            &samarium,
            -4,
            7,
            "3000",
            json!({"type": "fixed", "unit_price": "18.40"}),
            "FOB",
            "Shanghai",
        ),
    )?;
    for c in [&c_jp, &c_de, &c_kr, &c_us] {
        api.post(&format!("/contracts/{c}/activate"), json!({}))?;
    }

    // Add-on and spot orders above plan.
    let add_on = api.id("/orders", json!({"order_type": "add_on", "contract_id": c_jp, "customer_id": jp, "product_id": oxide, "period": m(1), "quantity_kg": "5000"}))?;
    let spot = |customer: &str, product: &str, off: i32, kg: &str, price: &str| {
        json!({"order_type": "spot", "customer_id": customer, "product_id": product, "period": m(off), "quantity_kg": kg,
               "pricing": {"type": "fixed", "unit_price": price}, "currency": "USD", "incoterm": "CFR", "incoterm_place": "Busan"})
    };
    let spot_kr = api.id("/orders", spot(&kr, &oxide, 2, "8000", "66.00"))?;
    let spot_us = api.id("/orders", spot(&us, &oxide, 3, "10000", "67.25"))?;
    let spot_pending = api.id("/orders", spot(&kr, &metal, 1, "3000", "81.00"))?;
    let spot_past = api.id("/orders", spot(&de, &metal, -1, "2000", "79.50"))?;
    for o in [&add_on, &spot_kr, &spot_us, &spot_past] {
        api.post(&format!("/orders/{o}/confirm"), json!({}))?;
    }
    api.post(&format!("/orders/{spot_pending}/submit"), json!({}))?;

    // An export licence for samarium to the US buyer.
    // Valid for the whole demo window, whatever the date: shipments go back four months.
    let valid_from = today - chrono::Duration::days(365);
    let licence = api.id("/export-licences", json!({"number": format!("MOFCOM-{}-00417", t.year()), "product_id": samarium, "customer_id": us,
        "quantity_kg": "24000", "valid_from": valid_from.to_string(), "valid_to": (today + chrono::Duration::days(200)).to_string()}))?;

    // Shipments in every state.
    let lot = |n: &str, kg: &str| json!([{"lot_number": n, "quantity_kg": kg, "assay": {"TREO_pct": "99.6", "Pr6O11_pct": "24.9"}}]);
    let ship = |id: &str, days_ago: i64, vessel: &str| {
        api.post(&format!("/shipments/{id}/ship"), json!({"shipped_on": (today - chrono::Duration::days(days_ago)).to_string(),
            "vessel": vessel, "voyage": "042E", "bl_number": format!("COSU{}", 6_100_000 + days_ago), "containers": ["CSNU1234567", "TGHU7654321"]}))
    };
    for off in -6..=-2 {
        let s = api.id("/shipments", json!({"contract_id": c_jp, "period": m(off), "quantity_kg": "20000", "lots": lot(&format!("BT-{}-A", m(off)), "20000"), "planned_ship_date": Period::parse(&m(off)).map(|p| p.first_day()).unwrap_or(today).to_string()}))?;
        ship(&s, i64::from(-off) * 30, "COSCO Shipping Aries")?;
        api.post(&format!("/shipments/{s}/deliver"), json!({"delivered_on": (today - chrono::Duration::days(i64::from(-off) * 30 - 12)).to_string()}))?;
    }
    let last_month = api.id("/shipments", json!({"contract_id": c_jp, "period": m(-1), "quantity_kg": "19500", "lots": lot("BT-LAST-A", "19500"), "planned_ship_date": (today - chrono::Duration::days(10)).to_string()}))?;
    ship(&last_month, 8, "ONE Harmony")?;
    api.id("/shipments", json!({"contract_id": c_jp, "period": m(0), "quantity_kg": "20000", "lots": lot("BT-NOW-A", "20000"), "planned_ship_date": (today + chrono::Duration::days(7)).to_string()}))?;
    let cancelled = api.id("/shipments", json!({"contract_id": c_de, "period": m(0), "quantity_kg": "5000", "lots": lot("BT-DE-X", "5000"), "planned_ship_date": (today + chrono::Duration::days(3)).to_string()}))?;
    api.post(
        &format!("/shipments/{cancelled}/cancel"),
        json!({"reason": "vessel slot lost; rebooked"}),
    )?;
    for off in -4..=-1 {
        let s = api.id("/shipments", json!({"contract_id": c_us, "period": m(off), "quantity_kg": "3000", "lots": lot(&format!("SM-{}", m(off)), "3000"), "planned_ship_date": today.to_string(), "export_licence_id": licence}))?;
        ship(&s, i64::from(-off) * 25, "Evergreen Ever Given")?;
    }
    let past = api.id("/shipments", json!({"order_id": spot_past, "quantity_kg": "2000", "lots": lot("MT-PAST", "2000"), "planned_ship_date": (today - chrono::Duration::days(20)).to_string()}))?;
    ship(&past, 18, "HMM Algeciras")?;
    api.post(
        &format!("/shipments/{past}/deliver"),
        json!({"delivered_on": (today - chrono::Duration::days(2)).to_string()}),
    )?;

    // The plants cut NdPr oxide for three months: approved plans are facts, so orders go at risk.
    let revision = api.id(
        "/production-plans",
        json!({"note": "Furnace relining at the oxide plant", "lines": [
            {"product_id": oxide, "period": m(1), "planned_kg": "5000"},
            {"product_id": oxide, "period": m(2), "planned_kg": "5000"},
            {"product_id": oxide, "period": m(3), "planned_kg": "5000"}
        ]}),
    )?;
    let approval = api.post(&format!("/production-plans/{revision}/approve"), json!({}))?;
    let at_risk = approval["impact"]["products"][0]["orders_at_risk"]
        .as_array()
        .map_or(0, Vec::len);

    Ok(format!(
        "Demo data loaded into {}:\n  4 customers, 3 products, 2 price indices with a year of weekly quotes,\n  \
         2 plan versions (the second puts {at_risk} orders at risk), 6 months of actuals,\n  \
         4 active contracts, 5 orders, 1 export licence and shipments in every state.\n\
         Log in as admin{}, or as sakura (sales), kenji (planner), maria (viewer), erp (integration)\n\
         with password {DEMO_PASSWORD}.",
        settings.database_url,
        generated.map(|p| format!(" with password {p}")).unwrap_or_default(),
    ))
}
