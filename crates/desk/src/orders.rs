//! Order entry with a live ATP panel, and the order page with its confirmation. The pages call
//! the same operations as `POST /api/v1/orders`, `…/confirm` and `GET /api/v1/atp/horizon`;
//! a form posts with an idempotency key, so a double click never creates two orders.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use rust_decimal::Decimal;

use super::page;
use super::view;
use crate::domain::customer::Customer;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::product::Product;
use crate::domain::reference::{CURRENCIES, INCOTERMS};
use crate::domain::{Kg, Period};
use crate::error::{DeskError, Refusal};
use crate::error::{FieldError, OpError};
use crate::extract::{
    field, optional, DeskForm, DeskPath, DeskQuery, DeskSession, Fields, FormInput,
};
use crate::layout::User;
use crate::ops::action::ActionRequest;
use crate::ops::orders::{Placement, Placing};
use crate::ops::reconciliation::{horizon, HorizonQuery};
use crate::ops::Capabilities;
use crate::state::AppState;

use super::order_form::{choices, input_of, Choice, OrderForm};
use super::view::text as text_of;
use crate::domain::OrderId;
use crate::domain::ProductId;

pub struct Link {
    pub href: String,
    pub label: String,
}

pub struct Panel {
    pub month: String,
    pub available: String,
    pub requested: String,
    pub short: String,
    pub value: Option<String>,
    pub fits: bool,
    pub nearest: Option<Link>,
}

#[derive(askama::Template)]
#[template(path = "atp_panel.html")]
struct PanelView {
    panel: Option<Panel>,
}

#[derive(askama::Template)]
#[template(path = "order_new.html")]
struct NewOrderPage {
    user: User,
    customers: Vec<Choice>,
    products: Vec<Choice>,
    contracts: Vec<Choice>,
    indices: Vec<Choice>,
    currencies: Vec<&'static str>,
    incoterms: Vec<&'static str>,
    form: OrderForm,
    errors: Vec<FieldError>,
    panel: String,
}

/// How far ahead the panel looks for a month with enough.
const LOOK_AHEAD_MONTHS: i32 = 12;

/// The ATP panel for what the form holds, if it names a product, a month and a quantity.
async fn panel(state: &web::Data<AppState>, form: &OrderForm) -> Option<Panel> {
    let product_id = ProductId::parse(&form.product_id)?;
    let period = Period::parse(&form.period)?;
    let quantity: Kg = serde_json::from_value(serde_json::json!(form.quantity_kg)).ok()?;
    let q = HorizonQuery {
        product_id,
        quantity_kg: quantity,
        from: period,
        to: period.plus(LOOK_AHEAD_MONTHS - 1),
    };
    let h = state.db.read(move |c| horizon(c, &q)).await.ok()?;
    let first = h.months.first()?;
    let requested = h.quantity_kg.display();
    let available = first.atp_kg.display();
    let short = (requested - available).max(Decimal::ZERO);
    let price = Decimal::from_str_exact(&form.unit_price)
        .ok()
        .filter(|p| *p > Decimal::ZERO && matches!(form.pricing_type.as_str(), "fixed" | ""));
    let currency = if CURRENCIES.contains(&form.currency.as_str()) {
        form.currency.as_str()
    } else {
        "USD"
    };
    Some(Panel {
        month: view::month(period),
        available: view::kg(available),
        requested: view::kg(requested),
        short: view::kg(short),
        value: match form.pricing_type.as_str() {
            "index" => Some("index-linked: priced from the quotation month's average".into()),
            "contract" => Some("the contract's terms plus its add-on premium".into()),
            _ => price.map(|p| view::money(currency, requested * p)),
        },
        fits: first.covers,
        nearest: h.first_fit_period.filter(|p| *p != period).map(|p| Link {
            href: form.href_for(p),
            label: view::month(p),
        }),
    })
}

fn render_panel(p: Option<Panel>) -> String {
    askama::Template::render(&PanelView { panel: p }).unwrap_or_default()
}

