//! The order page: the order's terms, why it is at risk when it is, and what the user may do
//! with it now (from `ops::orders::allowed_actions`): edit a draft, submit, confirm (with the
//! override for planners), move it to a month that fits or split it when it does not, reject
//! or cancel it with a reason (each asking first, saying what it releases), or copy it into a
//! new order. Every action ends on this page with a message saying what happened; the actions
//! themselves are in `order_actions`.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use rust_decimal::Decimal;

use crate::domain::customer::Customer;
use crate::domain::lifecycle::ShipmentStatus;
use crate::domain::order::Order;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::product::Product;
use crate::domain::{Kg, OrderId, Period};
use crate::error::{DeskError, FieldError, OpError};
use crate::extract::{field, DeskPath, DeskQuery, DeskSession, Fields};
use crate::layout::User;
use crate::ops::orders::{self, OrderActions, OrderRisk, LOOK_AHEAD_MONTHS};
use crate::ops::reconciliation::{horizon, HorizonQuery};
use crate::ops::shipments::ShipmentFilter;
use crate::order_form::OrderForm;
use crate::page;
use crate::state::AppState;
use crate::view;

pub struct OrderView {
    pub id: String,
    pub number: String,
    pub status: String,
    /// Confirmed or later: its quantity counts as demand.
    pub commitment: bool,
    pub customer_id: String,
    pub customer: String,
    pub product: String,
    pub month: String,
    pub period: String,
    pub quantity: String,
    pub quantity_kg: String,
    pub price: String,
    pub incoterm: String,
    pub incoterm_code: String,
    pub incoterm_place: String,
    pub version: i64,
    pub external_ref: String,
    /// The contract of an add-on order: (id, number).
    pub contract: Option<(String, String)>,
}

/// A refused confirmation on the order page: its numbers and the ways out.
pub struct RefusalView {
    pub requested: String,
    pub available: String,
    pub month: String,
    pub first_short: String,
    /// The first month that takes the whole order: (period, label).
    pub nearest: Option<(String, String)>,
    pub split: Option<crate::order_entry::SplitView>,
}

/// One month that puts the order at risk, in words.
pub struct RiskView {
    pub month: String,
    pub shortfall: String,
    pub freed: String,
    /// The other orders at risk for the month: (id, number).
    pub others: Vec<(String, String)>,
    /// Whether cancelling this order and those before it on the list clears the month.
    pub clears: bool,
}

pub struct ShipmentLine {
    pub id: String,
    pub number: String,
    pub quantity: String,
    pub status: String,
}

#[derive(askama::Template)]
#[template(path = "order.html")]
struct OrderPage {
    user: User,
    order: OrderView,
    may: OrderActions,
    refusal: Option<RefusalView>,
    risk: Vec<RiskView>,
    rule: &'static str,
    shipments: Vec<ShipmentLine>,
    copy_href: String,
    incoterms: Vec<&'static str>,
    errors: Vec<FieldError>,
}

fn fixed_price(terms: &PricingTerms) -> Option<Decimal> {
    match terms {
        PricingTerms::Fixed(f) => Some(f.unit_price.value()),
        PricingTerms::Index(_) => None,
    }
}

fn order_view(
    order: &Order,
    customer: &Customer,
    product: &Product,
    contract: Option<String>,
) -> OrderView {
    OrderView {
        id: order.id.to_string(),
        number: order.number.clone(),
        status: view::status(order.status.as_str()),
        commitment: order.status.is_commitment(),
        customer_id: order.customer_id.to_string(),
        customer: format!("{} — {}", customer.code, customer.name),
        product: format!("{} — {}", product.code, product.name),
        month: view::month(order.period),
        period: order.period.to_string(),
        quantity: view::kg_of(order.quantity_kg),
        quantity_kg: view::text(&order.quantity_kg),
        price: match fixed_price(&order.pricing) {
            Some(p) => format!("{} per kg", view::money(&order.currency, p)),
            None => view::pricing_summary(&order.pricing, &order.currency),
        },
        incoterm: format!("{} {}", order.incoterm, order.incoterm_place),
        incoterm_code: order.incoterm.clone(),
        incoterm_place: order.incoterm_place.clone(),
        version: order.version,
        external_ref: order.external_ref.clone().unwrap_or_default(),
        contract: order
            .contract_id
            .zip(contract)
            .map(|(id, n)| (id.to_string(), n)),
    }
}

struct Loaded {
    order: Order,
    customer: Customer,
    product: Product,
    contract: Option<String>,
    risk: Option<OrderRisk>,
    shipments: Vec<ShipmentLine>,
    /// Order numbers of the orders at risk with this one.
    numbers: Vec<(OrderId, String)>,
}

