//! The `orders` table.

use diesel::prelude::*;

use crate::domain::lifecycle::{OrderStatus, OrderType};
use crate::domain::order::OrderFilter;
use crate::domain::order::{Order, PricingSource};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::worklist::{like_prefix, Direction, OrderSort, Paging, Worklist};
use crate::domain::Kg;
use crate::domain::OrderId;
use crate::error::OpError;
use crate::page::{after_cursor, page_of, Cursor};
use crate::parse;
use crate::rows::OrderRow;
use crate::schema::orders;
use crate::schema::{customers, products};
use crate::worklist::{numbered_page, sort_by, then_by};
use crate::DbConnection;

crate::master::ref_taken!(orders, OrderRow, Order, OrderId);

pub(crate) fn to_entity(r: OrderRow) -> Result<Order, OpError> {
    Ok(Order {
        id: parse::id(&r.id, "orders.id")?,
        order_type: parse::status(&r.order_type, "orders.order_type", OrderType::parse)?,
        customer_id: parse::id(&r.customer_id, "orders.customer_id")?,
        product_id: parse::id(&r.product_id, "orders.product_id")?,
        contract_id: parse::opt_id(r.contract_id.as_deref(), "orders.contract_id")?,
        period: parse::period(&r.period, "orders.period")?,
        quantity_kg: Kg::from_grams(r.quantity_g),
        pricing: parse::json::<PricingTerms>(&r.pricing_json, "orders.pricing_json")?,
        pricing_source: parse::status(
            &r.pricing_source,
            "orders.pricing_source",
            PricingSource::parse,
        )?,
        status: parse::status(&r.status, "orders.status", OrderStatus::parse)?,
        confirmed_at: r.confirmed_at.map(parse::utc),
        number: r.number,
        currency: r.currency,
        incoterm: r.incoterm,
        incoterm_place: r.incoterm_place,
        external_ref: r.external_ref,
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        version: r.version,
        quality_terms: parse::json(&r.quality_terms_json, "orders.quality_terms_json")?,
    })
}

fn to_row(o: &Order) -> Result<OrderRow, OpError> {
    Ok(OrderRow {
        id: o.id.to_string(),
        number: o.number.clone(),
        order_type: o.order_type.as_str().into(),
        customer_id: o.customer_id.to_string(),
        product_id: o.product_id.to_string(),
        contract_id: o.contract_id.map(|c| c.to_string()),
        period: o.period.to_string(),
        quantity_g: o
            .quantity_kg
            .grams()
            .ok_or_else(|| OpError::field("quantity_kg", "is out of range"))?,
        pricing_json: serde_json::to_string(&o.pricing).map_err(OpError::unexpected)?,
        pricing_source: o.pricing_source.as_str().into(),
        currency: o.currency.clone(),
        incoterm: o.incoterm.clone(),
        incoterm_place: o.incoterm_place.clone(),
        status: o.status.as_str().into(),
        confirmed_at: o.confirmed_at.map(parse::naive),
        external_ref: o.external_ref.clone(),
        created_at: parse::naive(o.created_at),
        updated_at: parse::naive(o.updated_at),
        version: o.version,
        quality_terms_json: serde_json::to_string(&o.quality_terms).map_err(OpError::unexpected)?,
    })
}

pub fn find(conn: &mut DbConnection, id: OrderId) -> Result<Order, OpError> {
    let row = orders::table
        .find(id.to_string())
        .select(OrderRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| OpError::not_found("order"))?;
    to_entity(row)
}

pub fn insert(conn: &mut DbConnection, o: &Order) -> Result<(), OpError> {
    diesel::insert_into(orders::table)
        .values(&to_row(o)?)
        .execute(conn)?;
    Ok(())
}

pub fn save(conn: &mut DbConnection, before_version: i64, o: &Order) -> Result<(), OpError> {
    crate::versioned::save(conn, "order", before_version, &to_row(o)?)
}

