//! Long-term contracts: one customer, one product, a term, a monthly schedule and its terms.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::lifecycle::ContractStatus;
use super::pricing_terms::PricingTerms;
use super::reconciliation::Grams;
use super::reference::{is_currency, is_incoterm, CURRENCIES, INCOTERMS};
use super::settlement::{quality_problems, QualityTerm};
use super::{Kg, KgAmount, Percent, Period, Price};
use crate::ids::{ContractId, CustomerId, ProductId};
use crate::validation::{Checks, FieldError};

/// One month of a delivery schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleLine {
    #[schema(example = "2027-01")]
    pub period: Period,
    #[schema(example = "12000.000")]
    pub quantity_kg: Kg,
}

/// A long-term contract.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contract {
    #[schema(value_type = uuid::Uuid)]
    pub id: ContractId,
    #[schema(example = "LTC-2027-00001")]
    pub number: String,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "2027-01")]
    pub start_period: Period,
    #[schema(example = "2027-12")]
    pub end_period: Period,
    pub schedule: Vec<ScheduleLine>,
    /// Sum of the schedule.
    #[schema(example = "144000.000")]
    pub total_kg: KgAmount,
    /// Quantity tolerance, ± percent.
    #[schema(example = "5.0")]
    pub tolerance_pct: Percent,
    #[schema(example = "FOB")]
    pub incoterm: String,
    #[schema(example = "Tianjin")]
    pub incoterm_place: String,
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "30 days net")]
    pub payment_terms: String,
    pub pricing: PricingTerms,
    /// Added per kg to the contract's pricing for add-on orders without their own.
    #[schema(example = "2.00")]
    pub addon_premium: Option<Price>,
    /// Higher is more important.
    #[schema(example = 100)]
    pub priority: i32,
    pub status: ContractStatus,
    pub external_ref: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// Assay terms for its lots: deductions below a guaranteed minimum, a rejection limit.
    pub quality_terms: Vec<QualityTerm>,
    /// The share of a shipment's provisional value due at shipment, percent (0 < pct ≤ 100).
    #[schema(example = "90.0")]
    pub provisional_payment_pct: Percent,
    /// The month the contract ended (completed or terminated): its months from then on are
    /// released, no longer owed or counted as demand. Absent while it runs.
    #[schema(value_type = Option<String>, example = json!(null))]
    pub ended_period: Option<Period>,
    /// In lists only: due, shipped and delivered over the whole schedule, so a list needs no
    /// call per contract (`GET /contracts/{id}/fulfilment` has the months).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fulfilment: Option<crate::fulfilment::FulfilmentTotals>,
}

/// Everything a contract is made of that its owner chooses, validated as a whole on create and
/// on every change.
#[derive(Debug, Clone)]
pub struct ContractTerms {
    pub customer_id: CustomerId,
    pub product_id: ProductId,
    pub start_period: Period,
    pub end_period: Period,
    pub schedule: Vec<ScheduleLine>,
    pub tolerance_pct: Percent,
    pub incoterm: String,
    pub incoterm_place: String,
    pub currency: String,
    pub payment_terms: String,
    pub pricing: PricingTerms,
    pub addon_premium: Option<Price>,
    pub priority: i32,
    pub external_ref: Option<String>,
    pub quality_terms: Vec<QualityTerm>,
    pub provisional_payment_pct: Percent,
}

/// Longest contract term, and most schedule lines, in months.
pub const MAX_TERM_MONTHS: i32 = 240;

