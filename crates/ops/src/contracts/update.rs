use serde::Deserialize;
use utoipa::ToSchema;

use super::terms;
use crate::db::DbConnection;
use crate::domain::contract::{Contract, ScheduleLine};
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::{ContractId, CustomerId, ProductId};
use crate::domain::{Percent, Period, Permission, Price};
use crate::error::OpError;
use crate::patch::{double_option, set};
use crate::{lifecycle, Actor, Expect};

/// Changes to a draft contract; absent members stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tolerance_pct": "10", "incoterm": "CIF", "incoterm_place": "Yokohama"}))]
pub struct ContractPatch {
    #[schema(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    pub start_period: Option<Period>,
    pub end_period: Option<Period>,
    #[schema(max_items = 240)]
    pub schedule: Option<Vec<ScheduleLine>>,
    pub tolerance_pct: Option<Percent>,
    #[schema(min_length = 3, max_length = 3)]
    pub incoterm: Option<String>,
    #[schema(max_length = 200)]
    pub incoterm_place: Option<String>,
    #[schema(min_length = 3, max_length = 3)]
    pub currency: Option<String>,
    #[schema(max_length = 200)]
    pub payment_terms: Option<String>,
    pub pricing: Option<PricingTerms>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Price>)]
    pub addon_premium: Option<Option<Price>>,
    #[schema(minimum = 0, maximum = 1000)]
    pub priority: Option<i32>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub external_ref: Option<Option<String>>,
    /// Replaces the assay terms (at most 20; `[]` clears them).
    #[schema(max_items = 20)]
    pub quality_terms: Option<Vec<crate::domain::settlement::QualityTerm>>,
    pub provisional_payment_pct: Option<Percent>,
}

/// Edits a draft contract (409 otherwise); an active contract's schedule changes through
/// [`super::replace_schedule`] as an amendment.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    expect: &Expect,
    p: ContractPatch,
) -> Result<Contract, OpError> {
    actor.require(Permission::WriteContracts)?;
    lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "updated",
        |conn, before: &Contract, _| {
            super::actions::editable(before)?;
            let mut t = before.terms();
            set(&mut t.customer_id, p.customer_id);
            set(&mut t.product_id, p.product_id);
            set(&mut t.start_period, p.start_period);
            set(&mut t.end_period, p.end_period);
            set(&mut t.schedule, p.schedule);
            set(&mut t.tolerance_pct, p.tolerance_pct);
            set(&mut t.incoterm, p.incoterm);
            set(&mut t.incoterm_place, p.incoterm_place);
            set(&mut t.currency, p.currency);
            set(&mut t.payment_terms, p.payment_terms);
            set(&mut t.pricing, p.pricing);
            set(&mut t.addon_premium, p.addon_premium);
            set(&mut t.priority, p.priority);
            set(&mut t.external_ref, p.external_ref);
            set(&mut t.quality_terms, p.quality_terms);
            set(&mut t.provisional_payment_pct, p.provisional_payment_pct);
            terms::validate(conn, &t)?;
            let mut after = before.clone();
            after.set_terms(t);
            terms::ensure_unique(conn, &after)?;
            Ok(after)
        },
    )
}
