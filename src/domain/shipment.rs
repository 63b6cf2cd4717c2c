//! Shipments: what leaves, against an order or a contract month, in lots.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::lifecycle::ShipmentStatus;
use super::reconciliation::Grams;
use super::{AssayValue, Kg, KgAmount, Period};
use crate::error::FieldError;

/// One production lot in a shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Lot {
    #[schema(example = "BT-2026-1107-03", min_length = 1, max_length = 60)]
    pub lot_number: String,
    #[schema(example = "5000.000")]
    pub quantity_kg: Kg,
    /// Assay values by element or property, decimal strings (e.g. `{"Nd2O3_pct": "75.2"}`).
    #[serde(default)]
    #[schema(value_type = Option<Object>, example = json!({"TREO_pct": "99.5", "Pr6O11_pct": "24.8"}))]
    pub assay: Option<BTreeMap<String, AssayValue>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Shipment {
    pub id: uuid::Uuid,
    #[schema(example = "SHP-2026-000012")]
    pub number: String,
    /// The order it fulfils, or
    pub order_id: Option<uuid::Uuid>,
    /// the contract whose month it fulfils.
    pub contract_id: Option<uuid::Uuid>,
    /// The delivery month it counts for.
    #[schema(example = "2027-01")]
    pub period: Period,
    pub customer_id: uuid::Uuid,
    pub product_id: uuid::Uuid,
    #[schema(example = "10000.000")]
    pub quantity_kg: Kg,
    pub lots: Vec<Lot>,
    pub planned_ship_date: NaiveDate,
    pub shipped_on: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    #[schema(example = "COSCO Shipping Aries")]
    pub vessel: Option<String>,
    #[schema(example = "042E")]
    pub voyage: Option<String>,
    #[schema(example = "COSU6123456780")]
    pub bl_number: Option<String>,
    pub containers: Vec<String>,
    pub export_licence_id: Option<uuid::Uuid>,
    pub status: ShipmentStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl Shipment {
    pub fn grams(&self) -> Grams {
        self.quantity_kg.grams().unwrap_or(0)
    }
}

/// Most characters of a lot number.
pub const MAX_LOT_NUMBER_CHARS: usize = 60;
/// Most lots in one shipment.
pub const MAX_LOTS: usize = 200;
/// Most assay values of one lot, and most characters of an assay name.
pub const MAX_ASSAY_VALUES: usize = 50;
pub const MAX_ASSAY_NAME_CHARS: usize = 40;

/// Lots must be named once each and add up to the shipment.
pub fn lot_problems(lots: &[Lot], quantity_g: Grams) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if lots.is_empty() {
        errors.push(FieldError::new("lots", "must list at least one lot"));
    }
    if lots.len() > MAX_LOTS {
        errors.push(FieldError::new("lots", "must list at most 200 lots"));
        return errors;
    }
    let mut seen = BTreeSet::new();
    let mut total: i128 = 0;
    for (i, lot) in lots.iter().enumerate() {
        let number = lot.lot_number.trim();
        if number.is_empty() || lot.lot_number.chars().count() > MAX_LOT_NUMBER_CHARS {
            errors.push(FieldError::new(
                format!("lots[{i}].lot_number"),
                "must be 1–60 characters",
            ));
        } else if !seen.insert(number.to_string()) {
            errors.push(FieldError::new(
                format!("lots[{i}].lot_number"),
                "appears twice",
            ));
        }
        if let Some(assay) = &lot.assay {
            if assay.len() > MAX_ASSAY_VALUES {
                errors.push(FieldError::new(
                    format!("lots[{i}].assay"),
                    "must hold at most 50 values",
                ));
            }
            if assay
                .keys()
                .any(|k| k.trim().is_empty() || k.chars().count() > MAX_ASSAY_NAME_CHARS)
            {
                errors.push(FieldError::new(
                    format!("lots[{i}].assay"),
                    "names must be 1–40 characters",
                ));
            }
        }
        match lot.quantity_kg.grams() {
            Some(g) if g > 0 => total += i128::from(g),
            _ => errors.push(FieldError::new(
                format!("lots[{i}].quantity_kg"),
                "must be greater than 0",
            )),
        }
    }
    if !lots.is_empty() && total != i128::from(quantity_g) {
        errors.push(FieldError::new(
            "lots",
            format!(
                "lot quantities add up to {} kg but the shipment is {} kg",
                KgAmount::from_grams_wide(total).display(),
                KgAmount::from_grams(quantity_g).display()
            ),
        ));
    }
    errors
}

/// The most that may ship against a commitment of `quantity_g` with `tolerance_milli_pct`:
/// the top of its tolerance band.
pub fn shipment_limit(quantity_g: Grams, tolerance_milli_pct: i64) -> Grams {
    super::fulfilment::band(quantity_g, tolerance_milli_pct).1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(n: &str, kg: &str) -> Lot {
        Lot {
            lot_number: n.into(),
            quantity_kg: serde_json::from_str(&format!("\"{kg}\""))
                .unwrap_or_else(|_| unreachable!()),
            assay: None,
        }
    }

    #[test]
    fn lots_add_up_and_are_named_once() {
        assert!(lot_problems(&[lot("A", "6"), lot("B", "4")], 10_000).is_empty());
        let fields: Vec<String> = lot_problems(&[lot("A", "6"), lot("A", "0")], 10_000)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["lots[1].lot_number", "lots[1].quantity_kg", "lots"]
        );
        assert_eq!(lot_problems(&[], 1).len(), 1);
    }

    #[test]
    fn tolerance_limit() {
        assert_eq!(shipment_limit(10_000_000, 5_000), 10_500_000);
        assert_eq!(shipment_limit(10_000_000, 0), 10_000_000);
        assert_eq!(shipment_limit(333, 10_000), 366);
    }
}
