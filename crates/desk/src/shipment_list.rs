//! `/shipments`: the shipment worklist — filters (status, mode, customer, product, months), a
//! search by number, sorting by any column and numbered pages, all in the address; each row
//! names its customer and the order or contract it delivers.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::shipment::{ShipmentFilter, TransportMode};
use crate::domain::worklist::{Direction, ShipmentSort};
use crate::domain::{CustomerId, Period, ProductId};
use crate::error::DeskError;
use crate::extract::{DeskQuery, DeskSession};
use crate::layout::User;
use crate::ops::shipments::{ShipmentListing, ShipmentSearch};
use crate::ops::Capabilities;
use crate::page;
use crate::shipments::{row, ShipmentRow, MODES};
use crate::state::AppState;
use crate::view;
use crate::worklist::{choices, csv_href, parties, Choice, Column, ListState, Pager, SortHeader};

const FILTERS: [&str; 7] = [
    "q",
    "status",
    "transport_mode",
    "customer_id",
    "product_id",
    "from",
    "to",
];

/// The filters `GET /api/v1/shipments.csv` knows.
const API_FILTERS: [&str; 6] = [
    "status",
    "transport_mode",
    "customer_id",
    "product_id",
    "from",
    "to",
];

const COLUMNS: [Column; 7] = [
    ("number", "Shipment", false),
    ("customer", "Customer", false),
    ("product", "Product", false),
    ("month", "Month", false),
    ("quantity", "kg", true),
    ("mode", "Mode", false),
    ("status", "Status", false),
];

pub struct ListedShipment {
    pub s: ShipmentRow,
    pub customer_id: String,
    pub customer: String,
    pub product: String,
    pub delivers: String,
    pub delivers_href: String,
}

#[derive(askama::Template)]
#[template(path = "shipments.html")]
struct ShipmentsPage {
    user: User,
    can_plan: bool,
    q: String,
    statuses: Vec<Choice>,
    modes: Vec<Choice>,
    customers: Vec<Choice>,
    products: Vec<Choice>,
    from: String,
    to: String,
    filtered: bool,
    headers: Vec<SortHeader>,
    rows: Vec<ListedShipment>,
    pager: Pager,
    csv_href: String,
}

fn listed(l: &ShipmentListing) -> ListedShipment {
    let x = &l.shipment;
    ListedShipment {
        s: row(x),
        customer_id: x.customer_id.to_string(),
        customer: l.customer.label(),
        product: l.product_code.clone(),
        delivers: l.delivers.clone(),
        delivers_href: match (x.order_id, x.contract_id) {
            (Some(o), _) => format!("/orders/{o}"),
            (None, Some(c)) => format!("/contracts/{c}"),
            (None, None) => String::new(),
        },
    }
}

/// The filter and search the address describes; values that name nothing are ignored.
fn search_of(list: &ListState) -> (ShipmentFilter, ShipmentSearch) {
    let filter = ShipmentFilter {
        status: ShipmentStatus::parse(list.get("status")),
        transport_mode: TransportMode::parse(list.get("transport_mode")),
        customer_id: CustomerId::parse(list.get("customer_id")),
        product_id: ProductId::parse(list.get("product_id")),
        from: Period::parse(list.get("from")),
        to: Period::parse(list.get("to")),
        ..Default::default()
    };
    let search = ShipmentSearch {
        q: Some(list.get("q").to_string()),
        sort: ShipmentSort::parse(&list.sort).unwrap_or_default(),
        dir: list.dir,
        paging: list.paging,
    };
    (filter, search)
}

#[get("/shipments")]
pub async fn shipments_page(
    session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    let list = ListState::read(
        "/shipments",
        &query.0,
        &FILTERS,
        &COLUMNS,
        ("month", Direction::Desc),
    );
    let (filter, search) = search_of(&list);
    let (found, (customers, products)) = state
        .db
        .read(move |c| {
            Ok((
                crate::ops::shipments::worklist(c, &filter, &search)?,
                parties(c)?,
            ))
        })
        .await?;
    Ok(page::render(
        StatusCode::OK,
        &ShipmentsPage {
            user: User::of(&session),
            can_plan: Capabilities::of(&session.actor).write_shipments,
            q: list.get("q").to_string(),
            statuses: choices(
                ShipmentStatus::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), view::status(s.as_str()))),
                list.get("status"),
            ),
            modes: choices(
                MODES.iter().map(|m| (m.to_string(), m.to_string())),
                list.get("transport_mode"),
            ),
            customers: choices(customers, list.get("customer_id")),
            products: choices(products, list.get("product_id")),
            from: list.get("from").to_string(),
            to: list.get("to").to_string(),
            filtered: list.filtered(),
            headers: list.headers(&COLUMNS),
            rows: found.items.iter().map(listed).collect(),
            pager: list.pager(found.total, found.pages()),
            csv_href: csv_href("/shipments.csv", &list, &API_FILTERS, &[("limit", "500")]),
        },
    ))
}
