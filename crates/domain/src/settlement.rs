//! What a shipment is worth: quality terms on the lots' assays, and the settlement of a shipment
//! — provisional at shipment, final when the price is (docs/business-rules.md, "Settlement").
//! Pure functions over exact decimals.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::pricing::round;
use super::shipment::{Lot, MAX_ASSAY_NAME_CHARS};
use super::{AssayValue, Price};
use crate::validation::FieldError;

/// Most quality terms of one contract or order.
pub const MAX_QUALITY_TERMS: usize = 20;

/// An assay term: below `minimum`, each `step` or part of it costs `rate` per kg; below
/// `rejection_limit` the lot is out of specification and not settled automatically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"assay_key": "TREO_pct", "minimum": "99.0", "step": "0.1", "rate": "0.50", "rejection_limit": "98.0"}))]
pub struct QualityTerm {
    /// The name of a lot's assay value, e.g. `TREO_pct` or `Pr6O11_of_TREO_pct`.
    #[schema(min_length = 1, max_length = 40, example = "TREO_pct")]
    pub assay_key: String,
    /// The guaranteed minimum.
    pub minimum: AssayValue,
    /// The size of one step below the minimum, greater than 0.
    pub step: AssayValue,
    /// The deduction per kg for each step or part thereof, in the terms' currency (0 to
    /// 1,000,000).
    pub rate: Price,
    /// Below this the lot is out of specification.
    pub rejection_limit: Option<AssayValue>,
}

/// What is wrong with a set of quality terms, members named from `field`.
pub fn quality_problems(terms: &[QualityTerm], field: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if terms.len() > MAX_QUALITY_TERMS {
        errors.push(FieldError::new(
            field,
            format!("must hold at most {MAX_QUALITY_TERMS} terms"),
        ));
        return errors;
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, t) in terms.iter().enumerate() {
        let at = |m: &str| format!("{field}[{i}].{m}");
        let key = t.assay_key.trim();
        if key.is_empty() || t.assay_key.chars().count() > MAX_ASSAY_NAME_CHARS {
            errors.push(FieldError::new(at("assay_key"), "must be 1–40 characters"));
        } else if !seen.insert(key.to_string()) {
            errors.push(FieldError::new(at("assay_key"), "appears twice"));
        }
        if t.step.value() <= Decimal::ZERO {
            errors.push(FieldError::new(at("step"), "must be greater than 0"));
        }
        if t.rate.value() < Decimal::ZERO {
            errors.push(FieldError::new(at("rate"), "must not be negative"));
        }
        if t.rejection_limit.is_some_and(|r| r > t.minimum) {
            errors.push(FieldError::new(
                at("rejection_limit"),
                "must not be above the minimum",
            ));
        }
    }
    errors
}

/// What the quality terms make of one lot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LotQuality {
    /// Per kg, ≤ 0: the sum over the terms of −rate × ceil((minimum − assay) / step).
    pub adjustment: Decimal,
    /// Below a rejection limit.
    pub out_of_spec: bool,
    /// Terms whose assay the lot does not carry (no adjustment for them).
    pub missing: Vec<String>,
}

/// The quality adjustment of a lot with `assay` under `terms`; `None` past the decimal range
/// (impossible within the bounds).
pub fn lot_quality(
    terms: &[QualityTerm],
    assay: Option<&BTreeMap<String, AssayValue>>,
) -> Option<LotQuality> {
    let mut q = LotQuality::default();
    for t in terms {
        let Some(value) = assay.and_then(|a| a.get(t.assay_key.trim())) else {
            q.missing.push(t.assay_key.clone());
            continue;
        };
        if t.rejection_limit.is_some_and(|r| *value < r) {
            q.out_of_spec = true;
        }
        if *value < t.minimum && t.step.value() > Decimal::ZERO {
            let steps = t
                .minimum
                .value()
                .checked_sub(value.value())?
                .checked_div(t.step.value())?
                .ceil();
            q.adjustment = q
                .adjustment
                .checked_sub(t.rate.value().checked_mul(steps)?)?;
        }
    }
    Some(q)
}

/// One lot of a settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementLine {
    pub lot_number: String,
    /// Kilograms, 3 dp.
    pub quantity_kg: Decimal,
    /// The unit price of the shipment.
    pub base_price: Decimal,
    /// The lot's quality adjustment per kg (≤ 0).
    pub adjustment: Decimal,
    /// base price + adjustment.
    pub unit_price: Decimal,
    /// kg × unit price, 2 dp; `None` for a lot out of specification (not settled
    /// automatically).
    pub amount: Option<Decimal>,
    pub out_of_spec: bool,
    pub missing_assays: Vec<String>,
}

