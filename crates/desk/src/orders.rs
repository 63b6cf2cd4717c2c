//! Order entry with a live ATP panel, and the order page with its confirmation. The pages call
//! the same operations as `POST /api/v1/orders`, `…/confirm` and `GET /api/v1/atp/horizon`;
//! a form posts with an idempotency key, so a double click never creates two orders.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use rust_decimal::Decimal;

use super::desk::{user, User};
use super::page;
use super::session::{self, Session};
use super::view;
use crate::domain::customer::Customer;
use crate::domain::product::Product;
use crate::domain::reference::{CURRENCIES, INCOTERMS};
use crate::domain::{Kg, Period, Permission};
use crate::error::{FieldError, OpError};
use crate::ops::action::ActionRequest;
use crate::ops::orders::NewOrder;
use crate::ops::reconciliation::{horizon, HorizonQuery};
use crate::ops::{Actor, Expect};
use crate::state::AppState;

use super::order_form::{choices, field, input_of, Choice, Fields, OrderForm};
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
    session: &Session,
    form: OrderForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> HttpResponse {
    let choices = match choices(state).await {
        Ok(c) => c,
        Err(_) => return page::database_away(),
    };
    let form = form.with_defaults(&choices.products);
    let panel = render_panel(panel(state, &form).await);
    page::render(
        status,
        &NewOrderPage {
            user: user(session),
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
    )
}

#[get("/orders/new")]
pub async fn new_order(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<Fields>,
) -> HttpResponse {
    let Some(session) = session::current(&req, &state).await else {
        return page::see_other("/login").finish();
    };
    if !session.actor.role.allows(Permission::WriteOrders) {
        return page::forbidden("your role does not enter orders");
    }
    let mut form = OrderForm::from_fields(&query);
    form.idempotency_key = String::new();
    entry_page(&state, &session, form, Vec::new(), StatusCode::OK).await
}

/// The live ATP panel (an htmx fragment).
#[get("/orders/atp-panel")]
pub async fn atp_panel(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<Fields>,
) -> HttpResponse {
    if session::current(&req, &state).await.is_none() {
        return page::forbidden("log in again");
    }
    let form = OrderForm::from_fields(&query);
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

/// Creates the order (and confirms it when asked) under the form's idempotency key, in one
/// transaction; a refused confirmation leaves the draft. Answers where to go next.
fn place(
    conn: &mut crate::db::DbConnection,
    actor: &Actor,
    key: &str,
    fields: &Fields,
    new: NewOrder,
    confirm: bool,
) -> Result<String, OpError> {
    super::form::once(conn, actor, key, fields, |conn| {
        let order = crate::ops::orders::create(conn, actor, new)?;
        if !confirm {
            return Ok(format!("/orders/{}", order.id));
        }
        let attempt = diesel::Connection::transaction(conn, |c| {
            crate::ops::orders::confirm(
                c,
                actor,
                order.id,
                &Expect::version(order.version),
                &ActionRequest::default(),
            )
        });
        match attempt {
            Ok(_) => Ok(format!("/orders/{}", order.id)),
            Err(OpError::InsufficientAtp(r)) => Ok(refused_location(order.id, &r)),
            Err(e) => Err(e),
        }
    })
}

#[post("/orders")]
pub async fn create_order(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Form<Fields>,
) -> HttpResponse {
    let fields = body.into_inner();
    let session = match session::for_form(&req, &state, field(&fields, "csrf")).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let form = OrderForm::from_fields(&fields);
    if super::form::idempotency_key(&fields).is_none() {
        return page::no_idempotency_key();
    }
    let new = match form.new_order() {
        Ok(n) => n,
        Err(OpError::Validation(errors)) => {
            return entry_page(
                &state,
                &session,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => return page::forbidden(&e.to_string()),
    };
    let confirm = field(&fields, "action") != "draft";
    let key = form.idempotency_key.clone();
    let actor = session.actor.clone();
    let placed = state
        .db
        .write(move |c| place(c, &actor, &key, &fields, new, confirm))
        .await;
    match placed {
        Ok(location) => page::see_other(&location).finish(),
        Err(OpError::Validation(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new(input_of(&e.field), e.message))
                .collect();
            entry_page(
                &state,
                &session,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(OpError::Forbidden(why)) => page::forbidden(&why),
        Err(OpError::Unavailable(_)) => page::unavailable(
            "The database is unavailable; the order was not saved. Please try again.",
        ),
        Err(e) => {
            entry_page(
                &state,
                &session,
                form,
                vec![FieldError::new("order", e.to_string())],
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

use super::view::text as text_of;

/// The unit price of fixed terms.
fn fixed_price(terms: &crate::domain::pricing_terms::PricingTerms) -> Option<String> {
    match terms {
        crate::domain::pricing_terms::PricingTerms::Fixed(f) => Some(text_of(&f.unit_price)),
        crate::domain::pricing_terms::PricingTerms::Index(_) => None,
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
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<OrderId>,
    query: web::Query<Fields>,
) -> HttpResponse {
    let Some(session) = session::current(&req, &state).await else {
        return page::see_other("/login").finish();
    };
    let id = id.into_inner();
    let loaded = state
        .db
        .read(move |c| {
            let order = crate::ops::orders::get(c, id)?;
            let customer: Customer = crate::ops::master::get(c, order.customer_id)?;
            let product: Product = crate::ops::master::get(c, order.product_id)?;
            Ok((order, customer, product))
        })
        .await;
    let (order, customer, product) = match loaded {
        Ok(x) => x,
        Err(OpError::NotFound(_)) => return page::forbidden("there is no such order"),
        Err(_) => return page::database_away(),
    };
    let open = matches!(order.status.as_str(), "draft" | "submitted");
    let role = session.actor.role;
    let refusal = if open && field(&query, "refused") == "1" {
        let form = OrderForm {
            customer_id: order.customer_id.to_string(),
            product_id: order.product_id.to_string(),
            period: order.period.to_string(),
            quantity_kg: text_of(&order.quantity_kg),
            unit_price: fixed_price(&order.pricing).unwrap_or_default(),
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
        quantity: view::kg(
            Decimal::from_str_exact(&text_of(&order.quantity_kg)).unwrap_or_default(),
        ),
        price: match fixed_price(&order.pricing).and_then(|p| Decimal::from_str_exact(&p).ok()) {
            Some(p) => format!("{} per kg", view::money(&order.currency, p)),
            None => view::pricing_summary(&order.pricing, &order.currency),
        },
        incoterm: format!("{} {}", order.incoterm, order.incoterm_place),
        version: order.version,
        contract_href: order.contract_id.map(|c| format!("/contracts/{c}")),
    };
    page::render(
        StatusCode::OK,
        &OrderPage {
            user: user(&session),
            order: view_of,
            refusal,
            can_confirm: open
                && (role.allows(Permission::WriteOrders) || role.allows(Permission::OverrideAtp)),
            can_override: open && role.allows(Permission::OverrideAtp),
        },
    )
}

#[post("/orders/{id}/confirm")]
pub async fn confirm_order(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<OrderId>,
    body: web::Form<Fields>,
) -> HttpResponse {
    let fields = body.into_inner();
    let session = match session::for_form(&req, &state, field(&fields, "csrf")).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let id = id.into_inner();
    let Some(expect) = super::form::version(&fields) else {
        return page::no_version();
    };
    let cmd = ActionRequest {
        reason: Some(field(&fields, "reason").to_string()).filter(|r| !r.is_empty()),
        atp_override: field(&fields, "override") == "true",
    };
    let actor = session.actor.clone();
    let done = state
        .db
        .write(move |c| crate::ops::orders::confirm(c, &actor, id, &expect, &cmd))
        .await;
    match done {
        Ok(_) => page::see_other(&format!("/orders/{id}")).finish(),
        Err(OpError::InsufficientAtp(r)) => page::see_other(&refused_location(id, &r)).finish(),
        Err(OpError::PreconditionFailed(_)) => page::html(
            StatusCode::PRECONDITION_FAILED,
            "The order was changed since you opened it; nothing was overwritten. Reload the order."
                .into(),
        ),
        Err(OpError::Forbidden(why)) => page::forbidden(&why),
        Err(OpError::Validation(errors)) => page::invalid(&errors),
        Err(e) => page::refused(StatusCode::CONFLICT, &e.to_string()),
    }
}
