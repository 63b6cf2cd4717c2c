//! The contract list (filters kept in the address, a one-line pricing summary and a fulfilment
//! bar from the list's own totals), from the same operation as `GET /api/v1/contracts`. The
//! contract page is in `contract`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::page;
use super::view;
use crate::domain::contract::Contract;
use crate::domain::customer::Customer;
use crate::domain::lifecycle::ContractStatus;
use crate::domain::product::Product;
use crate::domain::KgAmount;
use crate::domain::{CustomerId, ProductId};
use crate::error::DeskError;
use crate::error::OpError;
use crate::extract::DeskSession;
use crate::layout::User;
use crate::ops::contracts::{self, ContractFilter};
use crate::ops::Conn;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    customer_id: Option<String>,
    cursor: Option<String>,
}

pub struct Choice {
    pub id: String,
    pub code: String,
    pub name: String,
}

pub struct ContractRow {
    pub id: String,
    pub number: String,
    pub customer: String,
    pub product: String,
    pub months: String,
    pub pricing: String,
    pub status: &'static str,
    pub due: String,
    pub delivered: String,
    pub delivered_pct: u32,
}

#[derive(askama::Template)]
#[template(path = "contracts.html")]
struct ContractsPage {
    user: User,
    statuses: Vec<&'static str>,
    status: String,
    customers: Vec<Choice>,
    customer_id: String,
    rows: Vec<ContractRow>,
    next_href: Option<String>,
    /// This page of the list as the API's CSV.
    csv_href: String,
}

/// Names of customers and products by id, for the rows.
type Names = (HashMap<CustomerId, Customer>, HashMap<ProductId, Product>);

fn names(conn: &mut Conn) -> Result<Names, OpError> {
    use crate::ops::master::customer::CustomerFilter;
    use crate::ops::master::product::ProductFilter;
    let customers = crate::ops::master::customer::list(
        conn,
        &CustomerFilter {
            limit: Some(500),
            ..Default::default()
        },
    )?;
    let products = crate::ops::master::product::list(
        conn,
        &ProductFilter {
            limit: Some(500),
            ..Default::default()
        },
    )?;
    Ok((
        customers.items.into_iter().map(|c| (c.id, c)).collect(),
        products.items.into_iter().map(|p| (p.id, p)).collect(),
    ))
}

fn party<K: std::hash::Hash + Eq + std::fmt::Display, T>(
    map: &HashMap<K, T>,
    id: K,
    show: impl Fn(&T) -> String,
) -> String {
    map.get(&id).map(show).unwrap_or_else(|| id.to_string())
}

/// Whole percent of `part` in `whole`, 0–100.
fn percent(part: KgAmount, whole: KgAmount) -> u32 {
    let whole = whole.display();
    if whole <= Decimal::ZERO {
        return 0;
    }
    (part.display() * Decimal::from(100) / whole)
        .floor()
        .to_u32()
        .unwrap_or(0)
        .min(100)
}

fn row(c: &Contract, (customers, products): &Names) -> ContractRow {
    let totals = c.fulfilment.clone();
    let (due, delivered) = totals
        .map(|t| (t.due_kg, t.delivered_kg))
        .unwrap_or((KgAmount::from_grams(0), KgAmount::from_grams(0)));
    ContractRow {
        id: c.id.to_string(),
        number: c.number.clone(),
        customer: party(customers, c.customer_id, |x| {
            format!("{} — {}", x.code, x.name)
        }),
        product: party(products, c.product_id, |x| x.code.clone()),
        months: format!("{} to {}", c.start_period, c.end_period),
        pricing: view::pricing_summary(&c.pricing, &c.currency),
        status: c.status.as_str(),
        due: view::kg(due.display()),
        delivered: view::kg(delivered.display()),
        delivered_pct: percent(delivered, due),
    }
}

#[get("/contracts")]
pub async fn contracts_page(
    session: DeskSession,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, DeskError> {
    let q = query.into_inner();
    let status_text = q.status.clone().unwrap_or_default();
    let customer_text = q.customer_id.clone().unwrap_or_default();
    let filter = ContractFilter {
        limit: Some(50),
        cursor: q.cursor.clone().filter(|c| !c.is_empty()),
        status: ContractStatus::parse(&status_text),
        customer_id: CustomerId::parse(&customer_text),
        ..Default::default()
    };
    let (found, names) = state
        .db
        .read(move |c| Ok((contracts::list(c, &filter)?, names(c)?)))
        .await?;
    let rows = found.items.iter().map(|c| row(c, &names)).collect();
    let csv_href = {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        s.append_pair("limit", "50");
        for (name, value) in [
            ("status", &status_text),
            ("customer_id", &customer_text),
            ("cursor", &q.cursor.clone().unwrap_or_default()),
        ] {
            if !value.is_empty() {
                s.append_pair(name, value);
            }
        }
        format!("/contracts.csv?{}", s.finish())
    };
    let next_href = found.next_cursor.as_ref().map(|cursor| {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        s.append_pair("status", &status_text)
            .append_pair("customer_id", &customer_text)
            .append_pair("cursor", cursor);
        format!("/contracts?{}", s.finish())
    });
    let mut customers: Vec<Choice> = names
        .0
        .values()
        .map(|c| Choice {
            id: c.id.to_string(),
            code: c.code.clone(),
            name: c.name.clone(),
        })
        .collect();
    customers.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(page::render(
        StatusCode::OK,
        &ContractsPage {
            user: User::of(&session),
            statuses: ContractStatus::ALL.iter().map(|s| s.as_str()).collect(),
            status: status_text,
            customers,
            customer_id: customer_text,
            rows,
            next_href,
            csv_href,
        },
    ))
}
