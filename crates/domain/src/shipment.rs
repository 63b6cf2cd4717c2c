//! Shipments: what leaves, against an order or a contract month, in lots.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::lifecycle::ShipmentStatus;
use super::reconciliation::Grams;
use super::{AssayValue, Kg, KgAmount, Period};
use crate::ids::{ContractId, CustomerId, LicenceId, OrderId, ProductId, ShipmentId};
use crate::validation::FieldError;

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
    #[schema(value_type = uuid::Uuid)]
    pub id: ShipmentId,
    #[schema(example = "SHP-2026-000012")]
    pub number: String,
    /// The order it fulfils, or
    #[schema(value_type = Option<uuid::Uuid>)]
    pub order_id: Option<OrderId>,
    /// the contract whose month it fulfils.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    /// The delivery month it counts for.
    #[schema(example = "2027-01")]
    pub period: Period,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(example = "10000.000")]
    pub quantity_kg: Kg,
    pub lots: Vec<Lot>,
    pub planned_ship_date: NaiveDate,
    pub shipped_on: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    /// How it travels; the documents below depend on it.
    pub transport_mode: TransportMode,
    /// Sea: the vessel.
    #[schema(example = "COSCO Shipping Aries")]
    pub vessel: Option<String>,
    /// Sea: the voyage.
    #[schema(example = "042E")]
    pub voyage: Option<String>,
    /// Sea: the bill of lading.
    #[schema(example = "COSU6123456780")]
    pub bl_number: Option<String>,
    /// Air: the air waybill.
    #[schema(example = "999-12345675")]
    pub air_waybill: Option<String>,
    /// Air: the flight.
    #[schema(example = "CA1041")]
    pub flight: Option<String>,
    /// Rail (CIM or SMGS) or road (CMR): the consignment note.
    #[schema(example = "CIM-2027-004512")]
    pub consignment_note: Option<String>,
    /// Sea, rail or road: container numbers.
    pub containers: Vec<String>,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub export_licence_id: Option<LicenceId>,
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
/// How a shipment travels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransportMode {
    #[default]
    Sea,
    Air,
    Rail,
    Road,
}

impl TransportMode {
    pub fn as_str(self) -> &'static str {
        match self {
            TransportMode::Sea => "sea",
            TransportMode::Air => "air",
            TransportMode::Rail => "rail",
            TransportMode::Road => "road",
        }
    }

    pub fn parse(s: &str) -> Option<TransportMode> {
        match s {
            "sea" => Some(TransportMode::Sea),
            "air" => Some(TransportMode::Air),
            "rail" => Some(TransportMode::Rail),
            "road" => Some(TransportMode::Road),
            _ => None,
        }
    }
}

/// The transport documents a departure names (each `None` when not given).
#[derive(Debug, Default, Clone, Copy)]
pub struct Documents<'a> {
    pub vessel: Option<&'a str>,
    pub voyage: Option<&'a str>,
    pub bl_number: Option<&'a str>,
    pub air_waybill: Option<&'a str>,
    pub flight: Option<&'a str>,
    pub consignment_note: Option<&'a str>,
    pub containers: usize,
}

/// What each mode requires and refuses: by sea a vessel and a bill of lading (voyage and
/// containers optional); by air an air waybill (flight optional, no containers); by rail or
/// road a consignment note (containers optional). A document of another mode is refused, so a
/// shipment never carries a bill of lading it did not travel under.
pub fn document_problems(mode: TransportMode, d: &Documents<'_>) -> Vec<FieldError> {
    let given = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
    let (required, allowed): (&[&str], &[&str]) = match mode {
        TransportMode::Sea => (&["vessel", "bl_number"], &["voyage", "containers"]),
        TransportMode::Air => (&["air_waybill"], &["flight"]),
        TransportMode::Rail | TransportMode::Road => (&["consignment_note"], &["containers"]),
    };
    let present = [
        ("vessel", given(d.vessel)),
        ("voyage", given(d.voyage)),
        ("bl_number", given(d.bl_number)),
        ("air_waybill", given(d.air_waybill)),
        ("flight", given(d.flight)),
        ("consignment_note", given(d.consignment_note)),
        ("containers", d.containers > 0),
    ];
    let mut errors = Vec::new();
    for (field, is_given) in present {
        if required.contains(&field) && !is_given {
            errors.push(FieldError::new(
                field,
                format!("is required for a shipment by {}", mode.as_str()),
            ));
        } else if is_given && !required.contains(&field) && !allowed.contains(&field) {
            errors.push(FieldError::new(
                field,
                format!("does not apply to a shipment by {}", mode.as_str()),
            ));
        }
    }
    errors
}

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

/// The filters of the list, shared by the operation that pages it and the table that
/// answers it.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShipmentFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only shipments changed at or after this instant (RFC 3339), for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    pub status: Option<ShipmentStatus>,
    /// Only shipments travelling this way.
    pub transport_mode: Option<TransportMode>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub order_id: Option<OrderId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    #[param(value_type = Option<String>, example = "2027-01")]
    pub from: Option<Period>,
    #[param(value_type = Option<String>, example = "2027-12")]
    pub to: Option<Period>,
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

#[cfg(test)]
mod transport_tests {
    use super::*;

    fn fields(mode: TransportMode, d: Documents<'_>) -> Vec<String> {
        document_problems(mode, &d)
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn each_mode_has_its_documents() {
        let sea = Documents {
            vessel: Some("COSCO Aries"),
            bl_number: Some("COSU1"),
            containers: 2,
            ..Documents::default()
        };
        assert!(fields(TransportMode::Sea, sea).is_empty());
        assert_eq!(
            fields(TransportMode::Air, sea),
            ["vessel", "bl_number", "air_waybill", "containers"]
        );
        let air = Documents {
            air_waybill: Some("999-12345675"),
            flight: Some("CA1041"),
            ..Documents::default()
        };
        assert!(fields(TransportMode::Air, air).is_empty());
        assert_eq!(
            fields(TransportMode::Sea, air),
            ["vessel", "bl_number", "air_waybill", "flight"]
        );
        let land = Documents {
            consignment_note: Some("CMR 0815"),
            containers: 1,
            ..Documents::default()
        };
        assert!(fields(TransportMode::Rail, land).is_empty());
        assert!(fields(TransportMode::Road, land).is_empty());
        assert_eq!(
            fields(TransportMode::Road, Documents::default()),
            ["consignment_note"]
        );
        // Blank counts as absent.
        let blank = Documents {
            vessel: Some("  "),
            bl_number: Some("B"),
            ..Documents::default()
        };
        assert_eq!(fields(TransportMode::Sea, blank), ["vessel"]);
    }

    #[test]
    fn modes_round_trip() {
        for m in [
            TransportMode::Sea,
            TransportMode::Air,
            TransportMode::Rail,
            TransportMode::Road,
        ] {
            assert_eq!(TransportMode::parse(m.as_str()), Some(m));
        }
        assert_eq!(TransportMode::parse("pigeon"), None);
    }
}
