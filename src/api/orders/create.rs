use actix_web::{post, web, HttpResponse};
use chrono::Datelike;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use super::Order;
use crate::api::contracts::{self, check_index, StoredContract};
use crate::api::extract::ValidJson;
use crate::api::respond;
use crate::api::validate::Checks;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::order::OrderRow;
use crate::db::schema::orders;
use crate::db::{counters, now, scaled, DbConnection};
use crate::domain::lifecycle::{ContractStatus, OrderStatus, OrderType};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::reference::{is_code, is_currency, is_incoterm, CURRENCIES};
use crate::domain::{Kg, Period, Permission};
use crate::error::{ApiError, FieldError};
use crate::openapi::WriteErrors;
use crate::startup::AppState;

/// A new order (created as a draft).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "order_type": "add_on", "contract_id": "2f1c0d7e-8a3b-4c55-9a55-0d0f5b1e9a11",
    "customer_id": "6aab728c-5d25-46c0-b1b1-b708c14db466", "product_id": "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a",
    "period": "2027-03", "quantity_kg": "2000.000"
}))]
pub struct NewOrder {
    /// Generated (`ORD-<year>-<n>`) when absent.
    pub number: Option<String>,
    pub order_type: OrderType,
    pub customer_id: uuid::Uuid,
    pub product_id: uuid::Uuid,
    /// Required for add-on orders: an active contract of the same customer and product.
    pub contract_id: Option<uuid::Uuid>,
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(example = "2000.000")]
    pub quantity_kg: Kg,
    /// Required for spot orders; an add-on order without it takes its contract's terms plus
    /// the contract's add-on premium.
    pub pricing: Option<PricingTerms>,
    /// Defaults to the contract's for add-on orders.
    pub currency: Option<String>,
    pub incoterm: Option<String>,
    pub incoterm_place: Option<String>,
    pub external_ref: Option<String>,
}

/// Checks the customer and product, and for an add-on order its contract: active, same
/// customer and product, term covering the month.
pub(super) fn check_parties(
    conn: &mut DbConnection,
    row: &OrderRow,
) -> Result<Vec<FieldError>, ApiError> {
    parties(conn, row).map(|(errors, _)| errors)
}

/// As `check_parties`, also handing back the order's contract when it is a fit.
fn parties(
    conn: &mut DbConnection,
    row: &OrderRow,
) -> Result<(Vec<FieldError>, Option<StoredContract>), ApiError> {
    let mut contract = None;
    let mut errors = Vec::new();
    errors.extend(crate::api::master::customer_problem(
        conn,
        &row.customer_id,
        "customer_id",
    )?);
    errors.extend(crate::api::master::product_problem(
        conn,
        &row.product_id,
        "product_id",
    )?);
    if let Some(contract_id) = &row.contract_id {
        match contracts::find(conn, contract_id) {
            Err(ApiError::NotFound(_)) => {
                errors.push(FieldError::new("contract_id", "no such contract"))
            }
            Err(e) => return Err(e),
            Ok(c) => {
                if c.status() != ContractStatus::Active {
                    errors.push(FieldError::new(
                        "contract_id",
                        format!("the contract is {}, not active", c.status().as_str()),
                    ));
                }
                if c.row.customer_id != row.customer_id || c.row.product_id != row.product_id {
                    errors.push(FieldError::new(
                        "contract_id",
                        "the contract is for another customer or product",
                    ));
                }
                if row.period < c.row.start_period || row.period > c.row.end_period {
                    errors.push(FieldError::new(
                        "period",
                        format!(
                            "must lie within the contract term {}–{}",
                            c.row.start_period, c.row.end_period
                        ),
                    ));
                }
                if errors.iter().all(|e| e.field != "contract_id") {
                    contract = Some(c);
                }
            }
        }
    }
    Ok((errors, contract))
}

