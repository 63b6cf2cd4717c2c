//! One customer at a glance, for the desk's customer page: its contracts, its open orders, its
//! latest shipments, what is due and late, and its committed kilograms by pricing status.

use crate::contracts::{ContractFilter, ContractListing, ContractSearch};
use crate::db::DbConnection;
use crate::deliveries::{Delivery, DeliveryQuery};
use crate::domain::customer::Customer;
use crate::domain::fulfilment::DeliveryStatus;
use crate::domain::lifecycle::OrderStatus;
use crate::domain::order::OrderFilter;
use crate::domain::shipment::ShipmentFilter;
use crate::domain::worklist::{ContractSort, Direction, OrderSort, Paging, ShipmentSort, Worklist};
use crate::domain::{CustomerId, Period};
use crate::error::OpError;
use crate::orders::{OrderListing, OrderSearch};
use crate::pricing::{ExposureQuery, PricingExposure};
use crate::shipments::{ShipmentListing, ShipmentSearch};

/// Rows of each list the overview shows; the lists themselves hold the rest.
pub const ROWS: i64 = 20;

/// How far back the overview looks for what is late, and how far ahead for what is due and
/// what is committed.
pub const LATE_MONTHS: i32 = 12;
pub const AHEAD_MONTHS: i32 = 6;

/// Orders still open: not yet delivered, cancelled or rejected.
pub const OPEN_ORDERS: [OrderStatus; 4] = [
    OrderStatus::Draft,
    OrderStatus::Submitted,
    OrderStatus::Confirmed,
    OrderStatus::PartiallyShipped,
];

pub struct CustomerOverview {
    pub customer: Customer,
    pub contracts: Worklist<ContractListing>,
    pub open_orders: Worklist<OrderListing>,
    pub shipments: Worklist<ShipmentListing>,
    /// Not yet delivered, from `LATE_MONTHS` back to `AHEAD_MONTHS` ahead: late first, then by
    /// month.
    pub due: Vec<Delivery>,
    /// The next `AHEAD_MONTHS` months, this one included.
    pub exposure: PricingExposure,
    pub from: Period,
    pub to: Period,
}

pub fn overview(
    conn: &mut DbConnection,
    id: CustomerId,
    current: Period,
) -> Result<CustomerOverview, OpError> {
    let customer: Customer = crate::master::get(conn, id)?;
    let first = Paging::new(1, ROWS);
    let contracts = crate::contracts::worklist(
        conn,
        &ContractFilter {
            customer_id: Some(id),
            ..Default::default()
        },
        &ContractSearch {
            sort: ContractSort::End,
            dir: Direction::Desc,
            paging: first,
            ..Default::default()
        },
    )?;
    let open_orders = crate::orders::worklist(
        conn,
        &OrderFilter {
            customer_id: Some(id),
            ..Default::default()
        },
        &OrderSearch {
            statuses: OPEN_ORDERS.to_vec(),
            sort: OrderSort::Month,
            dir: Direction::Asc,
            paging: first,
            ..Default::default()
        },
    )?;
    let shipments = crate::shipments::worklist(
        conn,
        &ShipmentFilter {
            customer_id: Some(id),
            ..Default::default()
        },
        &ShipmentSearch {
            sort: ShipmentSort::Updated,
            dir: Direction::Desc,
            paging: first,
            ..Default::default()
        },
    )?;
    let to = current.plus(AHEAD_MONTHS - 1);
    let mut due: Vec<Delivery> = crate::deliveries::schedule(
        conn,
        &DeliveryQuery {
            from: current.plus(-LATE_MONTHS),
            to,
            customer_id: Some(id),
            product_id: None,
            status: None,
        },
    )?
    .items
    .into_iter()
    .filter(|d| {
        d.status != DeliveryStatus::Delivered
            && (d.status == DeliveryStatus::Late || d.period >= current)
    })
    .collect();
    due.sort_by_key(|d| (d.status != DeliveryStatus::Late, d.period));
    let exposure = crate::pricing::exposure(
        conn,
        &ExposureQuery {
            from: current,
            to,
            customer_id: Some(id),
        },
    )?;
    Ok(CustomerOverview {
        customer,
        contracts,
        open_orders,
        shipments,
        due,
        exposure,
        from: current,
        to,
    })
}