impl ContractTerms {
    /// The rules that need no database, each error naming its field.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut c = Checks::default();
        c.check(
            self.start_period <= self.end_period,
            "end_period",
            "must not be before start_period",
        )
        .check(
            self.start_period.months_until(self.end_period) < MAX_TERM_MONTHS,
            "end_period",
            "a contract runs at most 20 years",
        )
        .check(
            !self.schedule.is_empty(),
            "schedule",
            "must have at least one month",
        )
        .check(
            self.schedule.len() <= MAX_TERM_MONTHS as usize,
            "schedule",
            "must have at most 240 months",
        )
        .check(
            (rust_decimal::Decimal::ZERO..=rust_decimal::Decimal::ONE_HUNDRED)
                .contains(&self.tolerance_pct.value()),
            "tolerance_pct",
            "must be between 0 and 100",
        )
        .check(
            is_incoterm(&self.incoterm),
            "incoterm",
            format!("must be an Incoterms 2020 code: {}", INCOTERMS.join(", ")),
        )
        .text(&self.incoterm_place, "incoterm_place", 200)
        .check(
            is_currency(&self.currency),
            "currency",
            format!("must be one of {}", CURRENCIES.join(", ")),
        )
        .text(&self.payment_terms, "payment_terms", 200)
        .check(
            (0..=1000).contains(&self.priority),
            "priority",
            "must be between 0 and 1000",
        );
        let mut seen = BTreeSet::new();
        for (i, line) in self.schedule.iter().enumerate() {
            let field = |f: &str| format!("schedule[{i}].{f}");
            c.check(
                seen.insert(line.period),
                &field("period"),
                "appears twice in the schedule",
            )
            .check(
                line.period >= self.start_period && line.period <= self.end_period,
                &field("period"),
                "must lie within the contract term",
            )
            .check(
                line.quantity_kg.grams().is_some_and(|g| g > 0),
                &field("quantity_kg"),
                "must be greater than 0",
            );
        }
        for (field, message) in self.pricing.problems() {
            c.check(false, &format!("pricing.{field}"), message);
        }
        if let Some(ext) = &self.external_ref {
            c.text(ext, "external_ref", 100);
        }
        c.check(
            self.provisional_payment_pct.value() > rust_decimal::Decimal::ZERO
                && self.provisional_payment_pct.value() <= rust_decimal::Decimal::ONE_HUNDRED,
            "provisional_payment_pct",
            "must be more than 0 and at most 100",
        );
        let mut errors = c.into_errors();
        errors.extend(quality_problems(&self.quality_terms, "quality_terms"));
        errors
    }

    /// The schedule in grams per month.
    pub fn grams(&self) -> BTreeMap<Period, Grams> {
        schedule_grams(&self.schedule)
    }
}

/// A schedule in grams per month (lines whose quantity does not convert are left out; valid
/// terms have none).
pub fn schedule_grams(schedule: &[ScheduleLine]) -> BTreeMap<Period, Grams> {
    schedule
        .iter()
        .filter_map(|l| Some((l.period, l.quantity_kg.grams()?)))
        .collect()
}

/// The months a new schedule grows over an old one, by how much.
pub fn growth(
    old: &BTreeMap<Period, Grams>,
    new: &BTreeMap<Period, Grams>,
) -> BTreeMap<Period, Grams> {
    new.iter()
        .filter_map(|(p, g)| {
            let more = g.saturating_sub(old.get(p).copied().unwrap_or(0));
            (more > 0).then_some((*p, more))
        })
        .collect()
}

impl Contract {
    pub fn terms(&self) -> ContractTerms {
        ContractTerms {
            customer_id: self.customer_id,
            product_id: self.product_id,
            start_period: self.start_period,
            end_period: self.end_period,
            schedule: self.schedule.clone(),
            tolerance_pct: self.tolerance_pct,
            incoterm: self.incoterm.clone(),
            incoterm_place: self.incoterm_place.clone(),
            currency: self.currency.clone(),
            payment_terms: self.payment_terms.clone(),
            pricing: self.pricing.clone(),
            addon_premium: self.addon_premium,
            priority: self.priority,
            external_ref: self.external_ref.clone(),
            quality_terms: self.quality_terms.clone(),
            provisional_payment_pct: self.provisional_payment_pct,
        }
    }

    /// Takes over changed terms (trimming free text), keeping identity and lifecycle.
    pub fn set_terms(&mut self, t: ContractTerms) {
        self.customer_id = t.customer_id;
        self.product_id = t.product_id;
        self.start_period = t.start_period;
        self.end_period = t.end_period;
        self.set_schedule(t.schedule);
        self.tolerance_pct = t.tolerance_pct;
        self.incoterm = t.incoterm;
        self.incoterm_place = t.incoterm_place.trim().to_string();
        self.currency = t.currency;
        self.payment_terms = t.payment_terms.trim().to_string();
        self.pricing = t.pricing;
        self.addon_premium = t.addon_premium;
        self.priority = t.priority;
        self.external_ref = t.external_ref;
        self.quality_terms = t
            .quality_terms
            .into_iter()
            .map(|mut q| {
                q.assay_key = q.assay_key.trim().to_string();
                q
            })
            .collect();
        self.provisional_payment_pct = t.provisional_payment_pct;
    }