/// A shipment's lots valued at one unit price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valuation {
    pub lines: Vec<SettlementLine>,
    /// The sum of the lines' amounts (lots out of specification left out).
    pub total: Decimal,
}

/// Values `lots` at `unit_price` per kg under `terms`: each line kg × (price + the lot's
/// adjustment), rounded to 2 places; the total is the sum of the rounded lines. `None` past
/// the decimal range (impossible within the bounds).
pub fn value_lots(lots: &[Lot], unit_price: Decimal, terms: &[QualityTerm]) -> Option<Valuation> {
    let mut lines = Vec::with_capacity(lots.len());
    let mut total = Decimal::ZERO;
    for lot in lots {
        let q = lot_quality(terms, lot.assay.as_ref())?;
        let unit = unit_price.checked_add(q.adjustment)?;
        let kg = lot.quantity_kg.value();
        let amount = if q.out_of_spec {
            None
        } else {
            Some(round(kg.checked_mul(unit)?, 2))
        };
        if let Some(a) = amount {
            total = total.checked_add(a)?;
        }
        lines.push(SettlementLine {
            lot_number: lot.lot_number.clone(),
            quantity_kg: kg,
            base_price: unit_price,
            adjustment: q.adjustment,
            unit_price: unit,
            amount,
            out_of_spec: q.out_of_spec,
            missing_assays: q.missing,
        });
    }
    Some(Valuation { lines, total })
}

/// A shipment's lots valued on one day, as stored: the price known that day and what it made
/// of each lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredValuation {
    pub valued_on: chrono::NaiveDate,
    /// Per kg; `None` when nothing priced the month that day.
    pub unit_price: Option<Decimal>,
    pub price_status: super::pricing::PriceStatus,
    pub basis_period: Option<super::Period>,
    pub lines: Vec<SettlementLine>,
    /// The sum of the lines; `None` when unpriced.
    pub value: Option<Decimal>,
    /// Book currency per unit of the terms' currency, and the date of that fixing.
    pub book_rate: Option<Decimal>,
    pub book_rate_date: Option<chrono::NaiveDate>,
}

/// Whether a settlement is still open to price changes or frozen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SettlementStatus {
    /// Provisional: fixed at shipment; its final value follows the price until finalised.
    Open,
    /// Finalised: the final value and balance are frozen.
    Final,
}

impl SettlementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SettlementStatus::Open => "open",
            SettlementStatus::Final => "final",
        }
    }

    pub fn parse(s: &str) -> Option<SettlementStatus> {
        match s {
            "open" => Some(SettlementStatus::Open),
            "final" => Some(SettlementStatus::Final),
            _ => None,
        }
    }
}

/// The share of `value` due now: round2(value × pct / 100).
pub fn amount_due(value: Decimal, pct: Decimal) -> Option<Decimal> {
    Some(round(
        value.checked_mul(pct)?.checked_div(Decimal::ONE_HUNDRED)?,
        2,
    ))
}

/// The final value less what was due provisionally; negative is a credit note.
pub fn balance(final_value: Decimal, provisional_due: Decimal) -> Option<Decimal> {
    final_value.checked_sub(provisional_due)
}

