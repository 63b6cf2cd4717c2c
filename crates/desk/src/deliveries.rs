//! `/deliveries`: what is due, shipped and delivered per month — filters (customer, product,
//! status, kind, months), sorting by any column and numbered pages, all in the address; late rows
//! say "Late" in words. The rows come from the same operation as `GET /api/v1/deliveries`
//! (a few months of the schedule, sorted and paged here); its CSV is the API's.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use super::page;
use super::view;
use crate::domain::fulfilment::DeliveryStatus;
use crate::domain::worklist::{DeliverySort, Direction, Worklist};
use crate::domain::{CustomerId, Period, ProductId};
use crate::error::{DeskError, OpError};
use crate::extract::{DeskQuery, DeskSession};
use crate::layout::User;
use crate::ops::deliveries::{self, Delivery, DeliveryQuery};
use crate::ops::names::Names;
use crate::ops::Conn;
use crate::state::AppState;
use crate::worklist::{choices, csv_href, parties, Choice, Column, ListState, Pager, SortHeader};

const FILTERS: [&str; 6] = ["customer_id", "product_id", "status", "kind", "from", "to"];

/// The filters `GET /api/v1/deliveries.csv` knows besides the months.
const API_FILTERS: [&str; 3] = ["customer_id", "product_id", "status"];

const COLUMNS: [Column; 8] = [
    ("month", "Month", false),
    ("number", "Commitment", false),
    ("customer", "Customer", false),
    ("product", "Product", false),
    ("due", "Due (kg)", true),
    ("shipped", "Shipped (kg)", true),
    ("delivered", "Delivered (kg)", true),
    ("status", "Status", false),
];

/// The kinds of commitment.
const KINDS: [(&str, &str); 3] = [
    ("contract", "contract month"),
    ("spot", "spot order"),
    ("add_on", "add-on order"),
];

pub struct Row {
    pub month: String,
    pub kind: String,
    pub number: String,
    pub href: String,
    pub customer_id: String,
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
    customers: Vec<Choice>,
    products: Vec<Choice>,
    statuses: Vec<Choice>,
    kinds: Vec<Choice>,
    filtered: bool,
    headers: Vec<SortHeader>,
    rows: Vec<Row>,
    pager: Pager,
    csv_href: String,
}

/// The months shown: as asked, else two months back to three ahead.
fn range_of(list: &ListState) -> (Period, Period) {
    let current = crate::domain::clock::current_period();
    let from = Period::parse(list.get("from")).unwrap_or(current.plus(-2));
    let to = Period::parse(list.get("to")).unwrap_or(current.plus(3));
    (from, to)
}

/// A delivery with the names its row shows.
struct Named {
    d: Delivery,
    customer: String,
    product: String,
}

fn ordering(sort: DeliverySort) -> impl Fn(&Named, &Named) -> std::cmp::Ordering {
    move |a, b| {
        let by = match sort {
            DeliverySort::Month => a.d.period.cmp(&b.d.period),
            DeliverySort::Number => a.d.number.cmp(&b.d.number),
            DeliverySort::Customer => a.customer.cmp(&b.customer),
            DeliverySort::Product => a.product.cmp(&b.product),
            DeliverySort::Due => a.d.due_kg.cmp(&b.d.due_kg),
            DeliverySort::Shipped => a.d.shipped_kg.cmp(&b.d.shipped_kg),
            DeliverySort::Delivered => a.d.delivered_kg.cmp(&b.d.delivered_kg),
            DeliverySort::Status => a.d.status.as_str().cmp(b.d.status.as_str()),
        };
        by.then_with(|| a.d.period.cmp(&b.d.period))
            .then_with(|| a.d.number.cmp(&b.d.number))
    }
}

/// The schedule of the months asked, each row with its names (kept until the data changes).
fn named(c: &mut Conn, q: &DeliveryQuery) -> Result<Vec<Named>, OpError> {
    let mut names = Names::default();
    deliveries::schedule(c, q)?
        .items
        .into_iter()
        .map(|d| {
            Ok(Named {
                customer: names.customer(c, d.customer_id)?.label(),
                product: names.product(c, d.product_id)?,
                d,
            })
        })
        .collect()
}

