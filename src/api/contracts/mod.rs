//! `/api/v1/contracts`: long-term contracts, their monthly schedules and lifecycle.

mod amendments;
mod create;
mod lifecycle;
mod list;
mod pricing;
mod read;
mod schedule;
mod update;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::validate::Checks;
use crate::db::models::contract::ContractRow;
use crate::db::scaled::{self, from_scaled, to_scaled, PCT_SCALE, PRICE_SCALE};
use crate::db::schema::{contract_lines, contracts, price_indices};
use crate::db::DbConnection;
use crate::domain::lifecycle::ContractStatus;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::reconciliation::Grams;
use crate::domain::reference::{is_currency, is_incoterm, CURRENCIES, INCOTERMS};
use crate::domain::{Kg, Percent, Period, Price};
use crate::error::{ApiError, FieldError};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list::list_contracts)
        .service(create::create_contract)
        .service(read::get_contract)
        .service(update::update_contract)
        .service(schedule::replace_contract_schedule)
        .service(amendments::list_contract_amendments)
        .service(pricing::get_contract_pricing)
        .service(lifecycle::activate_contract)
        .service(lifecycle::suspend_contract)
        .service(lifecycle::resume_contract)
        .service(lifecycle::complete_contract)
        .service(lifecycle::terminate_contract);
}

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
    pub id: uuid::Uuid,
    #[schema(example = "LTC-2027-00001")]
    pub number: String,
    pub customer_id: uuid::Uuid,
    pub product_id: uuid::Uuid,
    #[schema(example = "2027-01")]
    pub start_period: Period,
    #[schema(example = "2027-12")]
    pub end_period: Period,
    pub schedule: Vec<ScheduleLine>,
    /// Sum of the schedule.
    #[schema(example = "144000.000")]
    pub total_kg: Kg,
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
}

/// A new contract (created as a draft).
#[derive(Debug, Deserialize, ToSchema)]
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
    pub number: Option<String>,
    pub customer_id: uuid::Uuid,
    pub product_id: uuid::Uuid,
    pub start_period: Period,
    pub end_period: Period,
    pub schedule: Vec<ScheduleLine>,
    #[serde(default = "zero_pct")]
    pub tolerance_pct: Percent,
    pub incoterm: String,
    pub incoterm_place: String,
    pub currency: String,
    pub payment_terms: String,
    pub pricing: PricingTerms,
    pub addon_premium: Option<Price>,
    #[serde(default)]
    pub priority: i32,
    pub external_ref: Option<String>,
}

fn zero_pct() -> Percent {
    Percent::new(rust_decimal::Decimal::ZERO).unwrap_or_else(|| unreachable!())
}

/// Everything a contract is made of, validated as a whole on create and on every change.
#[derive(Debug, Clone)]
pub struct ContractTerms {
    pub customer_id: String,
    pub product_id: String,
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
}

impl ContractTerms {
    /// The schedule in grams per month (valid terms only).
    pub fn grams(&self) -> BTreeMap<Period, Grams> {
        self.schedule
            .iter()
            .filter_map(|l| Some((l.period, scaled::grams(l.quantity_kg)?)))
            .collect()
    }