/// Whether another order than `id` has this number.
pub fn number_taken(conn: &mut DbConnection, number: &str, id: OrderId) -> Result<bool, OpError> {
    let n: i64 = orders::table
        .filter(orders::number.eq(number))
        .filter(orders::id.ne(id.to_string()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Applies an order filter to a boxed query of the `orders` table, whatever it selects.
macro_rules! filtered {
    ($q:expr, $f:expr) => {{
        let f: &OrderFilter = $f;
        let mut q = $q;
        if let Some(s) = f.status {
            q = q.filter(orders::status.eq(s.as_str()));
        }
        if let Some(t) = f.order_type {
            q = q.filter(orders::order_type.eq(t.as_str()));
        }
        if let Some(c) = f.customer_id {
            q = q.filter(orders::customer_id.eq(c.to_string()));
        }
        if let Some(p) = f.product_id {
            q = q.filter(orders::product_id.eq(p.to_string()));
        }
        if let Some(c) = f.contract_id {
            q = q.filter(orders::contract_id.eq(c.to_string()));
        }
        if let Some(from) = f.from {
            q = q.filter(orders::period.ge(from.to_string()));
        }
        if let Some(to) = f.to {
            q = q.filter(orders::period.le(to.to_string()));
        }
        if let Some(n) = &f.number {
            q = q.filter(orders::number.eq(n.clone()));
        }
        if let Some(e) = &f.external_ref {
            q = q.filter(orders::external_ref.eq(e.clone()));
        }
        if let Some(t) = f.updated_since {
            q = q.filter(orders::updated_at.ge(t.naive_utc()));
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    f: &OrderFilter,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<Order>, Option<Cursor>), OpError> {
    let q = filtered!(orders::table.select(OrderRow::as_select()).into_boxed(), f);
    let rows: Vec<OrderRow> = after_cursor!(q, orders, cursor, limit).load(conn)?;
    page_of(rows, limit, to_entity)
}

/// What an order worklist asks beyond the list's filter: statuses (any of), a search by
/// number or external reference, the column and direction to sort by, and the page.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub statuses: Vec<OrderStatus>,
    /// Only these orders (the orders at risk, say), when given.
    pub only: Option<Vec<OrderId>>,
    /// The start of an order number (any case) or of an external reference.
    pub q: Option<String>,
    pub sort: OrderSort,
    pub dir: Direction,
    pub paging: Paging,
}

/// One page of orders, filtered and searched, sorted by any column (then by id, so pages never
/// overlap), with the count of all that match.
pub fn worklist(
    conn: &mut DbConnection,
    f: &OrderFilter,
    s: &Search,
) -> Result<Worklist<Order>, OpError> {
    macro_rules! searched {
        ($q:expr) => {{
            let mut q = filtered!($q, f);
            if !s.statuses.is_empty() {
                q = q.filter(orders::status.eq_any(s.statuses.iter().map(|x| x.as_str())));
            }
            if let Some(ids) = &s.only {
                q = q.filter(orders::id.eq_any(ids.iter().map(|id| id.to_string())));
            }
            if let Some(term) = s.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                q = q.filter(
                    orders::number
                        .like(like_prefix(&term.to_uppercase()))
                        .escape('\\')
                        .or(orders::external_ref.like(like_prefix(term)).escape('\\')),
                );
            }
            q
        }};
    }
    let d = s.dir;
    let count = searched!(orders::table.count().into_boxed());
    // Each sort runs its own query (a sort by customer or product code joins that table);
    // ties break by id the same way round — by creation first for a code, as the orders of
    // one customer or product are indexed — so an index serves the order.
    macro_rules! page {
        ($q:expr) => {{
            numbered_page!(conn, count, $q, orders, s.paging, d)
        }};
    }
    let plain = || searched!(orders::table.select(OrderRow::as_select()).into_boxed());
    let (rows, total): (Vec<OrderRow>, i64) = match s.sort {
        OrderSort::Number => page!(sort_by!(plain(), d, orders::number)),
        OrderSort::Type => page!(sort_by!(plain(), d, orders::order_type)),
        OrderSort::Month => page!(sort_by!(plain(), d, orders::period)),
        OrderSort::Quantity => page!(sort_by!(plain(), d, orders::quantity_g)),
        OrderSort::Status => page!(sort_by!(plain(), d, orders::status)),
        OrderSort::Created => page!(sort_by!(plain(), d, orders::created_at)),
        OrderSort::Updated => page!(sort_by!(plain(), d, orders::updated_at)),
        OrderSort::Customer => {
            let q = searched!(orders::table
                .inner_join(customers::table.on(customers::id.eq(orders::customer_id)))
                .select(OrderRow::as_select())
                .into_boxed());
            page!(then_by!(
                sort_by!(q, d, customers::code),
                d,
                orders::created_at
            ))
        }
        OrderSort::Product => {
            let q = searched!(orders::table
                .inner_join(products::table.on(products::id.eq(orders::product_id)))
                .select(OrderRow::as_select())
                .into_boxed());
            page!(then_by!(
                sort_by!(q, d, products::code),
                d,
                orders::created_at
            ))
        }
    };
    Ok(Worklist {
        items: rows.into_iter().map(to_entity).collect::<Result<_, _>>()?,
        total,
        page: s.paging.page,
        per_page: s.paging.per_page,
    })
}

/// Orders by id, in no particular order.
pub fn by_ids(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<Order>, OpError> {
    orders::table
        .filter(orders::id.eq_any(ids))
        .select(OrderRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_entity)
        .collect()
}
