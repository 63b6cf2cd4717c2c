//! `ndpr-contracts demo`: a realistic data set for a fresh database, loaded in process through
//! the same operations the API calls — no SQL, no HTTP.

use anyhow::{anyhow, bail};
use chrono::{Datelike, Duration, NaiveDate};
use serde::de::DeserializeOwned;

use crate::bootstrap;
use crate::config::Settings;
use crate::db::{Db, DbConnection};
use crate::domain::contract::ScheduleLine;
use crate::domain::lifecycle::OrderType;
use crate::domain::price_index::Quote;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::production::{MonthlyKind, PlanLine};
use crate::domain::shipment::Lot;
use crate::domain::{Kg, Period, Role};
use crate::error::OpError;
use crate::ops::action::{ActionBody, ActionRequest};
use crate::ops::contracts::NewContract;
use crate::ops::licences::NewLicence;
use crate::ops::master::customer::NewCustomer;
use crate::ops::master::price_index::NewPriceIndex;
use crate::ops::master::product::NewProduct;
use crate::ops::orders::NewOrder;
use crate::ops::plans::NewPlan;
use crate::ops::shipments::{DeliverRequest, NewShipment, ShipRequest};
use crate::ops::users::NewUserRequest;
use crate::ops::{self, master, Actor, Expect};
use crate::startup::db_settings;

/// The password of the demo users (`sakura` sales, `kenji` planner, `maria` viewer, `erp`
/// integration).
pub const DEMO_PASSWORD: &str = "ndpr-demo-2026";

fn parse<T: DeserializeOwned>(json: serde_json::Value) -> anyhow::Result<T> {
    serde_json::from_value(json).map_err(|e| anyhow!("demo data: {e}"))
}

fn kg(s: &str) -> anyhow::Result<Kg> {
    parse(serde_json::Value::String(s.into()))
}

fn price<T: DeserializeOwned>(s: &str) -> anyhow::Result<T> {
    parse(serde_json::Value::String(s.into()))
}

/// An error of one step, with the step's name.
fn step_failed(step: &str, e: OpError) -> anyhow::Error {
    match e {
        OpError::Validation(errors) => anyhow!(
            "{step}: {}",
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow!("{step}: {}", bootstrap::describe(other)),
    }
}

/// One step of the demo: a write transaction, announced on one line.
fn step<T>(
    db: &Db,
    name: &str,
    f: impl FnOnce(&mut DbConnection) -> Result<T, OpError>,
) -> anyhow::Result<T> {
    println!("  {name}");
    db.write_blocking(f).map_err(|e| step_failed(name, e))
}

/// Loads the demo into the database `settings` names, which must hold no business data yet.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    if let Some(date) = settings.today {
        crate::clock::fix(date);
    }
    crate::ops::settlements::set_book_currency(&settings.book_currency);
    let db = Db::open(db_settings(settings))?;
    let generated = bootstrap::ensure_first_admin(&db, settings)?;
    let existing = db
        .read_blocking(|conn| {
            master::customer::list(
                conn,
                &master::customer::CustomerFilter {
                    limit: Some(1),
                    cursor: None,
                    updated_since: None,
                    status: None,
                    country: None,
                    code: None,
                    external_ref: None,
                },
            )
        })
        .map_err(bootstrap::describe)?;
    if !existing.items.is_empty() {
        bail!("the database already holds customers: the demo loads only into a fresh database");
    }
    println!("Loading the demo data set:");
    let at_risk = load(&db)?;
    println!(
        "Demo data loaded into {}:\n  4 customers, 3 products, 2 price indices with a year of weekly quotes,\n  \
         2 plan versions (the second puts {at_risk} orders at risk), 6 months of actuals,\n  \
         4 active contracts, 5 orders, 1 export licence and shipments in every state.\n\
         Log in as admin{}, or as sakura (sales), kenji (planner), maria (viewer), erp (integration)\n\
         with password {DEMO_PASSWORD}.",
        settings.database_url,
        generated
            .map(|p| format!(" with password {p}"))
            .unwrap_or_default(),
    );
    Ok(())
}