fn load(c: &mut crate::ops::Conn, id: OrderId) -> Result<Loaded, OpError> {
    let order = orders::get(c, id)?;
    let customer: Customer = crate::ops::master::get(c, order.customer_id)?;
    let product: Product = crate::ops::master::get(c, order.product_id)?;
    let contract = match order.contract_id {
        Some(cid) => Some(crate::ops::contracts::get(c, cid)?.number),
        None => None,
    };
    let risk = orders::risk(c, &order)?;
    let mut numbers = Vec::new();
    for m in risk.iter().flat_map(|r| r.months.iter()) {
        for other in &m.at_risk {
            if *other != order.id && !numbers.iter().any(|(i, _)| i == other) {
                numbers.push((*other, orders::get(c, *other)?.number));
            }
        }
    }
    let shipments = crate::ops::shipments::list(
        c,
        &ShipmentFilter {
            order_id: Some(order.id),
            limit: Some(100),
            ..Default::default()
        },
    )?
    .items
    .iter()
    .map(|s| ShipmentLine {
        id: s.id.to_string(),
        number: s.number.clone(),
        quantity: view::kg_of(s.quantity_kg),
        status: match s.status {
            ShipmentStatus::Cancelled => "cancelled".into(),
            other => view::status(other.as_str()),
        },
    })
    .collect();
    Ok(Loaded {
        order,
        customer,
        product,
        contract,
        risk,
        shipments,
        numbers,
    })
}

/// The first month from `from` on whose ATP covers `kg` of the order's product.
async fn first_fit(
    state: &web::Data<AppState>,
    order: &Order,
    kg: Kg,
    from: Period,
) -> Option<Period> {
    let q = HorizonQuery {
        product_id: order.product_id,
        quantity_kg: kg,
        from,
        to: from.plus(LOOK_AHEAD_MONTHS - 1),
    };
    state
        .db
        .read(move |c| horizon(c, &q))
        .await
        .ok()?
        .first_fit_period
}

async fn refusal_view(state: &web::Data<AppState>, order: &Order, query: &Fields) -> RefusalView {
    let num = |name: &str| Decimal::from_str_exact(field(query, name)).unwrap_or_default();
    let (requested, available) = (num("requested"), num("available"));
    let nearest = first_fit(state, order, order.quantity_kg, order.period.next()).await;
    let split =
        crate::order_entry::split_view(state, order.product_id, order.period, order.quantity_kg)
            .await;
    RefusalView {
        requested: view::kg(requested),
        available: view::kg(available),
        month: view::month(order.period),
        first_short: Period::parse(field(query, "first_short"))
            .map(view::month)
            .unwrap_or_default(),
        nearest: nearest.map(|p| (p.to_string(), view::month(p))),
        split,
    }
}

pub(crate) async fn show(
    state: &web::Data<AppState>,
    session: &DeskSession,
    id: OrderId,
    query: &Fields,
    status: StatusCode,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, DeskError> {
    let l = state.db.read(move |c| load(c, id)).await?;
    let may = orders::allowed_actions(&session.actor, &l.order);
    let refusal = if field(query, "refused") == "1" && (may.confirm || may.override_atp) {
        Some(refusal_view(state, &l.order, query).await)
    } else {
        None
    };
    let number_of = |id: &OrderId| {
        l.numbers
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let risk = l
        .risk
        .iter()
        .flat_map(|r| r.months.iter())
        .map(|m| RiskView {
            month: view::month(m.period),
            shortfall: view::kg(m.shortfall.display()),
            freed: view::kg(m.freed_up_to_this.display()),
            others: m
                .at_risk
                .iter()
                .filter(|o| **o != l.order.id)
                .map(|o| (o.to_string(), number_of(o)))
                .collect(),
            clears: m.freed_up_to_this.display() >= m.shortfall.display(),
        })
        .collect();
    let mut copy = OrderForm::from_order(&l.order);
    copy.period = String::new();
    Ok(page::render(
        status,
        &OrderPage {
            user: User::of(session),
            order: order_view(&l.order, &l.customer, &l.product, l.contract.clone()),
            may,
            refusal,
            risk,
            rule: orders::RISK_RULE,
            shipments: l.shipments,
            copy_href: copy.href_for(l.order.period),
            incoterms: crate::domain::reference::INCOTERMS.to_vec(),
            errors,
        },
    ))
}

#[get("/orders/{id}")]
pub async fn order_page(
    session: DeskSession,
    state: web::Data<AppState>,
    id: DeskPath<OrderId>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    show(
        &state,
        &session,
        id.into_inner(),
        &query.0,
        StatusCode::OK,
        Vec::new(),
    )
    .await
}