    /// A new schedule, kept in month order with its total.
    pub fn set_schedule(&mut self, mut schedule: Vec<ScheduleLine>) {
        schedule.sort_by_key(|l| l.period);
        let total: i128 = schedule
            .iter()
            .filter_map(|l| l.quantity_kg.grams())
            .map(i128::from)
            .sum();
        self.total_kg = KgAmount::from_grams_wide(total);
        self.schedule = schedule;
    }

    /// The schedule in grams per month.
    pub fn grams(&self) -> BTreeMap<Period, Grams> {
        schedule_grams(&self.schedule)
    }

    /// Scheduled grams of one month, if the contract schedules it.
    pub fn scheduled(&self, period: Period) -> Option<Grams> {
        self.schedule
            .iter()
            .find(|l| l.period == period)
            .and_then(|l| l.quantity_kg.grams())
    }

    /// Tolerance in 1/1000 percent, as the fulfilment band takes it.
    pub fn tolerance_milli_pct(&self) -> i64 {
        self.tolerance_pct.milli().unwrap_or(0)
    }

    pub fn covers(&self, period: Period) -> bool {
        period >= self.start_period && period <= self.end_period
    }
}

/// A change to an active contract's schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct Amendment {
    pub id: uuid::Uuid,
    #[schema(value_type = uuid::Uuid)]
    pub contract_id: ContractId,
    #[schema(example = "akiko")]
    pub actor: String,
    #[schema(example = "customer asked for more in January")]
    pub reason: String,
    pub old_schedule: Vec<ScheduleLine>,
    pub new_schedule: Vec<ScheduleLine>,
    /// Whether a planner or admin accepted a shortfall to make it.
    pub atp_override: bool,
    pub at: DateTime<Utc>,
}

/// The filters of the list, shared by the operation that pages it and the table that
/// answers it.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContractFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only contracts changed at or after this instant (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
    pub status: Option<ContractStatus>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    /// Only contracts whose term overlaps `from`–`to` (YYYY-MM).
    #[param(value_type = Option<String>, example = "2027-01")]
    pub from: Option<Period>,
    #[param(value_type = Option<String>, example = "2027-12")]
    pub to: Option<Period>,
    pub number: Option<String>,
    pub external_ref: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap_or_else(|| unreachable!())
    }

    fn kg(s: &str) -> Kg {
        serde_json::from_str(&format!("\"{s}\"")).unwrap_or_else(|_| unreachable!())
    }

    fn terms() -> ContractTerms {
        ContractTerms {
            customer_id: CustomerId::from_uuid(uuid::Uuid::nil()),
            product_id: ProductId::from_uuid(uuid::Uuid::nil()),
            start_period: p("2027-01"),
            end_period: p("2027-03"),
            schedule: vec![ScheduleLine {
                period: p("2027-01"),
                quantity_kg: kg("100"),
            }],
            tolerance_pct: serde_json::from_str("\"5\"").unwrap_or_else(|_| unreachable!()),
            incoterm: "FOB".into(),
            incoterm_place: "Tianjin".into(),
            currency: "USD".into(),
            payment_terms: "30 days net".into(),
            pricing: serde_json::from_str(r#"{"type":"fixed","unit_price":"62.5"}"#)
                .unwrap_or_else(|_| unreachable!()),
            addon_premium: None,
            priority: 0,
            external_ref: None,
            quality_terms: Vec::new(),
            provisional_payment_pct: Percent::from_milli(100_000),
        }
    }

    fn fields(t: &ContractTerms) -> Vec<String> {
        t.problems().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn valid_terms_have_no_problems() {
        assert!(terms().problems().is_empty());
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut t = terms();
        t.end_period = p("2026-12");
        t.incoterm = "XYZ".into();
        t.currency = "GBP".into();
        t.priority = 1001;
        t.schedule.push(ScheduleLine {
            period: p("2027-01"),
            quantity_kg: kg("0"),
        });
        assert_eq!(
            fields(&t),
            [
                "end_period",
                "incoterm",
                "currency",
                "priority",
                "schedule[0].period",
                "schedule[1].period",
                "schedule[1].period",
                "schedule[1].quantity_kg"
            ]
        );
    }

    #[test]
    fn growth_keeps_only_months_that_grow() {
        let old = BTreeMap::from([(p("2027-01"), 100), (p("2027-02"), 100)]);
        let new = BTreeMap::from([(p("2027-01"), 50), (p("2027-02"), 150), (p("2027-03"), 10)]);
        assert_eq!(
            growth(&old, &new),
            BTreeMap::from([(p("2027-02"), 50), (p("2027-03"), 10)])
        );
    }
}