async fn entry_page(
    state: &web::Data<AppState>,
    session: &DeskSession,
    form: OrderForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let choices = choices(state).await?;
    let form = form.with_defaults(&choices.products);
    let panel = render_panel(panel(state, &form).await);
    Ok(page::render(
        status,
        &NewOrderPage {
            user: User::of(session),
            customers: choices.customers,
            products: choices.products,
            contracts: choices.contracts,
            indices: choices.indices,
            currencies: CURRENCIES.to_vec(),
            incoterms: INCOTERMS.to_vec(),
            form,
            errors,
            panel,
        },
    ))
}

#[get("/orders/new")]
pub async fn new_order(
    session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    if !Capabilities::of(&session.actor).enter_orders {
        return Err(DeskError::Forbidden(
            "your role does not enter orders".into(),
        ));
    }
    let mut form = OrderForm::from_fields(&query.0);
    form.idempotency_key = String::new();
    entry_page(&state, &session, form, Vec::new(), StatusCode::OK).await
}

/// The live ATP panel (an htmx fragment).
#[get("/orders/atp-panel")]
pub async fn atp_panel(
    _session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> HttpResponse {
    let form = OrderForm::from_fields(&query.0);
    page::html(StatusCode::OK, render_panel(panel(&state, &form).await))
}

/// Where the browser goes after a confirmation was refused: the order page, with the
/// refusal's numbers.
fn refused_location(id: OrderId, r: &crate::error::AtpRefusal) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("refused", "1")
        .append_pair("requested", &r.requested.display().to_string())
        .append_pair("available", &r.available.display().to_string())
        .append_pair("first_short", &r.first_short_period.to_string());
    format!("/orders/{id}?{}", q.finish())
}

/// Order entry as posted: the form as typed, with its idempotency key, and how the order is
/// placed (the button pressed).
pub struct OrderEntry(OrderForm, Placing);

impl FormInput for OrderEntry {
    const IDEMPOTENT: bool = true;

    fn parse(fields: &Fields) -> Result<OrderEntry, Vec<FieldError>> {
        let how = match field(fields, "action") {
            "draft" => Placing::Draft,
            _ => Placing::ConfirmOrKeepDraft,
        };
        Ok(OrderEntry(OrderForm::from_fields(fields), how))
    }
}

#[post("/orders")]
pub async fn create_order(
    state: web::Data<AppState>,
    form: DeskForm<OrderEntry>,
) -> Result<HttpResponse, DeskError> {
    let typed = form.input.0.clone();
    let new = match typed.new_order() {
        Ok(n) => n,
        Err(e) => {
            let refusal = Refusal::of(e)?;
            return entry_page(
                &state,
                &form.session,
                typed,
                refusal.field_errors().to_vec(),
                refusal.status(),
            )
            .await;
        }
    };
    let how = form.input.1;
    let key = form.key.as_ref().map(|k| k.to_string()).unwrap_or_default();
    let actor = form.session.actor.clone();
    let placed = state
        .db
        .write(move |c| crate::ops::orders::place(c, &actor, &key, new, how))
        .await;
    match placed {
        Ok(Placement {
            order_id,
            refusal: None,
        }) => Ok(page::see_other(&format!("/orders/{order_id}")).finish()),
        Ok(Placement {
            order_id,
            refusal: Some(r),
        }) => Ok(page::see_other(&refused_location(order_id, &r)).finish()),
        Err(e) => {
            let refusal = Refusal::of(e)?;
            let status = refusal.status();
            let errors = refusal.renamed(input_of).errors_for("order");
            entry_page(&state, &form.session, typed, errors, status).await
        }
    }
}

/// The unit price of fixed terms.
fn fixed_price(terms: &PricingTerms) -> Option<Decimal> {
    match terms {
        PricingTerms::Fixed(f) => Some(f.unit_price.value()),
        PricingTerms::Index(_) => None,
    }
}

pub struct OrderView {
    pub id: String,
    pub number: String,
    pub status: String,
    pub customer: String,
    pub product: String,
    pub month: String,
    pub quantity: String,
    pub price: String,
    pub incoterm: String,
    pub version: i64,
    /// The contract of an add-on order.
    pub contract_href: Option<String>,
}

