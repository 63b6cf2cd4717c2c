//! Order entry with a live ATP panel. The page calls the same operations as
//! `POST /api/v1/orders`, `…/confirm`, `…/split` and `GET /api/v1/atp/horizon`. A refused
//! confirmation saves nothing: the form comes back with the refusal's numbers and the choices a
//! sales person has — save it as a draft, confirm it in the nearest month that fits, or split it
//! between this month and that one. Every post carries an idempotency key, so a double click
//! never places two orders.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use rust_decimal::Decimal;

use crate::domain::reference::{CURRENCIES, INCOTERMS};
use crate::domain::{Kg, Period, ProductId};
use crate::error::{AtpRefusal, DeskError, FieldError, Refusal};
use crate::extract::{field, DeskForm, DeskQuery, DeskSession, Fields, FormInput};
use crate::flash;
use crate::layout::User;
use crate::ops::orders::{Placement, Placing, LOOK_AHEAD_MONTHS};
use crate::ops::reconciliation::{horizon, HorizonQuery};
use crate::ops::Capabilities;
use crate::order_form::{choices, input_of, Choice, OrderForm, PricingChoice};
use crate::page;
use crate::state::AppState;
use crate::view;

pub struct Link {
    pub href: String,
    pub label: String,
}

/// What the ATP panel says about the quantity in the month.
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

/// A refused confirmation, as order entry shows it: the numbers, and what the person may do.
pub struct RefusedView {
    pub month: String,
    pub requested: String,
    pub available: String,
    pub first_short: String,
    /// The nearest month that takes the whole quantity: (period, label).
    pub nearest: Option<(String, String)>,
    /// A split: what fits in the month, and the rest in the first month that takes it.
    pub split: Option<SplitView>,
}

pub struct SplitView {
    pub keep: String,
    pub rest: String,
    pub rest_month: String,
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
    pricing: PricingChoice,
    errors: Vec<FieldError>,
    refused: Option<RefusedView>,
    panel: String,
}

