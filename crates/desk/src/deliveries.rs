//! What is due, shipped and delivered per month and customer, with late rows saying "Late" in
//! words, from the same operation as `GET /api/v1/deliveries`; its CSV is the API's.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;

use super::page;
use super::view;
use crate::domain::fulfilment::DeliveryStatus;
use crate::domain::Period;
use crate::domain::{CustomerId, ProductId};
use crate::error::DeskError;
use crate::error::OpError;
use crate::extract::DeskSession;
use crate::layout::User;
use crate::ops::deliveries::{self, DeliveryQuery, DeliverySchedule};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

pub struct Row {
    pub month: String,
    pub kind: String,
    pub number: String,
    pub href: String,
    pub customer: String,
    pub product: String,
    pub due: String,
    pub shipped: String,
    pub delivered: String,
    pub status: String,
    pub late: bool,
}

#[derive(askama::Template)]
#[template(path = "deliveries.html")]
struct DeliveriesPage {
    user: User,
    from: String,
    to: String,
    csv_href: String,
    rows: Vec<Row>,
}

fn range_of(r: &Range) -> (Period, Period) {
    let current = crate::domain::clock::current_period();
    let from = r
        .from
        .as_deref()
        .and_then(Period::parse)
        .unwrap_or(current.plus(-2));
    let to =
        r.to.as_deref()
            .and_then(Period::parse)
            .unwrap_or(current.plus(3));
    (from, to)
}

async fn load(
    state: &web::Data<AppState>,
    from: Period,
    to: Period,
) -> Result<
    (
        DeliverySchedule,
        HashMap<CustomerId, String>,
        HashMap<ProductId, String>,
    ),
    OpError,
> {
    state
        .db
        .read(move |c| {
            let schedule = deliveries::schedule(
                c,
                &DeliveryQuery {
                    from,
                    to,
                    customer_id: None,
                },
            )?;
            let mut customers = HashMap::new();
            let mut products = HashMap::new();
            for d in &schedule.items {
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    customers.entry(d.customer_id)
                {
                    let x: crate::domain::customer::Customer =
                        crate::ops::master::get(c, d.customer_id)?;
                    slot.insert(format!("{} — {}", x.code, x.name));
                }
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    products.entry(d.product_id)
                {
                    let x: crate::domain::product::Product =
                        crate::ops::master::get(c, d.product_id)?;
                    slot.insert(x.code);
                }
            }
            Ok((schedule, customers, products))
        })
        .await
}

#[get("/deliveries")]
pub async fn deliveries_page(
    session: DeskSession,
    state: web::Data<AppState>,
    range: web::Query<Range>,
) -> Result<HttpResponse, DeskError> {
    let (from, to) = range_of(&range);
    let (schedule, customers, products) = load(&state, from, to).await?;
    let rows = schedule
        .items
        .iter()
        .map(|d| Row {
            month: view::month(d.period),
            kind: d.kind.replace('_', "-"),
            number: d.number.clone(),
            href: match (d.order_id, d.contract_id) {
                (Some(o), _) => format!("/orders/{o}"),
                (None, Some(c)) => format!("/contracts/{c}"),
                (None, None) => "/".into(),
            },
            customer: customers.get(&d.customer_id).cloned().unwrap_or_default(),
            product: products.get(&d.product_id).cloned().unwrap_or_default(),
            due: view::kg(d.due_kg.display()),
            shipped: view::kg(d.shipped_kg.display()),
            delivered: view::kg(d.delivered_kg.display()),
            status: match d.status {
                DeliveryStatus::Late => "Late".into(),
                other => view::text(&other).replace('_', " "),
            },
            late: d.status == DeliveryStatus::Late,
        })
        .collect();
    Ok(page::render(
        StatusCode::OK,
        &DeliveriesPage {
            user: User::of(&session),
            from: from.to_string(),
            to: to.to_string(),
            csv_href: format!("/deliveries.csv?from={from}&to={to}"),
            rows,
        },
    ))
}

/// The table as CSV: the same document as `GET /api/v1/deliveries.csv`.
#[get("/deliveries.csv")]
pub async fn deliveries_csv(
    session: DeskSession,
    state: web::Data<AppState>,
    range: web::Query<Range>,
) -> Result<HttpResponse, DeskError> {
    let (from, to) = range_of(&range);
    super::list_csv::download(session, state, move |c, _| {
        let q = DeliveryQuery {
            from,
            to,
            customer_id: None,
        };
        Ok(deliveries::schedule(c, &q)?.csv())
    })
    .await
}
