//! `/contracts`: the contract worklist — filters (status, customer, product, term), a search by
//! number or ERP reference, sorting by any column and numbered pages, all in the address; each
//! row with its pricing in one line and a fulfilment bar from its own totals. The contract page
//! is in `contract`.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::page;
use super::view;
use crate::domain::contract::ContractFilter;
use crate::domain::lifecycle::ContractStatus;
use crate::domain::worklist::{ContractSort, Direction};
use crate::domain::KgAmount;
use crate::domain::{CustomerId, Period, ProductId};
use crate::error::DeskError;
use crate::extract::{DeskQuery, DeskSession};
use crate::layout::User;
use crate::ops::contracts::{ContractListing, ContractSearch};
use crate::state::AppState;
use crate::worklist::{choices, csv_href, parties, Choice, Column, ListState, Pager, SortHeader};

const FILTERS: [&str; 6] = ["q", "status", "customer_id", "product_id", "from", "to"];

/// The filters `GET /api/v1/contracts.csv` knows.
const API_FILTERS: [&str; 5] = ["status", "customer_id", "product_id", "from", "to"];

const COLUMNS: [Column; 7] = [
    ("number", "Contract", false),
    ("customer", "Customer", false),
    ("product", "Product", false),
    ("start", "From", false),
    ("end", "To", false),
    ("status", "Status", false),
    ("updated", "Last change", false),
];

pub struct ContractRow {
    pub id: String,
    pub number: String,
    pub customer_id: String,
    pub customer: String,
    pub product: String,
    pub start: String,
    pub end: String,
    pub pricing: String,
    pub status: String,
    pub updated: String,
    pub due: String,
    pub delivered: String,
    pub delivered_pct: u32,
}

#[derive(askama::Template)]
#[template(path = "contracts.html")]
struct ContractsPage {
    user: User,
    q: String,
    statuses: Vec<Choice>,
    customers: Vec<Choice>,
    products: Vec<Choice>,
    from: String,
    to: String,
    filtered: bool,
    headers: Vec<SortHeader>,
    rows: Vec<ContractRow>,
    pager: Pager,
    csv_href: String,
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

fn row(l: &ContractListing) -> ContractRow {
    let c = &l.contract;
    let (due, delivered) = c
        .fulfilment
        .clone()
        .map(|t| (t.due_kg, t.delivered_kg))
        .unwrap_or((KgAmount::from_grams(0), KgAmount::from_grams(0)));
    ContractRow {
        id: c.id.to_string(),
        number: c.number.clone(),
        customer_id: c.customer_id.to_string(),
        customer: l.customer.label(),
        product: l.product_code.clone(),
        start: c.start_period.to_string(),
        end: c.end_period.to_string(),
        pricing: view::pricing_summary(&c.pricing, &c.currency),
        status: view::status(c.status.as_str()),
        updated: c.updated_at.format("%Y-%m-%d %H:%M").to_string(),
        due: view::kg(due.display()),
        delivered: view::kg(delivered.display()),
        delivered_pct: percent(delivered, due),
    }
}

/// The filter and search the address describes; values that name nothing are ignored.
fn search_of(list: &ListState) -> (ContractFilter, ContractSearch) {
    let filter = ContractFilter {
        status: ContractStatus::parse(list.get("status")),
        customer_id: CustomerId::parse(list.get("customer_id")),
        product_id: ProductId::parse(list.get("product_id")),
        from: Period::parse(list.get("from")),
        to: Period::parse(list.get("to")),
        ..Default::default()
    };
    let search = ContractSearch {
        q: Some(list.get("q").to_string()),
        sort: ContractSort::parse(&list.sort).unwrap_or_default(),
        dir: list.dir,
        paging: list.paging,
    };
    (filter, search)
}

#[get("/contracts")]
pub async fn contracts_page(
    session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    let list = ListState::read(
        "/contracts",
        &query.0,
        &FILTERS,
        &COLUMNS,
        ("number", Direction::Asc),
    );
    let (filter, search) = search_of(&list);
    // The page's fulfilment totals are the costly part: kept until the data changes.
    let key = format!(
        "contracts:{}",
        list.href_with(&list.sort, list.dir, list.paging.page)
    );
    let reads = state.reads.clone();
    let (found, (customers, products)) = state
        .db
        .read(move |c| {
            let found = reads.get_or_compute(c, &key, |c| {
                crate::ops::contracts::worklist(c, &filter, &search)
            })?;
            Ok((found, parties(c)?))
        })
        .await?;
    Ok(page::render(
        StatusCode::OK,
        &ContractsPage {
            user: User::of(&session),
            q: list.get("q").to_string(),
            statuses: choices(
                ContractStatus::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), view::status(s.as_str()))),
                list.get("status"),
            ),
            customers: choices(customers, list.get("customer_id")),
            products: choices(products, list.get("product_id")),
            from: list.get("from").to_string(),
            to: list.get("to").to_string(),
            filtered: list.filtered(),
            headers: list.headers(&COLUMNS),
            rows: found.items.iter().map(row).collect(),
            pager: list.pager(found.total, found.pages()),
            csv_href: csv_href("/contracts.csv", &list, &API_FILTERS, &[("limit", "500")]),
        },
    ))
}
