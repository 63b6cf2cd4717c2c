//! `/orders`: the order worklist — filters (status, type, customer, product, contract, months),
//! a search by number or ERP reference, sorting by any column and numbered pages, all in the
//! address; each row links to its order, customer and contract.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use crate::domain::lifecycle::{OrderStatus, OrderType};
use crate::domain::order::OrderFilter;
use crate::domain::worklist::{Direction, OrderSort};
use crate::domain::{ContractId, CustomerId, Period, ProductId};
use crate::error::{DeskError, OpError};
use crate::extract::{DeskQuery, DeskSession};
use crate::layout::User;
use crate::ops::orders::{OrderListing, OrderSearch};
use crate::ops::Conn;
use crate::page;
use crate::state::AppState;
use crate::view;
use crate::worklist::{choices, parties, Choice, Column, ListState, Options, Pager, SortHeader};

/// The worklist's filters, in the order of the address.
const FILTERS: [&str; 9] = [
    "q",
    "status",
    "risk",
    "order_type",
    "customer_id",
    "product_id",
    "contract_id",
    "from",
    "to",
];

const COLUMNS: [Column; 8] = [
    ("number", "Order", false),
    ("type", "Type", false),
    ("customer", "Customer", false),
    ("product", "Product", false),
    ("month", "Delivery month", false),
    ("quantity", "Quantity (kg)", true),
    ("status", "Status", false),
    ("updated", "Last change", false),
];

/// The statuses "waiting for confirmation" groups.
pub const WAITING: &str = "waiting";

/// The `risk` filter's one value: confirmed orders that would have to go to clear a short
/// month in the delivery months asked (six months from now when none are asked).
pub const AT_RISK: &str = "at_risk";

/// How many months the at-risk filter looks ahead when no delivery months are asked.
const AT_RISK_MONTHS: i32 = 6;

pub struct OrderRow {
    pub id: String,
    pub number: String,
    pub kind: &'static str,
    pub customer_id: String,
    pub customer: String,
    pub product: String,
    pub month: String,
    pub quantity: String,
    pub status: String,
    pub contract: Option<(String, String)>,
    pub updated: String,
}

#[derive(askama::Template)]
#[template(path = "orders.html")]
struct OrdersPage {
    user: User,
    q: String,
    statuses: Vec<Choice>,
    types: Vec<Choice>,
    customers: Vec<Choice>,
    products: Vec<Choice>,
    contracts: Vec<Choice>,
    at_risk: bool,
    from: String,
    to: String,
    filtered: bool,
    headers: Vec<SortHeader>,
    rows: Vec<OrderRow>,
    pager: Pager,
    csv_href: String,
}

