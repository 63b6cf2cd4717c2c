use chrono::Datelike;
use serde::Deserialize;
use utoipa::ToSchema;

use super::terms;
use crate::db::{counters, now_utc, DbConnection};
use crate::domain::contract::{Contract, ContractTerms, ScheduleLine};
use crate::domain::lifecycle::ContractStatus;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::reference::is_code;
use crate::domain::settlement::QualityTerm;
use crate::domain::EntityId;
use crate::domain::{CustomerId, ProductId};
use crate::domain::{KgAmount, Percent, Period, Permission, Price};
use crate::error::OpError;
use crate::{lifecycle, Actor};

/// A new contract (created as a draft).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_id": "6aab728c-5d25-46c0-b1b1-b708c14db466",
    "product_id": "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a",
    "start_period": "2027-01", "end_period": "2027-03",
    "schedule": [{"period": "2027-01", "quantity_kg": "12000.000"}, {"period": "2027-02", "quantity_kg": "12000.000"}, {"period": "2027-03", "quantity_kg": "12000.000"}],
    "tolerance_pct": "5", "incoterm": "FOB", "incoterm_place": "Tianjin", "currency": "USD",
    "payment_terms": "30 days net", "pricing": {"type": "fixed", "unit_price": "62.50"}, "addon_premium": "2.00"
}))]
pub struct NewContract {
    /// Generated (`LTC-<year>-<n>`) when absent.
    #[schema(max_length = 40)]
    pub number: Option<String>,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    pub start_period: Period,
    pub end_period: Period,
    #[schema(max_items = 240)]
    pub schedule: Vec<ScheduleLine>,
    #[serde(default = "Percent::zero")]
    pub tolerance_pct: Percent,
    #[schema(min_length = 3, max_length = 3)]
    pub incoterm: String,
    #[schema(max_length = 200)]
    pub incoterm_place: String,
    #[schema(min_length = 3, max_length = 3)]
    pub currency: String,
    #[schema(max_length = 200)]
    pub payment_terms: String,
    pub pricing: PricingTerms,
    pub addon_premium: Option<Price>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000)]
    pub priority: i32,
    #[schema(max_length = 100)]
    pub external_ref: Option<String>,
    /// Assay terms for the lots, at most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub quality_terms: Vec<QualityTerm>,
    /// The share of a shipment's provisional value due at shipment (default 100).
    pub provisional_payment_pct: Option<Percent>,
}

impl NewContract {
    pub(super) fn terms(self) -> (Option<String>, ContractTerms) {
        (
            self.number,
            ContractTerms {
                customer_id: self.customer_id,
                product_id: self.product_id,
                start_period: self.start_period,
                end_period: self.end_period,
                schedule: self.schedule,
                tolerance_pct: self.tolerance_pct,
                incoterm: self.incoterm,
                incoterm_place: self.incoterm_place,
                currency: self.currency,
                payment_terms: self.payment_terms,
                pricing: self.pricing,
                addon_premium: self.addon_premium,
                priority: self.priority,
                external_ref: self.external_ref,
                quality_terms: self.quality_terms,
                provisional_payment_pct: self
                    .provisional_payment_pct
                    .unwrap_or_else(|| Percent::from_milli(100_000)),
            },
        )
    }
}

/// Creates a draft contract; nothing is committed until it is activated. Roles: admin, sales.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewContract,
) -> Result<Contract, OpError> {
    actor.require(Permission::WriteContracts)?;
    let (number, t) = new.terms();
    if let Some(n) = &number {
        if !is_code(n) {
            return Err(OpError::field(
                "number",
                "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
            ));
        }
    }
    terms::validate(conn, &t)?;
    let at = now_utc();
    let number = match number {
        Some(n) => n,
        None => format!(
            "LTC-{}-{:05}",
            at.year(),
            counters::next(conn, "contracts")?
        ),
    };
    let mut contract = Contract {
        fulfilment: None,
        id: EntityId::fresh(),
        number,
        customer_id: t.customer_id,
        product_id: t.product_id,
        start_period: t.start_period,
        end_period: t.end_period,
        schedule: Vec::new(),
        total_kg: KgAmount::from_grams(0),
        tolerance_pct: t.tolerance_pct,
        incoterm: String::new(),
        incoterm_place: String::new(),
        currency: String::new(),
        payment_terms: String::new(),
        pricing: t.pricing.clone(),
        addon_premium: None,
        priority: 0,
        status: ContractStatus::Draft,
        external_ref: None,
        created_at: at,
        updated_at: at,
        version: 1,
        ended_period: None,
        quality_terms: Vec::new(),
        provisional_payment_pct: t.provisional_payment_pct,
    };
    contract.set_terms(t);
    terms::ensure_unique(conn, &contract)?;
    lifecycle::create(conn, actor, contract)
}
