//! Pricing terms of contracts and orders: a fixed price, or a formula on a market price index.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::quantity::{Factor, Price};

/// `{"type":"fixed","unit_price":"62.50"}` or
/// `{"type":"index","index_id":…,"qp_offset_months":-1,"multiplier":"1","premium":"-1.50","floor":"55","ceiling":"80"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PricingTerms {
    /// A fixed unit price per kg.
    Fixed {
        #[schema(value_type = String, example = "62.50")]
        unit_price: Price,
    },
    /// clamp(round(index average of the quotation month × multiplier + premium, 2), floor, ceiling).
    Index {
        index_id: uuid::Uuid,
        /// Quotation month relative to the delivery month (−1: the month before).
        #[serde(default = "default_qp_offset")]
        #[schema(example = -1)]
        qp_offset_months: i32,
        #[serde(default = "Factor::one")]
        #[schema(value_type = String, example = "1")]
        multiplier: Factor,
        /// Added per kg after the multiplier; may be negative.
        #[serde(default = "Price::zero")]
        #[schema(value_type = String, example = "-1.50")]
        premium: Price,
        #[serde(default)]
        #[schema(value_type = Option<String>, example = "55")]
        floor: Option<Price>,
        #[serde(default)]
        #[schema(value_type = Option<String>, example = "80")]
        ceiling: Option<Price>,
    },
}

fn default_qp_offset() -> i32 {
    -1
}

impl PricingTerms {
    /// What is wrong with the terms themselves (index existence and currency are checked
    /// against the database by the caller); `(field suffix, message)`.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        match self {
            PricingTerms::Fixed { unit_price } => {
                if unit_price.value().is_sign_negative() || unit_price.value().is_zero() {
                    out.push(("unit_price", "must be greater than 0".to_string()));
                }
            }
            PricingTerms::Index {
                qp_offset_months,
                multiplier,
                floor,
                ceiling,
                ..
            } => {
                if !(-12..=12).contains(qp_offset_months) {
                    out.push(("qp_offset_months", "must be between -12 and 12".to_string()));
                }
                if multiplier.value().is_sign_negative() || multiplier.value().is_zero() {
                    out.push(("multiplier", "must be greater than 0".to_string()));
                }
                if floor.is_some_and(|f| f.value().is_sign_negative()) {
                    out.push(("floor", "must not be negative".to_string()));
                }
                if let (Some(f), Some(c)) = (floor, ceiling) {
                    if f.value() > c.value() {
                        out.push(("ceiling", "must not be below the floor".to_string()));
                    }
                }
            }
        }
        out
    }

    pub fn index_id(&self) -> Option<uuid::Uuid> {
        match self {
            PricingTerms::Index { index_id, .. } => Some(*index_id),
            PricingTerms::Fixed { .. } => None,
        }
    }

    /// The same terms with `extra` added per kg (an add-on order's premium over its contract);
    /// `None` when the sum overflows.
    pub fn plus_premium(&self, extra: Price) -> Option<PricingTerms> {
        Some(match self {
            PricingTerms::Fixed { unit_price } => PricingTerms::Fixed {
                unit_price: unit_price.checked_add(extra)?,
            },
            PricingTerms::Index {
                index_id,
                qp_offset_months,
                multiplier,
                premium,
                floor,
                ceiling,
            } => PricingTerms::Index {
                index_id: *index_id,
                qp_offset_months: *qp_offset_months,
                multiplier: *multiplier,
                premium: premium.checked_add(extra)?,
                floor: *floor,
                ceiling: *ceiling,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms_with_defaults() {
        let fixed: Result<PricingTerms, _> =
            serde_json::from_str(r#"{"type":"fixed","unit_price":"62.50"}"#);
        assert!(matches!(fixed, Ok(PricingTerms::Fixed { .. })));
        let index: Result<PricingTerms, _> = serde_json::from_str(
            r#"{"type":"index","index_id":"6aab728c-5d25-46c0-b1b1-b708c14db466","premium":"-1.5","floor":"55","ceiling":"80"}"#,
        );
        match index {
            Ok(
                t @ PricingTerms::Index {
                    qp_offset_months: -1,
                    ..
                },
            ) => assert!(t.problems().is_empty()),
            other => panic!("{other:?}"),
        }
        assert!(
            serde_json::from_str::<PricingTerms>(r#"{"type":"fixed","unit_price":62.5}"#).is_err()
        );
        assert!(
            serde_json::from_str::<PricingTerms>(r#"{"type":"fixed","unit_price":"1","x":1}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<PricingTerms>(r#"{"type":"barter"}"#).is_err());
    }

    #[test]
    fn premium_adds_to_either_form() {
        let fixed: PricingTerms = serde_json::from_str(r#"{"type":"fixed","unit_price":"62.50"}"#)
            .unwrap_or_else(|_| unreachable!());
        let extra: Price = serde_json::from_str(r#""2.25""#).unwrap_or_else(|_| unreachable!());
        assert_eq!(
            serde_json::to_string(&fixed.plus_premium(extra)).unwrap_or_default(),
            r#"{"type":"fixed","unit_price":"64.75"}"#
        );
    }
}
