use chrono::Datelike;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::parties::{self, Parties};
use crate::db::{counters, now_utc, DbConnection};
use crate::domain::lifecycle::{OrderStatus, OrderType};
use crate::domain::order::{inherited_pricing, Order, PricingSource};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::reference::{is_code, is_currency, is_incoterm, CURRENCIES};
use crate::domain::EntityId;
use crate::domain::{ContractId, CustomerId, ProductId};
use crate::domain::{Kg, Period, Permission};
use crate::error::{Checks, FieldError, OpError};
use crate::references::index_problem;
use crate::{lifecycle, Actor};

/// A new order (created as a draft).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "order_type": "add_on", "contract_id": "2f1c0d7e-8a3b-4c55-9a55-0d0f5b1e9a11",
    "customer_id": "6aab728c-5d25-46c0-b1b1-b708c14db466", "product_id": "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a",
    "period": "2027-03", "quantity_kg": "2000.000"
}))]
pub struct NewOrder {
    /// Generated (`ORD-<year>-<n>`) when absent.
    #[schema(max_length = 40)]
    pub number: Option<String>,
    pub order_type: OrderType,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    /// Required for add-on orders: an active contract of the same customer and product.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(example = "2000.000")]
    pub quantity_kg: Kg,
    /// Required for spot orders; an add-on order without it takes its contract's terms plus
    /// the contract's add-on premium.
    pub pricing: Option<PricingTerms>,
    /// Defaults to the contract's for add-on orders.
    #[schema(min_length = 3, max_length = 3)]
    pub currency: Option<String>,
    #[schema(min_length = 3, max_length = 3)]
    pub incoterm: Option<String>,
    #[schema(max_length = 200)]
    pub incoterm_place: Option<String>,
    #[schema(max_length = 100)]
    pub external_ref: Option<String>,
    /// Assay terms for the lots of a spot order, at most 20 (an add-on order follows its
    /// contract's). Fixed once the order exists.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub quality_terms: Vec<crate::domain::settlement::QualityTerm>,
}

/// The checks that need no database.
fn check(new: &NewOrder) -> Result<(), OpError> {
    let mut checks = Checks::default();
    if let Some(n) = &new.number {
        checks.check(
            is_code(n),
            "number",
            "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
        );
    }
    checks.check(
        new.quantity_kg.grams().is_some_and(|g| g > 0),
        "quantity_kg",
        "must be greater than 0",
    );
    match new.order_type {
        OrderType::AddOn => {
            checks
                .check(
                    new.contract_id.is_some(),
                    "contract_id",
                    "is required for an add-on order",
                )
                .check(
                    new.quality_terms.is_empty(),
                    "quality_terms",
                    "an add-on order follows its contract's quality terms",
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
    checks.extend(crate::domain::settlement::quality_problems(
        &new.quality_terms,
        "quality_terms",
    ));
    Ok(checks.finish()?)
}

/// Creates a draft order. An add-on order takes what it does not give from its contract:
/// currency, Incoterm and place, and pricing (the contract's plus its add-on premium).
/// Roles: admin, sales, integration.
pub fn create(conn: &mut DbConnection, actor: &Actor, new: NewOrder) -> Result<Order, OpError> {
    actor.require(Permission::WriteOrders)?;
    check(&new)?;
    let (mut errors, contract) = parties::check(
        conn,
        &Parties {
            customer_id: new.customer_id,
            product_id: new.product_id,
            contract_id: new.contract_id,
            period: new.period,
        },
    )?;
    let mut source = PricingSource::Order;
    let pricing = match (&new.pricing, &contract) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(c)) => {
            source = PricingSource::Contract;
            if new.currency.as_ref().is_some_and(|cur| *cur != c.currency) {
                errors.push(FieldError::new(
                    "currency",
                    "must be the contract's when the order takes the contract's pricing",
                ));
            }
            let inherited = inherited_pricing(&c.pricing, c.addon_premium);
            if inherited.is_none() {
                errors.push(FieldError::new(
                    "pricing",
                    "the contract's price plus its add-on premium is out of range; give the order its own pricing",
                ));
            }
            inherited
        }
        (None, None) => None,
    };
    let pick = |given: &Option<String>, from_contract: Option<&String>| {
        given
            .clone()
            .or_else(|| from_contract.cloned())
            .unwrap_or_default()
    };
    let currency = pick(&new.currency, contract.as_ref().map(|c| &c.currency));
    let incoterm = pick(&new.incoterm, contract.as_ref().map(|c| &c.incoterm));
    let incoterm_place = pick(
        &new.incoterm_place,
        contract.as_ref().map(|c| &c.incoterm_place),
    );
    if !is_currency(&currency) && !currency.is_empty() {
        errors.push(FieldError::new(
            "currency",
            format!("must be one of {}", CURRENCIES.join(", ")),
        ));
    }
    if !is_incoterm(&incoterm) && !incoterm.is_empty() {
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
        errors.extend(index_problem(conn, p, "pricing.index_id")?);
    }
    if !errors.is_empty() {
        return Err(OpError::Validation(errors));
    }
    let Some(pricing) = pricing else {
        return Err(OpError::field("pricing", "is required"));
    };
    let at = now_utc();
    let number = match new.number {
        Some(n) => n,
        None => format!("ORD-{}-{:06}", at.year(), counters::next(conn, "orders")?),
    };
    let order = Order {
        id: EntityId::fresh(),
        number,
        order_type: new.order_type,
        customer_id: new.customer_id,
        product_id: new.product_id,
        contract_id: new.contract_id,
        period: new.period,
        quantity_kg: new.quantity_kg,
        pricing,
        pricing_source: source,
        currency,
        incoterm,
        incoterm_place: incoterm_place.trim().to_string(),
        status: OrderStatus::Draft,
        confirmed_at: None,
        external_ref: new.external_ref,
        created_at: at,
        updated_at: at,
        version: 1,
        quality_terms: new
            .quality_terms
            .into_iter()
            .map(|mut q| {
                q.assay_key = q.assay_key.trim().to_string();
                q
            })
            .collect(),
    };
    super::update::ensure_unique(conn, &order)?;
    lifecycle::create(conn, actor, order)
}