pub struct RefusalView {
    pub requested: String,
    pub available: String,
    pub month: String,
    pub first_short: String,
    pub nearest: Option<Link>,
}

#[derive(askama::Template)]
#[template(path = "order.html")]
struct OrderPage {
    user: User,
    order: OrderView,
    refusal: Option<RefusalView>,
    can_confirm: bool,
    can_override: bool,
}

#[get("/orders/{id}")]
pub async fn order_page(
    session: DeskSession,
    state: web::Data<AppState>,
    id: DeskPath<OrderId>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let query = query.0;
    let (order, customer, product) = state
        .db
        .read(move |c| {
            let order = crate::ops::orders::get(c, id)?;
            let customer: Customer = crate::ops::master::get(c, order.customer_id)?;
            let product: Product = crate::ops::master::get(c, order.product_id)?;
            Ok((order, customer, product))
        })
        .await?;
    let may = crate::ops::orders::allowed_actions(&session.actor, &order);
    let refusal = if order.status.is_pending() && field(&query, "refused") == "1" {
        let form = OrderForm {
            customer_id: order.customer_id.to_string(),
            product_id: order.product_id.to_string(),
            period: order.period.to_string(),
            quantity_kg: text_of(&order.quantity_kg),
            unit_price: fixed_price(&order.pricing)
                .map(|p| p.to_string())
                .unwrap_or_default(),
            currency: order.currency.clone(),
            incoterm: order.incoterm.clone(),
            incoterm_place: order.incoterm_place.clone(),
            ..OrderForm::default()
        };
        let nearest = panel(&state, &form).await.and_then(|p| p.nearest);
        let num = |name: &str| {
            Decimal::from_str_exact(field(&query, name))
                .map(view::kg)
                .unwrap_or_default()
        };
        Some(RefusalView {
            requested: num("requested"),
            available: num("available"),
            month: view::month(order.period),
            first_short: Period::parse(field(&query, "first_short"))
                .map(view::month)
                .unwrap_or_default(),
            nearest,
        })
    } else {
        None
    };
    let view_of = OrderView {
        id: order.id.to_string(),
        number: order.number.clone(),
        status: order.status.as_str().replace('_', " "),
        customer: format!("{} — {}", customer.code, customer.name),
        product: format!("{} — {}", product.code, product.name),
        month: view::month(order.period),
        quantity: view::kg_of(order.quantity_kg),
        price: match fixed_price(&order.pricing) {
            Some(p) => format!("{} per kg", view::money(&order.currency, p)),
            None => view::pricing_summary(&order.pricing, &order.currency),
        },
        incoterm: format!("{} {}", order.incoterm, order.incoterm_place),
        version: order.version,
        contract_href: order.contract_id.map(|c| format!("/contracts/{c}")),
    };
    Ok(page::render(
        StatusCode::OK,
        &OrderPage {
            user: User::of(&session),
            order: view_of,
            refusal,
            can_confirm: may.confirm || may.override_atp,
            can_override: may.override_atp,
        },
    ))
}

/// The order page's confirmation: a reason, and for planners and admins the override.
pub struct ConfirmInput(ActionRequest);

impl FormInput for ConfirmInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<ConfirmInput, Vec<FieldError>> {
        Ok(ConfirmInput(ActionRequest {
            reason: optional(fields, "reason"),
            atp_override: field(fields, "override") == "true",
        }))
    }
}

#[post("/orders/{id}/confirm")]
pub async fn confirm_order(
    state: web::Data<AppState>,
    id: DeskPath<OrderId>,
    form: DeskForm<ConfirmInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let (actor, expect, cmd) = (
        form.session.actor.clone(),
        form.expect.clone(),
        form.input.0.clone(),
    );
    let done = state
        .db
        .write(move |c| crate::ops::orders::confirm(c, &actor, id, &expect, &cmd))
        .await;
    match done {
        Ok(_) => Ok(page::see_other(&format!("/orders/{id}")).finish()),
        Err(OpError::InsufficientAtp(r)) => Ok(page::see_other(&refused_location(id, &r)).finish()),
        Err(OpError::PreconditionFailed(_)) => Err(DeskError::Stale),
        Err(e) => Err(e.into()),
    }
}