/// The ATP panel for what the form holds, if it names a product, a month and a quantity.
async fn panel(state: &web::Data<AppState>, form: &OrderForm) -> Option<Panel> {
    let product_id = ProductId::parse(&form.product_id)?;
    let period = Period::parse(&form.period)?;
    let quantity = form.quantity()?;
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
        value: match form.pricing_choice() {
            PricingChoice::Index => {
                Some("index-linked: priced from the quotation month's average".into())
            }
            PricingChoice::Contract => Some("the contract's terms plus its add-on premium".into()),
            PricingChoice::Fixed => form
                .unit_price()
                .map(|p| view::money(currency, requested * p.value())),
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

/// What a refused confirmation offers: the nearest month that takes it all, and a split when
/// part of it fits this month.
async fn refused_view(
    state: &web::Data<AppState>,
    form: &OrderForm,
    r: &AtpRefusal,
) -> RefusedView {
    let (requested, available) = (r.requested.display(), r.available.display());
    let product = ProductId::parse(&form.product_id);
    let look = |quantity: Kg, from: Period| {
        product.map(|product_id| HorizonQuery {
            product_id,
            quantity_kg: quantity,
            from,
            to: from.plus(LOOK_AHEAD_MONTHS - 1),
        })
    };
    let whole = match (form.quantity(), look_after(r.period)) {
        (Some(q), from) => first_fit(state, look(q, from)).await,
        _ => None,
    };
    let split = match (product, form.quantity()) {
        (Some(product), Some(quantity)) => split_view(state, product, r.period, quantity).await,
        _ => None,
    };
    RefusedView {
        month: view::month(r.period),
        requested: view::kg(requested),
        available: view::kg(available),
        first_short: view::month(r.first_short_period),
        nearest: whole.map(|p| (p.to_string(), view::month(p))),
        split,
    }
}

fn look_after(p: Period) -> Period {
    p.next()
}

/// The split the operation would make of `quantity` in `period`, as the choice shows it.
pub async fn split_view(
    state: &web::Data<AppState>,
    product: ProductId,
    period: Period,
    quantity: Kg,
) -> Option<SplitView> {
    let offer = state
        .db
        .read(move |c| crate::ops::orders::split_offer(c, product, period, quantity))
        .await
        .ok()??;
    Some(SplitView {
        keep: view::kg_of(offer.keep),
        rest: view::kg_of(offer.rest),
        rest_month: view::month(offer.rest_period),
    })
}

async fn first_fit(state: &web::Data<AppState>, q: Option<HorizonQuery>) -> Option<Period> {
    let q = q?;
    state
        .db
        .read(move |c| horizon(c, &q))
        .await
        .ok()?
        .first_fit_period
}

async fn entry_page(
    state: &web::Data<AppState>,
    session: &DeskSession,
    form: OrderForm,
    errors: Vec<FieldError>,
    refused: Option<RefusedView>,
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
            pricing: form.pricing_choice(),
            form,
            errors,
            refused,
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
    entry_page(&state, &session, form, Vec::new(), None, StatusCode::OK).await
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

/// Order entry as posted: the form as typed, with its idempotency key, and how the order is
/// placed (the button pressed): confirmed, as a draft, confirmed in another month, or split.
pub struct OrderEntry(OrderForm, Placing);

impl FormInput for OrderEntry {
    const IDEMPOTENT: bool = true;

    fn parse(fields: &Fields) -> Result<OrderEntry, Vec<FieldError>> {
        let mut form = OrderForm::from_fields(fields);
        let how = match field(fields, "action") {
            "draft" => Placing::Draft,
            "split" => Placing::Split,
            action => {
                // "Confirm in 2027-05": the same order, in the month that fits.
                if let Some(p) = action.strip_prefix("confirm-in:").and_then(Period::parse) {
                    form.period = p.to_string();
                }
                Placing::Confirm
            }
        };
        Ok(OrderEntry(form, how))
    }
}

#[post("/orders")]
pub async fn create_order(
    state: web::Data<AppState>,
    form: DeskForm<OrderEntry>,
) -> Result<HttpResponse, DeskError> {
    let typed = form.input.0.clone();
    let how = form.input.1;
    let new = match typed.new_order() {
        Ok(n) => n,
        Err(e) => {
            let refusal = Refusal::of(e)?;
            let status = refusal.status();
            return entry_page(
                &state,
                &form.session,
                typed,
                refusal.errors_for("order"),
                None,
                status,
            )
            .await;
        }
    };
    let key = form.key.as_ref().map(|k| k.to_string()).unwrap_or_default();
    let actor = form.session.actor.clone();
    let placed = state
        .db
        .write(move |c| crate::ops::orders::place(c, &actor, &key, new, how))
        .await;
    match placed {
        Ok(Placement {
            order_id,
            refusal: Some(r),
            ..
        }) => Ok(page::see_other(&format!(
            "/orders/{order_id}?refused=1&requested={}&available={}&first_short={}",
            r.requested.display(),
            r.available.display(),
            r.first_short_period
        ))
        .finish()),
        Ok(Placement {
            order_id,
            moved: Some(moved),
            ..
        }) => {
            let (kept, rest) = state
                .db
                .read(move |c| {
                    Ok((
                        crate::ops::orders::get(c, order_id)?,
                        crate::ops::orders::get(c, moved)?,
                    ))
                })
                .await?;
            Ok(flash::done(
                &format!("/orders/{order_id}"),
                format!(
                    "Split and confirmed: {} kg in {} on {}, and {} kg in {} on the new order {}.",
                    view::kg_of(kept.quantity_kg),
                    view::month(kept.period),
                    kept.number,
                    view::kg_of(rest.quantity_kg),
                    view::month(rest.period),
                    rest.number
                ),
            ))
        }
        Ok(Placement { order_id, .. }) => Ok(flash::done(
            &format!("/orders/{order_id}"),
            match how {
                Placing::Draft => "Saved as a draft; nothing is promised until it is confirmed.",
                _ => "Order confirmed: the quantity is promised and counts as demand.",
            },
        )),
        Err(e) => {
            let refusal = Refusal::of(e)?.renamed(input_of);
            let status = refusal.status();
            match refusal {
                Refusal::Atp(r) => {
                    let offer = refused_view(&state, &typed, &r).await;
                    entry_page(
                        &state,
                        &form.session,
                        typed,
                        Vec::new(),
                        Some(offer),
                        status,
                    )
                    .await
                }
                other => {
                    let errors = other.errors_for("order");
                    entry_page(&state, &form.session, typed, errors, None, status).await
                }
            }
        }
    }
}
