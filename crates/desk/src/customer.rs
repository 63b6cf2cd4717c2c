//! `/customers/{id}`: one customer at a glance — its contracts, open orders, latest shipments,
//! what is due and late, and its committed kilograms by pricing status — each list linking to
//! the full worklist filtered to this customer.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use rust_decimal::Decimal;

use crate::domain::fulfilment::DeliveryStatus;
use crate::domain::lifecycle::OrderType;
use crate::domain::CustomerId;
use crate::error::DeskError;
use crate::exposure_table::{self, ExposureLine};
use crate::extract::{DeskPath, DeskSession};
use crate::layout::User;
use crate::ops::customer_overview::{self, CustomerOverview, LATE_MONTHS};
use crate::ops::Capabilities;
use crate::page;
use crate::state::AppState;
use crate::view;

pub struct Line {
    pub href: String,
    pub number: String,
    pub cells: Vec<String>,
    pub late: bool,
}

/// One of the page's lists: its rows, how many there are in all, and the full worklist.
pub struct Section {
    pub rows: Vec<Line>,
    pub total: i64,
    pub all_href: String,
}

#[derive(askama::Template)]
#[template(path = "customer.html")]
struct CustomerPage {
    user: User,
    code: String,
    name: String,
    country: String,
    external_ref: String,
    status: String,
    id: String,
    can_order: bool,
    contracts: Section,
    orders: Section,
    shipments: Section,
    due: Vec<Line>,
    late: usize,
    due_href: String,
    exposure: Vec<ExposureLine>,
    months: String,
    late_months: i32,
}

fn sections(o: &CustomerOverview) -> (Section, Section, Section) {
    let id = o.customer.id;
    let contracts = Section {
        total: o.contracts.total,
        all_href: format!("/contracts?customer_id={id}"),
        rows: o
            .contracts
            .items
            .iter()
            .map(|l| {
                let c = &l.contract;
                Line {
                    href: format!("/contracts/{}", c.id),
                    number: c.number.clone(),
                    cells: vec![
                        l.product_code.clone(),
                        format!("{} to {}", c.start_period, c.end_period),
                        view::pricing_summary(&c.pricing, &c.currency),
                        view::status(c.status.as_str()),
                    ],
                    late: false,
                }
            })
            .collect(),
    };
    let orders = Section {
        total: o.open_orders.total,
        all_href: format!("/orders?customer_id={id}&sort=month&dir=asc"),
        rows: o
            .open_orders
            .items
            .iter()
            .map(|l| {
                let x = &l.order;
                Line {
                    href: format!("/orders/{}", x.id),
                    number: x.number.clone(),
                    cells: vec![
                        match x.order_type {
                            OrderType::Spot => "spot".into(),
                            OrderType::AddOn => "add-on".into(),
                        },
                        l.product_code.clone(),
                        view::month(x.period),
                        view::kg_of(x.quantity_kg),
                        view::status(x.status.as_str()),
                    ],
                    late: false,
                }
            })
            .collect(),
    };
    let shipments = Section {
        total: o.shipments.total,
        all_href: format!("/shipments?customer_id={id}"),
        rows: o
            .shipments
            .items
            .iter()
            .map(|l| {
                let s = &l.shipment;
                Line {
                    href: format!("/shipments/{}", s.id),
                    number: s.number.clone(),
                    cells: vec![
                        l.delivers.clone(),
                        l.product_code.clone(),
                        view::month(s.period),
                        view::kg_of(s.quantity_kg),
                        view::status(s.status.as_str()),
                    ],
                    late: false,
                }
            })
            .collect(),
    };
    (contracts, orders, shipments)
}

fn due_lines(o: &CustomerOverview) -> Vec<Line> {
    o.due
        .iter()
        .map(|d| {
            let open = d.due_kg.display() - d.shipped_kg.display();
            Line {
                href: match (d.order_id, d.contract_id) {
                    (Some(x), _) => format!("/orders/{x}"),
                    (None, Some(c)) => format!("/contracts/{c}"),
                    (None, None) => String::new(),
                },
                number: d.number.clone(),
                cells: vec![
                    view::month(d.period),
                    view::kg(d.due_kg.display()),
                    view::kg(open.max(Decimal::ZERO)),
                    match d.status {
                        DeliveryStatus::Late => "Late".into(),
                        s => view::status(s.as_str()),
                    },
                ],
                late: d.status == DeliveryStatus::Late,
            }
        })
        .collect()
}

#[get("/customers/{id}")]
pub async fn customer_page(
    session: DeskSession,
    state: web::Data<AppState>,
    id: DeskPath<CustomerId>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let current = crate::domain::clock::current_period();
    let reads = state.reads.clone();
    let o = state
        .db
        .read(move |c| {
            reads.get_or_compute(c, &format!("customer:{id}:{current}"), |c| {
                customer_overview::overview(c, id, current)
            })
        })
        .await?;
    let (contracts, orders, shipments) = sections(&o);
    let due = due_lines(&o);
    let c = &o.customer;
    Ok(page::render(
        StatusCode::OK,
        &CustomerPage {
            user: User::of(&session),
            code: c.code.clone(),
            name: c.name.clone(),
            country: c.country.clone(),
            external_ref: c.external_ref.clone().unwrap_or_default(),
            status: view::text(&c.status),
            id: c.id.to_string(),
            can_order: Capabilities::of(&session.actor).enter_orders,
            contracts,
            orders,
            shipments,
            late: due.iter().filter(|d| d.late).count(),
            due,
            due_href: format!(
                "/deliveries?customer_id={}&from={}&to={}",
                c.id,
                current.plus(-LATE_MONTHS),
                o.to
            ),
            exposure: exposure_table::lines(&o.exposure.rows, None),
            months: format!("{} to {}", view::month(o.from), view::month(o.to)),
            late_months: LATE_MONTHS,
        },
    ))
}