fn row(l: &OrderListing) -> OrderRow {
    let o = &l.order;
    OrderRow {
        id: o.id.to_string(),
        number: o.number.clone(),
        kind: match o.order_type {
            OrderType::Spot => "Spot",
            OrderType::AddOn => "Add-on",
        },
        customer_id: o.customer_id.to_string(),
        customer: l.customer.label(),
        product: l.product_code.clone(),
        month: view::month(o.period),
        quantity: view::kg_of(o.quantity_kg),
        status: view::status(o.status.as_str()),
        contract: o
            .contract_id
            .zip(l.contract_number.clone())
            .map(|(id, n)| (id.to_string(), n)),
        updated: o.updated_at.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The filter and search the address describes; values that name nothing are ignored, so a
/// shared link never fails.
fn search_of(state: &ListState) -> (OrderFilter, OrderSearch) {
    let status = state.get("status");
    let statuses = if status == WAITING {
        vec![OrderStatus::Draft, OrderStatus::Submitted]
    } else {
        OrderStatus::parse(status).into_iter().collect()
    };
    let filter = OrderFilter {
        order_type: OrderType::parse(state.get("order_type")),
        customer_id: CustomerId::parse(state.get("customer_id")),
        product_id: ProductId::parse(state.get("product_id")),
        contract_id: ContractId::parse(state.get("contract_id")),
        from: Period::parse(state.get("from")),
        to: Period::parse(state.get("to")),
        ..Default::default()
    };
    let search = OrderSearch {
        statuses,
        only: None,
        q: Some(state.get("q").to_string()).filter(|q| !q.is_empty()),
        sort: OrderSort::parse(&state.sort).unwrap_or_default(),
        dir: state.dir,
        paging: state.paging,
    };
    (filter, search)
}

/// The orders at risk in the filter's delivery months (the next six when none are given).
fn at_risk_orders(c: &mut Conn, f: &OrderFilter) -> Result<Vec<crate::domain::OrderId>, OpError> {
    let now = crate::domain::clock::current_period();
    let (from, to) = match (f.from, f.to) {
        (Some(from), Some(to)) => (from.min(to), to.max(from)),
        (Some(from), None) => (from, from.plus(AT_RISK_MONTHS - 1)),
        (None, Some(to)) => (now.min(to), to),
        (None, None) => (now, now.plus(AT_RISK_MONTHS - 1)),
    };
    let found = crate::ops::reconciliation::orders_at_risk(
        c,
        &crate::ops::reconciliation::AtRiskQuery {
            from,
            to,
            product_id: f.product_id,
        },
    )?;
    let mut ids: Vec<_> = found.items.iter().map(|o| o.order_id).collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// What the filters offer: customers and products (see `worklist::parties`), and contracts.
fn options(c: &mut Conn) -> Result<(Options, Options, Options), OpError> {
    let (customers, products) = parties(c)?;
    let contracts = crate::ops::contracts::labels(c, None)?
        .into_iter()
        .map(|x| (x.id.to_string(), x.number))
        .collect();
    Ok((customers, products, contracts))
}

#[get("/orders")]
pub async fn orders_page(
    session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    let list = ListState::read(
        "/orders",
        &query.0,
        &FILTERS,
        &COLUMNS,
        ("updated", Direction::Desc),
    );
    let (filter, search) = search_of(&list);
    let at_risk = list.get("risk") == AT_RISK;
    // A view of the list, and what its filters offer, kept until the data changes.
    let key = format!(
        "orders:{}",
        list.href_with(&list.sort, list.dir, list.paging.page)
    );
    let reads = state.reads.clone();
    let page = state
        .db
        .read(move |c| {
            reads.get_or_compute(c, &key, |c| {
                let only = if at_risk {
                    Some(at_risk_orders(c, &filter)?)
                } else {
                    None
                };
                let search = OrderSearch {
                    only,
                    ..search.clone()
                };
                Ok((
                    crate::ops::orders::worklist(c, &filter, &search)?,
                    options(c)?,
                ))
            })
        })
        .await?;
    let (found, (customers, products, contracts)) = &*page;
    let (customers, products, contracts) = (customers.clone(), products.clone(), contracts.clone());
    let status_options = std::iter::once((
        WAITING.to_string(),
        "waiting for confirmation (draft or submitted)".to_string(),
    ))
    .chain(
        OrderStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), view::status(s.as_str()))),
    );
    let mut csv = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in list.filter_pairs() {
        let desk_only = (*name == "status" && value == WAITING) || *name == "risk";
        if !desk_only && *name != "q" {
            csv.append_pair(name, value);
        }
    }
    csv.append_pair("limit", "500");
    Ok(page::render(
        StatusCode::OK,
        &OrdersPage {
            user: User::of(&session),
            q: list.get("q").to_string(),
            statuses: choices(status_options, list.get("status")),
            types: choices(
                [
                    ("spot".to_string(), "spot".to_string()),
                    ("add_on".to_string(), "add-on".to_string()),
                ],
                list.get("order_type"),
            ),
            customers: choices(customers, list.get("customer_id")),
            products: choices(products, list.get("product_id")),
            contracts: choices(contracts, list.get("contract_id")),
            at_risk,
            from: list.get("from").to_string(),
            to: list.get("to").to_string(),
            filtered: list.filtered(),
            headers: list.headers(&COLUMNS),
            rows: found.items.iter().map(row).collect(),
            pager: list.pager(found.total, found.pages()),
            csv_href: format!("/orders.csv?{}", csv.finish()),
        },
    ))
}