/// The demo itself; returns how many orders the plan revision puts at risk.
fn load(db: &Db) -> anyhow::Result<usize> {
    let admin = Actor {
        user_id: ndpr_domain::UserId::SYSTEM,
        username: "demo".into(),
        role: Role::Admin,
        request_id: None,
    };
    let a = &admin;
    let today = crate::clock::today();
    let t = Period::of_date(today);
    let m = |offset: i32| t.plus(offset);
    let any = Expect::any();
    let none = ActionRequest::default();

    step(db, "users: sakura, kenji, maria, erp", |conn| {
        for (name, role) in [
            ("sakura", Role::Sales),
            ("kenji", Role::Planner),
            ("maria", Role::Viewer),
            ("erp", Role::Integration),
        ] {
            ops::users::add(
                conn,
                NewUserRequest {
                    username: name.into(),
                    password: DEMO_PASSWORD.into(),
                    role,
                },
            )?;
        }
        Ok(())
    })?;

    // Buyers in Japan, Germany, Korea and the US.
    let [jp, de, kr, us] = step(
        db,
        "customers in Japan, Germany, Korea and the US",
        |conn| {
            let mut ids = Vec::new();
            for (code, name, country, ext) in [
                ("JP-NMAG", "Nippon Magnetics K.K.", "JP", "SAP-100234"),
                ("DE-VMAG", "Vakuum Magnetwerke GmbH", "DE", "SAP-100311"),
                ("KR-STAR", "Star Motor Materials Co.", "KR", "SAP-100402"),
                ("US-AMAG", "American Magnet Works Inc.", "US", "SAP-100517"),
            ] {
                let c: crate::domain::customer::Customer = master::create(
                    conn,
                    a,
                    NewCustomer {
                        code: code.into(),
                        name: name.into(),
                        country: country.into(),
                        external_ref: Some(ext.into()),
                    },
                )?;
                ids.push(c.id);
            }
            Ok([ids[0], ids[1], ids[2], ids[3]])
        },
    )?;

    let purity = |s: &str| parse(serde_json::Value::String(s.into()));
    let products = [
        (
            "NDPR-OXIDE",
            "NdPr oxide 99.5 %",
            "oxide",
            "99.5",
            "2846.90",
            false,
        ),
        (
            "NDPR-METAL",
            "NdPr metal 99.5 %",
            "metal",
            "99.5",
            "2805.30",
            false,
        ),
        (
            "SM-OXIDE",
            "Samarium oxide 99.9 %",
            "oxide",
            "99.9",
            "2846.90",
            true,
        ),
    ]
    .map(
        |(code, name, form, pct, hs, controlled)| -> anyhow::Result<NewProduct> {
            Ok(NewProduct {
                code: code.into(),
                name: name.into(),
                form: parse(serde_json::Value::String(form.into()))?,
                min_purity_pct: Some(purity(pct)?),
                hs_code: Some(hs.into()),
                export_controlled: controlled,
                external_ref: None,
            })
        },
    );
    let mut new_products = Vec::new();
    for p in products {
        new_products.push(p?);
    }
    let [oxide, metal, samarium] = step(
        db,
        "products: NdPr oxide, NdPr metal, samarium oxide",
        |conn| {
            let mut ids = Vec::new();
            for p in new_products {
                let made: crate::domain::product::Product = master::create(conn, a, p)?;
                ids.push(made.id);
            }
            Ok([ids[0], ids[1], ids[2]])
        },
    )?;

    // A year of weekly quotes on two indices: a deterministic walk.
    let weekly = |base_cents: i64| -> anyhow::Result<Vec<Quote>> {
        (0..52)
            .map(|w| {
                let date = today - Duration::weeks(51 - w);
                let cents = base_cents + ((w * 37) % 23 - 11) * 25 + (w / 8) * 40;
                Ok(Quote {
                    date,
                    price: price(&format!("{}.{:02}", cents / 100, cents % 100))?,
                })
            })
            .collect()
    };
    let (oxide_quotes, metal_quotes) = (weekly(6_200)?, weekly(7_800)?);
    let [oxide_index, metal_index] =
        step(db, "price indices with a year of weekly quotes", |conn| {
            let mut ids = Vec::new();
            for (code, name, source, quotes) in [
                (
                    "NDPR-OXIDE-FOB-CN",
                    "NdPr oxide FOB China",
                    "Asian Metal",
                    &oxide_quotes,
                ),
                (
                    "NDPR-METAL-CN",
                    "NdPr metal EXW China",
                    "Shanghai Metals Market",
                    &metal_quotes,
                ),
            ] {
                let index: crate::domain::price_index::PriceIndex = master::create(
                    conn,
                    a,
                    NewPriceIndex {
                        code: code.into(),
                        name: name.into(),
                        currency: "USD".into(),
                        unit: None,
                        vat_pct: None,
                        source: Some(source.into()),
                    },
                )?;
                ops::quotes::upsert(conn, a, index.id, quotes)?;
                ids.push(index.id);
            }
            Ok([ids[0], ids[1]])
        })?;

    // The Chinese domestic quote of the same oxide: CNY per tonne including 13 % VAT, and a
    // year of USD/CNY fixings (weekdays) that convert it for terms in USD.
    let cny_quotes: Vec<Quote> = oxide_quotes
        .iter()
        .map(|q| {
            let cny = (q.price.value() * rust_decimal::Decimal::new(807_950, 2)).round();
            Ok(Quote {
                date: q.date,
                price: price(&cny.to_string())?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let fixings: Vec<crate::domain::fx::NewFxFixing> = (0..365)
        .map(|back| today - Duration::days(back))
        .filter(|d| d.weekday().num_days_from_monday() < 5)
        .map(|date| {
            let n = date.ordinal0() as i64;
            let micros = 7_100_000 + (n * 613 % 997) * 100 + n * 150;
            Ok(crate::domain::fx::NewFxFixing {
                base: "USD".into(),
                quote: "CNY".into(),
                date,
                rate: price(&rust_decimal::Decimal::new(micros, 6).to_string())?,
                source: Some("CFETS central parity".into()),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    step(
        db,
        "a CNY-per-tonne index with VAT, and a year of USD/CNY fixings",
        |conn| {
            let index: crate::domain::price_index::PriceIndex = master::create(
                conn,
                a,
                NewPriceIndex {
                    code: "NDPR-OXIDE-CN-VAT".into(),
                    name: "NdPr oxide, China domestic, incl. 13 % VAT".into(),
                    currency: "CNY".into(),
                    unit: Some(crate::domain::price_index::IndexUnit::T),
                    vat_pct: Some(price("13")?),
                    source: Some("Shanghai Metals Market".into()),
                },
            )?;
            ops::quotes::upsert(conn, a, index.id, &cny_quotes)?;
            ops::fx::upsert_batch(conn, a, &fixings)?;
            Ok(())
        },
    )?;

    // A year of monthly plans, and actuals for the months already closed.
    let mut lines = Vec::new();
    for off in -6..=11 {
        for (product, kgs) in [(oxide, "40000"), (metal, "15000"), (samarium, "5000")] {
            lines.push(PlanLine {
                product_id: product,
                period: m(off),
                planned_kg: kg(kgs)?,
            });
        }
    }
    step(db, "the annual production plan", |conn| {
        let plan = ops::plans::create(
            conn,
            a,
            NewPlan {
                note: "Annual plan".into(),
                lines,
            },
        )?;
        ops::plans::approve(conn, a, plan.id, &any, &ActionBody::default())?;
        Ok(())
    })?;
    let mut actuals = Vec::new();
    for off in -6..=-1 {
        actuals.push((oxide, m(off), kg(&format!("{}", 39000 + off * -150))?));
        actuals.push((metal, m(off), kg("15200")?));
        actuals.push((samarium, m(off), kg("4900")?));
    }
    let snapshots = [
        (oxide, kg("12000")?),
        (metal, kg("3000")?),
        (samarium, kg("800")?),
    ];
    step(
        db,
        "six months of actual output and opening stock",
        |conn| {
            for (product, period, quantity) in actuals {
                ops::monthly::record(
                    conn,
                    a,
                    MonthlyKind::Actual,
                    product,
                    period,
                    quantity,
                    &any,
                )?;
            }
            for (product, quantity) in snapshots {
                ops::monthly::record(
                    conn,
                    a,
                    MonthlyKind::Snapshot,
                    product,
                    m(-6),
                    quantity,
                    &any,
                )?;
            }
            Ok(())
        },
    )?;

    // Long-term contracts, fixed and index-linked.
    let schedule = |from: i32, to: i32, kgs: &str| -> anyhow::Result<Vec<ScheduleLine>> {
        (from..=to)
            .map(|o| {
                Ok(ScheduleLine {
                    period: m(o),
                    quantity_kg: kg(kgs)?,
                })
            })
            .collect()
    };
    let fixed = |p: &str| -> anyhow::Result<PricingTerms> {
        parse(serde_json::json!({"type": "fixed", "unit_price": p}))
    };
    let index_terms = |index: ndpr_domain::PriceIndexId| -> anyhow::Result<PricingTerms> {
        parse(
            serde_json::json!({"type": "index", "index_id": index, "qp_offset_months": -1, "multiplier": "1", "premium": "-1.50", "floor": "55", "ceiling": "80"}),
        )
    };
    let contract = |customer,
                    product,
                    from,
                    to,
                    kgs: &str,
                    pricing,
                    incoterm: &str,
                    place: &str|
     -> anyhow::Result<NewContract> {
        Ok(NewContract {
            number: None,
            customer_id: customer,
            product_id: product,
            start_period: m(from),
            end_period: m(to),
            schedule: schedule(from, to, kgs)?,
            tolerance_pct: parse(serde_json::Value::String("5".into()))?,
            incoterm: incoterm.into(),
            incoterm_place: place.into(),
            currency: "USD".into(),
            payment_terms: "LC at sight".into(),
            pricing,
            addon_premium: Some(price("2.00")?),
            priority: 100,
            external_ref: None,
            // TREO guaranteed at 99.0 %: 0.50 per kg off for each 0.1 point or part below,
            // rejected below 98.0 %; 90 % of the provisional value due at shipment.
            quality_terms: parse(
                serde_json::json!([{"assay_key": "TREO_pct", "minimum": "99.0",
                "step": "0.1", "rate": "0.50", "rejection_limit": "98.0"}]),
            )?,
            provisional_payment_pct: Some(price("90")?),
        })
    };
    let contracts = [
        contract(
            jp,
            oxide,
            -6,
            11,
            "20000",
            fixed("62.50")?,
            "CIF",
            "Yokohama",
        )?,
        contract(
            de,
            oxide,
            -3,
            8,
            "15000",
            index_terms(oxide_index)?,
            "CIF",
            "Hamburg",
        )?,
        contract(
            kr,
            metal,
            -2,
            9,
            "10000",
            index_terms(metal_index)?,
            "FOB",
            "Tianjin",
        )?,
        contract(
            us,
            samarium,
            -4,
            7,
            "3000",
            fixed("18.40")?,
            "FOB",
            "Shanghai",
        )?,
    ];
    let [c_jp, c_de, _c_kr, c_us] = step(db, "four long-term contracts, activated", |conn| {
        let mut ids = Vec::new();
        for new in contracts {
            let c = ops::contracts::create(conn, a, new)?;
            ops::contracts::activate(conn, a, c.id, &any, &none)?;
            ids.push(c.id);
        }
        Ok([ids[0], ids[1], ids[2], ids[3]])
    })?;

    // Add-on and spot orders above plan.
    let spot = |customer, product, off: i32, kgs: &str, unit: &str| -> anyhow::Result<NewOrder> {
        Ok(NewOrder {
            number: None,
            order_type: OrderType::Spot,
            customer_id: customer,
            product_id: product,
            contract_id: None,
            period: m(off),
            quantity_kg: kg(kgs)?,
            pricing: Some(fixed(unit)?),
            currency: Some("USD".into()),
            incoterm: Some("CFR".into()),
            incoterm_place: Some("Busan".into()),
            external_ref: None,
            quality_terms: Vec::new(),
        })
    };
    let add_on = NewOrder {
        number: None,
        order_type: OrderType::AddOn,
        customer_id: jp,
        product_id: oxide,
        contract_id: Some(c_jp),
        period: m(1),
        quantity_kg: kg("5000")?,
        pricing: None,
        currency: None,
        incoterm: None,
        incoterm_place: None,
        external_ref: None,
        quality_terms: Vec::new(),
    };
    let confirmed = [
        add_on,
        spot(kr, oxide, 2, "8000", "66.00")?,
        spot(us, oxide, 3, "10000", "67.25")?,
        spot(de, metal, -1, "2000", "79.50")?,
    ];
    let pending = spot(kr, metal, 1, "3000", "81.00")?;
    let spot_past = step(
        db,
        "add-on and spot orders, confirmed against ATP",
        |conn| {
            let mut ids = Vec::new();
            for new in confirmed {
                let o = ops::orders::create(conn, a, new)?;
                ops::orders::confirm(conn, a, o.id, &any, &none)?;
                ids.push(o.id);
            }
            let p = ops::orders::create(conn, a, pending)?;
            ops::orders::submit(conn, a, p.id, &any, &none)?;
            Ok(ids[3])
        },
    )?;

    // An export licence for samarium to the US buyer, valid for the whole demo window.
    let licence = step(db, "an export licence for samarium", |conn| {
        let l = ops::licences::create(
            conn,
            a,
            NewLicence {
                number: format!("MOFCOM-{}-00417", t.year()),
                product_id: samarium,
                customer_id: us,
                quantity_kg: Kg::from_grams(24_000_000),
                valid_from: today - Duration::days(365),
                valid_to: today + Duration::days(200),
            },
        )?;
        Ok(l.id)
    })?;

    // Shipments in every state.
    let lot = |n: &str, kgs: &str| -> anyhow::Result<Vec<Lot>> {
        Ok(vec![Lot {
            lot_number: n.into(),
            quantity_kg: kg(kgs)?,
            assay: Some(
                [("TREO_pct", "99.6"), ("Pr6O11_pct", "24.9")]
                    .into_iter()
                    .map(|(k, v)| Ok((k.to_string(), parse(serde_json::Value::String(v.into()))?)))
                    .collect::<anyhow::Result<_>>()?,
            ),
        }])
    };
    let ship_req = |days_ago: i64, vessel: &str| ShipRequest {
        shipped_on: today - Duration::days(days_ago),
        transport_mode: None,
        vessel: Some(vessel.into()),
        voyage: Some("042E".into()),
        bl_number: Some(format!("COSU{}", 6_100_000 + days_ago)),
        air_waybill: None,
        flight: None,
        consignment_note: None,
        containers: vec!["CSNU1234567".into(), "TGHU7654321".into()],
        export_licence_id: None,
    };
    let for_contract = |contract,
                        off: i32,
                        kgs: &str,
                        lots: Vec<Lot>,
                        date: NaiveDate,
                        licence|
     -> anyhow::Result<NewShipment> {
        Ok(NewShipment {
            transport_mode: None,
            order_id: None,
            contract_id: Some(contract),
            period: Some(m(off)),
            quantity_kg: kg(kgs)?,
            lots,
            planned_ship_date: date,
            export_licence_id: licence,
        })
    };
    let mut delivered = Vec::new();
    for off in -6..=-2 {
        delivered.push((
            for_contract(
                c_jp,
                off,
                "20000",
                lot(&format!("BT-{}-A", m(off)), "20000")?,
                m(off).first_day(),
                None,
            )?,
            i64::from(-off),
        ));
    }
    let last_month = for_contract(
        c_jp,
        -1,
        "19500",
        lot("BT-LAST-A", "19500")?,
        today - Duration::days(10),
        None,
    )?;
    let this_month = for_contract(
        c_jp,
        0,
        "20000",
        lot("BT-NOW-A", "20000")?,
        today + Duration::days(7),
        None,
    )?;
    // Last month's oxide to Hamburg on the index: one lot below the TREO minimum.
    let index_shipped = for_contract(
        c_de,
        -1,
        "5000",
        vec![
            Lot {
                lot_number: "BT-DE-1".into(),
                quantity_kg: kg("3000")?,
                assay: Some(std::collections::BTreeMap::from([(
                    "TREO_pct".to_string(),
                    parse(serde_json::json!("99.3"))?,
                )])),
            },
            Lot {
                lot_number: "BT-DE-2".into(),
                quantity_kg: kg("2000")?,
                assay: Some(std::collections::BTreeMap::from([(
                    "TREO_pct".to_string(),
                    parse(serde_json::json!("98.85"))?,
                )])),
            },
        ],
        today - Duration::days(5),
        None,
    )?;
    let to_cancel = for_contract(
        c_de,
        0,
        "5000",
        lot("BT-DE-X", "5000")?,
        today + Duration::days(3),
        None,
    )?;
    let mut samarium_ships = Vec::new();
    for off in -4..=-1 {
        samarium_ships.push((
            for_contract(
                c_us,
                off,
                "3000",
                lot(&format!("SM-{}", m(off)), "3000")?,
                today,
                Some(licence),
            )?,
            i64::from(-off),
        ));
    }
    let past_order = NewShipment {
        transport_mode: None,
        order_id: Some(spot_past),
        contract_id: None,
        period: None,
        quantity_kg: kg("2000")?,
        lots: lot("MT-PAST", "2000")?,
        planned_ship_date: today - Duration::days(20),
        export_licence_id: None,
    };
    step(
        db,
        "shipments: delivered, shipped, planned and cancelled, settled provisionally or finally",
        |conn| {
            for (new, months_ago) in delivered {
                let s = ops::shipments::create(conn, a, new)?;
                ops::shipments::ship(
                    conn,
                    a,
                    s.id,
                    &any,
                    ship_req(months_ago * 30, "COSCO Shipping Aries"),
                )?;
                ops::shipments::deliver(
                    conn,
                    a,
                    s.id,
                    &any,
                    &DeliverRequest {
                        delivered_on: today - Duration::days(months_ago * 30 - 12),
                    },
                )?;
                // A fixed price is final from the start: the delivered months are settled.
                ops::settlements::finalise(conn, a, s.id, &any)?;
            }
            let s = ops::shipments::create(conn, a, index_shipped)?;
            ops::shipments::ship(conn, a, s.id, &any, ship_req(5, "Maersk Hamburg"))?;
            let s = ops::shipments::create(conn, a, last_month)?;
            ops::shipments::ship(conn, a, s.id, &any, ship_req(8, "ONE Harmony"))?;
            ops::shipments::create(conn, a, this_month)?;
            let s = ops::shipments::create(conn, a, to_cancel)?;
            ops::shipments::cancel(
                conn,
                a,
                s.id,
                &any,
                &ActionRequest {
                    reason: Some("vessel slot lost; rebooked".into()),
                    atp_override: false,
                },
            )?;
            for (new, months_ago) in samarium_ships {
                let s = ops::shipments::create(conn, a, new)?;
                ops::shipments::ship(
                    conn,
                    a,
                    s.id,
                    &any,
                    ship_req(months_ago * 25, "Evergreen Ever Given"),
                )?;
            }
            let s = ops::shipments::create(conn, a, past_order)?;
            ops::shipments::ship(conn, a, s.id, &any, ship_req(18, "HMM Algeciras"))?;
            ops::shipments::deliver(
                conn,
                a,
                s.id,
                &any,
                &DeliverRequest {
                    delivered_on: today - Duration::days(2),
                },
            )?;
            Ok(())
        },
    )?;

    // The plants cut NdPr oxide for three months: approved plans are facts, so orders go at risk.
    let cut = (1..=3)
        .map(|off| {
            Ok(PlanLine {
                product_id: oxide,
                period: m(off),
                planned_kg: kg("5000")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    step(db, "a plan revision that cuts NdPr oxide", |conn| {
        let plan = ops::plans::create(
            conn,
            a,
            NewPlan {
                note: "Furnace relining at the oxide plant".into(),
                lines: cut,
            },
        )?;
        let approval = ops::plans::approve(conn, a, plan.id, &any, &ActionBody::default())?;
        Ok(approval
            .impact
            .products
            .first()
            .map_or(0, |p| p.orders_at_risk.len()))
    })
}