/// An amount in the book currency at `rate` (book units per unit of the amount's currency),
/// 2 dp.
pub fn in_book(amount: Decimal, rate: Decimal) -> Option<Decimal> {
    Some(round(amount.checked_mul(rate)?, 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kg;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }
    fn assay(v: &str) -> AssayValue {
        AssayValue::new(d(v)).unwrap_or_else(|| unreachable!())
    }
    fn lot(n: &str, kg: &str, treo: &str) -> Lot {
        Lot {
            lot_number: n.into(),
            quantity_kg: Kg::new(d(kg)).unwrap_or_else(|| unreachable!()),
            assay: Some(BTreeMap::from([("TREO_pct".to_string(), assay(treo))])),
        }
    }
    fn treo_term(rejection: Option<&str>) -> QualityTerm {
        QualityTerm {
            assay_key: "TREO_pct".into(),
            minimum: assay("99.0"),
            step: assay("0.1"),
            rate: Price::new(d("0.50")).unwrap_or_else(|| unreachable!()),
            rejection_limit: rejection.map(assay),
        }
    }

    /// The worked example: 100.00 USD/kg at shipment, 102.79 final; lots of 10,000 kg
    /// at TREO 99.12 % and 15,000 kg at 98.83 %; TREO minimum 99.0, step 0.1, 0.50 USD/kg per
    /// step; 90 % provisional payment → balance 318,250.00 USD.
    #[test]
    fn the_worked_example_balances_318_250() {
        let lots = [lot("L1", "10000", "99.12"), lot("L2", "15000", "98.83")];
        let terms = [treo_term(None)];
        let provisional = value_lots(&lots, d("100.00"), &terms).unwrap_or_else(|| unreachable!());
        assert_eq!(provisional.lines[0].adjustment, d("0"));
        assert_eq!(provisional.lines[1].adjustment, d("-1.00"));
        assert_eq!(provisional.total, d("2485000.00"));
        let due = amount_due(provisional.total, d("90")).unwrap_or_default();
        assert_eq!(due, d("2236500.00"));
        let fin = value_lots(&lots, d("102.79"), &terms).unwrap_or_else(|| unreachable!());
        assert_eq!(fin.total, d("2554750.00"));
        assert_eq!(balance(fin.total, due), Some(d("318250.00")));
    }

    #[test]
    fn a_part_step_counts_as_a_step_and_the_limit_rejects() {
        let terms = [treo_term(Some("98.0"))];
        let q = |v: &str| lot_quality(&terms, lot("L", "1", v).assay.as_ref()).unwrap_or_default();
        assert_eq!(q("99.0").adjustment, d("0"));
        assert_eq!(q("98.95").adjustment, d("-0.50"));
        assert_eq!(q("98.9").adjustment, d("-0.50"));
        assert_eq!(q("98.89").adjustment, d("-1.00"));
        assert!(!q("98.0").out_of_spec);
        assert!(q("97.99").out_of_spec);
        let none = lot_quality(&terms, None).unwrap_or_default();
        assert_eq!(
            (none.adjustment, none.missing),
            (d("0"), vec!["TREO_pct".to_string()])
        );
        let out = value_lots(
            &[lot("A", "10", "99.5"), lot("B", "5", "97")],
            d("100"),
            &terms,
        )
        .unwrap_or_else(|| unreachable!());
        assert_eq!(out.lines[1].amount, None);
        assert_eq!(out.total, d("1000.00"));
    }

    #[test]
    fn terms_are_refused_by_member() {
        let mut bad = treo_term(Some("99.5"));
        bad.step = assay("0");
        let mut twice = treo_term(None);
        twice.assay_key = " TREO_pct".into();
        let fields: Vec<String> = quality_problems(&[bad, twice], "quality_terms")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "quality_terms[0].step",
                "quality_terms[0].rejection_limit",
                "quality_terms[1].assay_key"
            ]
        );
        let many = vec![treo_term(None); 21];
        assert_eq!(quality_problems(&many, "quality_terms").len(), 1);
    }

    fn bounded_lot() -> impl Strategy<Value = Lot> {
        (1i64..=100_000_000_000, 0i64..=1_000_000_000_000).prop_map(|(grams, micro)| Lot {
            lot_number: "L".into(),
            quantity_kg: Kg::from_grams(grams),
            assay: Some(BTreeMap::from([(
                "TREO_pct".to_string(),
                AssayValue::new(Decimal::new(micro, 6)).unwrap_or_else(|| unreachable!()),
            )])),
        })
    }

    fn bounded_term() -> impl Strategy<Value = QualityTerm> {
        (
            0i64..=1_000_000_000_000,
            1i64..=1_000_000_000_000,
            0i64..=10_000_000_000,
        )
            .prop_map(|(min, step, rate)| QualityTerm {
                assay_key: "TREO_pct".into(),
                minimum: AssayValue::new(Decimal::new(min, 6)).unwrap_or_else(|| unreachable!()),
                step: AssayValue::new(Decimal::new(step, 6)).unwrap_or_else(|| unreachable!()),
                rate: Price::new(Decimal::new(rate, 4)).unwrap_or_else(|| unreachable!()),
                rejection_limit: None,
            })
    }

    proptest! {
        /// Over the whole bounded input range (200 lots of up to 100,000,000 kg, prices up to
        /// ±1,000,000 per kg, any assay and term) valuing never panics, and the lines always
        /// add up to the total.
        #[test]
        fn lines_always_add_up_to_the_total(
            lots in proptest::collection::vec(bounded_lot(), 1..200),
            price in -10_000_000_000i64..=10_000_000_000,
            terms in proptest::collection::vec(bounded_term(), 0..3),
            pct in 0i64..=100_000,
        ) {
            let unit = Decimal::new(price, 4);
            if let Some(v) = value_lots(&lots, unit, &terms) {
                let sum: Decimal = v.lines.iter().filter_map(|l| l.amount).sum();
                prop_assert_eq!(sum, v.total);
                prop_assert!(v.lines.iter().all(|l| l.adjustment <= Decimal::ZERO));
                let due = amount_due(v.total, Decimal::new(pct, 3));
                prop_assert!(due.is_some());
            }
        }
    }
}