/// The page of the schedule the list asks for: of one kind when given, sorted, paged.
fn page_of<'a>(all: &'a [Named], kind: &str, list: &ListState) -> Worklist<&'a Named> {
    let rows: Vec<&Named> = all
        .iter()
        .filter(|n| kind.is_empty() || n.d.kind == kind)
        .collect();
    let order = ordering(DeliverySort::parse(&list.sort).unwrap_or_default());
    let dir = list.dir;
    Worklist::of_all(rows, list.paging, move |a, b| match dir {
        Direction::Asc => order(a, b),
        Direction::Desc => order(b, a),
    })
}

fn row(n: &Named) -> Row {
    let d = &n.d;
    Row {
        month: view::month(d.period),
        kind: d.kind.replace('_', "-"),
        number: d.number.clone(),
        href: match (d.order_id, d.contract_id) {
            (Some(o), _) => format!("/orders/{o}"),
            (None, Some(c)) => format!("/contracts/{c}"),
            (None, None) => "/".into(),
        },
        customer_id: d.customer_id.to_string(),
        customer: n.customer.clone(),
        product: n.product.clone(),
        due: view::kg(d.due_kg.display()),
        shipped: view::kg(d.shipped_kg.display()),
        delivered: view::kg(d.delivered_kg.display()),
        status: match d.status {
            DeliveryStatus::Late => "Late".into(),
            other => view::status(other.as_str()),
        },
        late: d.status == DeliveryStatus::Late,
    }
}

#[get("/deliveries")]
pub async fn deliveries_page(
    session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    let list = ListState::read(
        "/deliveries",
        &query.0,
        &FILTERS,
        &COLUMNS,
        ("month", Direction::Asc),
    );
    let (from, to) = range_of(&list);
    let q = DeliveryQuery {
        from,
        to,
        customer_id: CustomerId::parse(list.get("customer_id")),
        product_id: ProductId::parse(list.get("product_id")),
        status: DeliveryStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == list.get("status")),
    };
    let key = format!(
        "deliveries:{}:{}:{:?}:{:?}:{:?}",
        q.from, q.to, q.customer_id, q.product_id, q.status
    );
    let reads = state.reads.clone();
    let (all, (customers, products)) = state
        .db
        .read(move |c| {
            Ok((
                reads.get_or_compute(c, &key, |c| named(c, &q))?,
                parties(c)?,
            ))
        })
        .await?;
    let found = page_of(&all, list.get("kind"), &list);
    // The download covers the months shown, asked for or not.
    let (from_text, to_text) = (from.to_string(), to.to_string());
    let csv = csv_href(
        "/deliveries.csv",
        &list,
        &API_FILTERS,
        &[("from", &from_text), ("to", &to_text)],
    );
    Ok(page::render(
        StatusCode::OK,
        &DeliveriesPage {
            user: User::of(&session),
            from: from.to_string(),
            to: to.to_string(),
            customers: choices(customers, list.get("customer_id")),
            products: choices(products, list.get("product_id")),
            statuses: choices(
                DeliveryStatus::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), view::status(s.as_str()))),
                list.get("status"),
            ),
            kinds: choices(
                KINDS.iter().map(|(v, l)| (v.to_string(), l.to_string())),
                list.get("kind"),
            ),
            filtered: list.filtered(),
            headers: list.headers(&COLUMNS),
            rows: found.items.iter().map(|n| row(n)).collect(),
            pager: list.pager(found.total, found.pages()),
            csv_href: csv,
        },
    ))
}

/// The table as CSV: the same document as `GET /api/v1/deliveries.csv`.
#[get("/deliveries.csv")]
pub async fn deliveries_csv(
    session: DeskSession,
    state: web::Data<AppState>,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, DeskError> {
    let q = query.into_inner();
    super::list_csv::download(session, state, move |c, _| {
        deliveries::schedule(c, &q)?.csv(c)
    })
    .await
}