/// Create an order
///
/// Created as a draft. Roles: admin, sales, integration.
#[utoipa::path(
    tag = "orders",
    request_body = NewOrder,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 201, description = "Created", body = Order), WriteErrors),
)]
#[post("/orders")]
pub async fn create_order(
    state: web::Data<AppState>,
    caller: Principal,
    body: ValidJson<NewOrder>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteOrders)?;
    let new = body.0;
    let mut checks = Checks::default();
    if let Some(n) = &new.number {
        checks.check(
            is_code(n),
            "number",
            "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
        );
    }
    checks.check(
        scaled::grams(new.quantity_kg).is_some_and(|g| g > 0),
        "quantity_kg",
        "must be greater than 0",
    );
    match new.order_type {
        OrderType::AddOn => {
            checks.check(
                new.contract_id.is_some(),
                "contract_id",
                "is required for an add-on order",
            );
        }
        OrderType::Spot => {
            checks
                .check(
                    new.contract_id.is_none(),
                    "contract_id",
                    "is only for add-on orders",
                )
                .check(
                    new.pricing.is_some(),
                    "pricing",
                    "is required for a spot order",
                )
                .check(
                    new.currency.is_some(),
                    "currency",
                    "is required for a spot order",
                )
                .check(
                    new.incoterm.is_some(),
                    "incoterm",
                    "is required for a spot order",
                )
                .check(
                    new.incoterm_place.is_some(),
                    "incoterm_place",
                    "is required for a spot order",
                );
        }
    }
    if let Some(p) = &new.pricing {
        for (field, message) in p.problems() {
            checks.check(false, &format!("pricing.{field}"), message);
        }
    }
    if let Some(ext) = &new.external_ref {
        checks.text(ext, "external_ref", 100);
    }
    checks.finish()?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |conn| {
            let at = now();
            let mut row = OrderRow {
                id: uuid::Uuid::new_v4().to_string(),
                number: String::new(),
                order_type: new.order_type.as_str().into(),
                customer_id: new.customer_id.to_string(),
                product_id: new.product_id.to_string(),
                contract_id: new.contract_id.map(|c| c.to_string()),
                period: new.period.to_string(),
                quantity_g: scaled::grams(new.quantity_kg).unwrap_or(0),
                pricing_json: String::new(),
                pricing_source: "order".into(),
                currency: new.currency.clone().unwrap_or_default(),
                incoterm: new.incoterm.clone().unwrap_or_default(),
                incoterm_place: new.incoterm_place.clone().unwrap_or_default(),
                status: OrderStatus::Draft.as_str().into(),
                confirmed_at: None,
                external_ref: new.external_ref.clone(),
                created_at: at,
                updated_at: at,
                version: 1,
            };
            let (mut errors, contract) = parties(conn, &row)?;
            let pricing = match (&new.pricing, &contract) {
                (Some(p), _) => Some(p.clone()),
                (None, Some(c)) => {
                    let t = c.terms();
                    row.pricing_source = "contract".into();
                    if new.currency.as_ref().is_some_and(|cur| *cur != t.currency) {
                        errors.push(FieldError::new(
                            "currency",
                            "must be the contract's when the order takes the contract's pricing",
                        ));
                    }
                    Some(match t.addon_premium {
                        Some(premium) => t.pricing.plus_premium(premium),
                        None => t.pricing,
                    })
                }
                (None, None) => None,
            };
            if let Some(c) = &contract {
                if row.currency.is_empty() {
                    row.currency = c.row.currency.clone();
                }
                if row.incoterm.is_empty() {
                    row.incoterm = c.row.incoterm.clone();
                }
                if row.incoterm_place.is_empty() {
                    row.incoterm_place = c.row.incoterm_place.clone();
                }
            }
            if !is_currency(&row.currency) && !row.currency.is_empty() {
                errors.push(FieldError::new(
                    "currency",
                    format!("must be one of {}", CURRENCIES.join(", ")),
                ));
            }
            if !is_incoterm(&row.incoterm) && !row.incoterm.is_empty() {
                errors.push(FieldError::new(
                    "incoterm",
                    "must be an Incoterms 2020 code such as FOB or CIF",
                ));
            }
            if new
                .incoterm_place
                .as_ref()
                .is_some_and(|p| p.trim().is_empty() || p.chars().count() > 200)
            {
                errors.push(FieldError::new(
                    "incoterm_place",
                    "must be 1–200 characters",
                ));
            }
            if let Some(p) = &pricing {
                if let Some(e) = check_index(conn, p, &row.currency, "pricing.index_id")? {
                    errors.push(e);
                }
                row.pricing_json = serde_json::to_string(p).unwrap_or_default();
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            row.number = match new.number {
                Some(n) => n,
                None => format!("ORD-{}-{:06}", at.year(), counters::next(conn, "orders")?),
            };
            row.incoterm_place = row.incoterm_place.trim().to_string();
            super::ensure_unique(conn, &row)?;
            diesel::insert_into(orders::table)
                .values(&row)
                .execute(conn)?;
            change::record(
                conn,
                &actor,
                Change {
                    action: "created",
                    entity_type: "order",
                    entity_id: &row.id,
                    before: None,
                    after: change::snapshot(&Order::from(&row)),
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(respond::created(
        row.version,
        format!("/api/v1/orders/{}", row.id),
        &Order::from(&row),
    ))
}