    /// The rules that need no database.
    pub fn check(&self) -> Vec<FieldError> {
        let mut c = Checks::default();
        c.check(
            self.start_period <= self.end_period,
            "end_period",
            "must not be before start_period",
        )
        .check(
            self.start_period.months_until(self.end_period) < 240,
            "end_period",
            "a contract runs at most 20 years",
        )
        .check(
            !self.schedule.is_empty(),
            "schedule",
            "must have at least one month",
        )
        .check(
            self.schedule.len() <= 240,
            "schedule",
            "must have at most 240 months",
        )
        .check(
            (0..=100_000).contains(&to_scaled(self.tolerance_pct.value(), PCT_SCALE).unwrap_or(-1)),
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
                scaled::grams(line.quantity_kg).is_some_and(|g| g > 0),
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
        c.into_errors()
    }

    /// All rules, including that the customer, product and price index exist and fit.
    pub fn validate(&self, conn: &mut DbConnection) -> Result<(), ApiError> {
        let mut errors = self.check();
        errors.extend(crate::api::master::customer_problem(
            conn,
            &self.customer_id,
            "customer_id",
        )?);
        errors.extend(crate::api::master::product_problem(
            conn,
            &self.product_id,
            "product_id",
        )?);
        if let Some(e) = check_index(conn, &self.pricing, &self.currency, "pricing.index_id")? {
            errors.push(e);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// The index of index-linked terms must exist and be in the contract's or order's currency.
pub fn check_index(
    conn: &mut DbConnection,
    pricing: &PricingTerms,
    currency: &str,
    field: &str,
) -> Result<Option<FieldError>, ApiError> {
    let Some(index_id) = pricing.index_id() else {
        return Ok(None);
    };
    let index_currency: Option<String> = price_indices::table
        .find(index_id.to_string())
        .select(price_indices::currency)
        .first(conn)
        .optional()?;
    Ok(match index_currency {
        None => Some(FieldError::new(field, "no such price index")),
        Some(c) if c != currency && is_currency(currency) => Some(FieldError::new(
            field,
            format!("the index is in {c} but the terms are in {currency}; currencies must match"),
        )),
        _ => None,
    })
}

fn uuid(s: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(s).unwrap_or_default()
}

fn period(s: &str) -> Period {
    Period::parse(s).unwrap_or_else(|| Period::new(2000, 1).unwrap_or_else(|| unreachable!()))
}

/// A stored contract with its schedule.
pub struct StoredContract {
    pub row: ContractRow,
    pub lines: Vec<(String, i64)>,
}

impl StoredContract {
    pub fn status(&self) -> ContractStatus {
        ContractStatus::parse(&self.row.status).unwrap_or(ContractStatus::Draft)
    }

    pub fn terms(&self) -> ContractTerms {
        let r = &self.row;
        ContractTerms {
            customer_id: r.customer_id.clone(),
            product_id: r.product_id.clone(),
            start_period: period(&r.start_period),
            end_period: period(&r.end_period),
            schedule: self.schedule(),
            tolerance_pct: Percent::new(from_scaled(r.tolerance_milli_pct, PCT_SCALE))
                .unwrap_or_else(zero_pct),
            incoterm: r.incoterm.clone(),
            incoterm_place: r.incoterm_place.clone(),
            currency: r.currency.clone(),
            payment_terms: r.payment_terms.clone(),
            pricing: pricing_of(&r.pricing_json),
            addon_premium: r
                .addon_premium_e4
                .and_then(|v| Price::new(from_scaled(v, PRICE_SCALE))),
            priority: r.priority,
            external_ref: r.external_ref.clone(),
        }
    }

    pub fn schedule(&self) -> Vec<ScheduleLine> {
        self.lines
            .iter()
            .map(|(p, g)| ScheduleLine {
                period: period(p),
                quantity_kg: scaled::kg(*g),
            })
            .collect()
    }

    pub fn view(&self) -> Contract {
        let t = self.terms();
        let r = &self.row;
        Contract {
            id: uuid(&r.id),
            number: r.number.clone(),
            customer_id: uuid(&r.customer_id),
            product_id: uuid(&r.product_id),
            start_period: t.start_period,
            end_period: t.end_period,
            total_kg: scaled::kg(self.lines.iter().map(|(_, g)| g).sum()),
            schedule: t.schedule,
            tolerance_pct: t.tolerance_pct,
            incoterm: t.incoterm,
            incoterm_place: t.incoterm_place,
            currency: t.currency,
            payment_terms: t.payment_terms,
            pricing: t.pricing,
            addon_premium: t.addon_premium,
            priority: r.priority,
            status: self.status(),
            external_ref: r.external_ref.clone(),
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

pub fn pricing_of(json: &str) -> PricingTerms {
    serde_json::from_str(json).unwrap_or(PricingTerms::Fixed {
        unit_price: Price::zero(),
    })
}

/// Writes `terms` into a row (for insert or update).
pub fn apply_terms(row: &mut ContractRow, t: &ContractTerms) {
    row.customer_id = t.customer_id.clone();
    row.product_id = t.product_id.clone();
    row.start_period = t.start_period.to_string();
    row.end_period = t.end_period.to_string();
    row.tolerance_milli_pct = to_scaled(t.tolerance_pct.value(), PCT_SCALE).unwrap_or(0);
    row.incoterm = t.incoterm.clone();
    row.incoterm_place = t.incoterm_place.trim().to_string();
    row.currency = t.currency.clone();
    row.payment_terms = t.payment_terms.trim().to_string();
    row.pricing_json = serde_json::to_string(&t.pricing).unwrap_or_default();
    row.addon_premium_e4 = t
        .addon_premium
        .and_then(|p| to_scaled(p.value(), PRICE_SCALE));
    row.priority = t.priority;
    row.external_ref = t.external_ref.clone();
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<StoredContract, ApiError> {
    let row = contracts::table
        .find(id)
        .select(ContractRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("contract"))?;
    let lines = contract_lines::table
        .filter(contract_lines::contract_id.eq(id))
        .order(contract_lines::period.asc())
        .select((contract_lines::period, contract_lines::quantity_g))
        .load(conn)?;
    Ok(StoredContract { row, lines })
}

/// Replaces a contract's schedule lines.
pub fn write_lines(
    conn: &mut DbConnection,
    id: &str,
    schedule: &BTreeMap<Period, Grams>,
) -> Result<(), ApiError> {
    diesel::delete(contract_lines::table.filter(contract_lines::contract_id.eq(id)))
        .execute(conn)?;
    for (p, g) in schedule {
        diesel::insert_into(contract_lines::table)
            .values((
                contract_lines::contract_id.eq(id),
                contract_lines::period.eq(p.to_string()),
                contract_lines::quantity_g.eq(g),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Writes a changed row if nobody changed it since it was read (else 412).
pub fn save(
    conn: &mut DbConnection,
    before: &ContractRow,
    after: &ContractRow,
) -> Result<(), ApiError> {
    let n = diesel::update(
        contracts::table
            .filter(contracts::id.eq(&before.id))
            .filter(contracts::version.eq(before.version)),
    )
    .set(after)
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed(
            "the contract was changed concurrently; read it again".into(),
        ));
    }
    Ok(())
}

/// 409 when another contract has this number or external_ref.
pub fn ensure_unique(conn: &mut DbConnection, row: &ContractRow) -> Result<(), ApiError> {
    let taken: i64 = contracts::table
        .filter(contracts::number.eq(&row.number))
        .filter(contracts::id.ne(&row.id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(ApiError::conflict(format!(
            "a contract numbered {} exists",
            row.number
        )));
    }
    if let Some(ext) = &row.external_ref {
        let taken: i64 = contracts::table
            .filter(contracts::external_ref.eq(ext))
            .filter(contracts::id.ne(&row.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::conflict(format!(
                "a contract with external_ref {ext} exists"
            )));
        }
    }
    Ok(())
}

impl crate::db::models::Versioned for StoredContract {
    fn id(&self) -> &str {
        &self.row.id
    }
    fn created_at(&self) -> chrono::NaiveDateTime {
        self.row.created_at
    }
    fn version(&self) -> i64 {
        self.row.version
    }
}

impl From<&StoredContract> for Contract {
    fn from(c: &StoredContract) -> Contract {
        c.view()
    }
}

/// The audit/event snapshot of a contract.
pub fn snapshot(c: &StoredContract) -> Option<serde_json::Value> {
    crate::change::snapshot(&c.view())
}
