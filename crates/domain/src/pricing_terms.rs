//! Pricing terms of contracts and orders: a fixed price, or a formula on a market price index.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::quantity::{Factor, Price};
use crate::ids::PriceIndexId;

/// `{"type":"fixed","unit_price":"62.50"}` or
/// `{"type":"index","index_id":…,"qp_offset_months":-1,"multiplier":"1","premium":"-1.50","floor":"55","ceiling":"80"}`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
#[schema(discriminator(property_name = "type", mapping(
    ("fixed" = "#/components/schemas/FixedPricing"),
    ("index" = "#/components/schemas/IndexPricing"),
)))]
pub enum PricingTerms {
    Fixed(FixedPricing),
    Index(IndexPricing),
}

/// The discriminator of fixed-price terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FixedType {
    Fixed,
}

/// The discriminator of index-linked terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndexType {
    Index,
}

/// A fixed unit price per kg.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FixedPricing {
    #[serde(rename = "type")]
    pub kind: FixedType,
    #[schema(example = "62.50")]
    pub unit_price: Price,
}

/// clamp(round(index average of the quotation month × multiplier + premium, 2), floor, ceiling).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndexPricing {
    #[serde(rename = "type")]
    pub kind: IndexType,
    #[schema(value_type = uuid::Uuid)]
    pub index_id: PriceIndexId,
    /// Quotation month relative to the delivery month (−1: the month before), −12 to 12.
    #[serde(default = "default_qp_offset")]
    #[schema(example = -1, minimum = -12, maximum = 12)]
    pub qp_offset_months: i32,
    /// Greater than 0, at most 100.
    #[serde(default = "Factor::one")]
    #[schema(example = "1")]
    pub multiplier: Factor,
    /// Added per kg after the multiplier; may be negative.
    #[serde(default = "Price::zero")]
    #[schema(example = "-1.50")]
    pub premium: Price,
    #[serde(default)]
    #[schema(example = "55")]
    pub floor: Option<Price>,
    #[serde(default)]
    #[schema(example = "80")]
    pub ceiling: Option<Price>,
}

/// Marks an error found inside a value that serde's path tracking cannot enter (an internally
/// tagged union): the API puts `inner path` after the outer one, so the error names the member.
pub const NESTED_FIELD: char = '\u{241E}';

/// Deserialises `value` as `T`, prefixing an error with the path inside the value.
fn nested<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let member = message
            .strip_prefix("unknown field `")
            .or_else(|| message.strip_prefix("missing field `"))
            .and_then(|rest| rest.split('`').next());
        let path = match (path.as_str(), member) {
            (".", Some(m)) => m.to_string(),
            (p, _) => p.to_string(),
        };
        E::custom(format!("{NESTED_FIELD}{path}{NESTED_FIELD}{message}"))
    })
}

impl<'de> Deserialize<'de> for PricingTerms {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let kind = value
            .as_object()
            .ok_or_else(|| D::Error::custom("pricing terms must be an object with a `type`"))?
            .get("type")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        match kind.as_deref() {
            Some("fixed") => nested(value).map(PricingTerms::Fixed),
            Some("index") => nested(value).map(PricingTerms::Index),
            Some(other) => Err(D::Error::custom(format!(
                "{NESTED_FIELD}type{NESTED_FIELD}unknown pricing type `{other}`: use fixed or index"
            ))),
            None => Err(D::Error::custom(format!(
                "{NESTED_FIELD}type{NESTED_FIELD}missing field `type`: fixed or index"
            ))),
        }
    }
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
            PricingTerms::Fixed(f) => {
                if f.unit_price.value().is_sign_negative() || f.unit_price.value().is_zero() {
                    out.push(("unit_price", "must be greater than 0".to_string()));
                }
            }
            PricingTerms::Index(i) => {
                if !(-12..=12).contains(&i.qp_offset_months) {
                    out.push(("qp_offset_months", "must be between -12 and 12".to_string()));
                }
                if i.multiplier.value().is_zero() {
                    out.push(("multiplier", "must be greater than 0".to_string()));
                }
                if i.floor.is_some_and(|f| f.value().is_sign_negative()) {
                    out.push(("floor", "must not be negative".to_string()));
                }
                if let (Some(f), Some(c)) = (i.floor, i.ceiling) {
                    if f.value() > c.value() {
                        out.push(("ceiling", "must not be below the floor".to_string()));
                    }
                }
            }
        }
        out
    }

    pub fn index_id(&self) -> Option<PriceIndexId> {
        match self {
            PricingTerms::Index(i) => Some(i.index_id),
            PricingTerms::Fixed(_) => None,
        }
    }

    /// Fixed-price terms.
    pub fn fixed(unit_price: Price) -> PricingTerms {
        PricingTerms::Fixed(FixedPricing {
            kind: FixedType::Fixed,
            unit_price,
        })
    }

    /// The same terms with `extra` added per kg (an add-on order's premium over its contract);
    /// `None` when the sum leaves the price range.
    pub fn plus_premium(&self, extra: Price) -> Option<PricingTerms> {
        Some(match self {
            PricingTerms::Fixed(f) => PricingTerms::fixed(f.unit_price.checked_add(extra)?),
            PricingTerms::Index(i) => PricingTerms::Index(IndexPricing {
                premium: i.premium.checked_add(extra)?,
                ..i.clone()
            }),
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
                t @ PricingTerms::Index(IndexPricing {
                    qp_offset_months: -1,
                    ..
                }),
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
