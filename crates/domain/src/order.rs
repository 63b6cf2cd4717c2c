//! Spot orders and add-on orders above a contract's plan.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::lifecycle::{OrderStatus, OrderType};
use super::pricing_terms::PricingTerms;
use super::reconciliation::Grams;
use super::{Kg, Period, Price};
use crate::ids::{ContractId, CustomerId, OrderId, ProductId};

/// Where an order's pricing comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PricingSource {
    /// Given with the order.
    Order,
    /// An add-on order without its own: the contract's terms plus its add-on premium.
    Contract,
}

impl PricingSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PricingSource::Order => "order",
            PricingSource::Contract => "contract",
        }
    }

    pub fn parse(s: &str) -> Option<PricingSource> {
        match s {
            "order" => Some(PricingSource::Order),
            "contract" => Some(PricingSource::Contract),
            _ => None,
        }
    }
}

/// A spot or add-on order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Order {
    #[schema(value_type = uuid::Uuid)]
    pub id: OrderId,
    #[schema(example = "ORD-2027-000042")]
    pub number: String,
    pub order_type: OrderType,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    /// The contract an add-on order adds to.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    /// Delivery month.
    #[schema(example = "2027-03")]
    pub period: Period,
    #[schema(example = "2000.000")]
    pub quantity_kg: Kg,
    /// The terms that price this order.
    pub pricing: PricingTerms,
    pub pricing_source: PricingSource,
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "CIF")]
    pub incoterm: String,
    #[schema(example = "Yokohama")]
    pub incoterm_place: String,
    pub status: OrderStatus,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub external_ref: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// Assay terms of a spot order's lots (an add-on order follows its contract's).
    pub quality_terms: Vec<crate::settlement::QualityTerm>,
}

impl Order {
    /// The order's quantity in grams (0 only for corrupt data, which does not parse).
    pub fn grams(&self) -> Grams {
        self.quantity_kg.grams().unwrap_or(0)
    }
}

/// The terms an add-on order without its own pricing takes: its contract's, plus the
/// contract's add-on premium per kg. `None` when the sum leaves the price range.
pub fn inherited_pricing(contract: &PricingTerms, premium: Option<Price>) -> Option<PricingTerms> {
    match premium {
        Some(p) => contract.plus_premium(p),
        None => Some(contract.clone()),
    }
}

/// Where a confirmed order stands once its shipments are counted: `shipped_g` of its
/// non-cancelled shipments have left (shipped or delivered), and `all_delivered` says whether
/// every non-cancelled shipment has arrived.
pub fn status_from_shipments(
    ordered_g: Grams,
    shipped_g: Grams,
    all_delivered: bool,
) -> OrderStatus {
    if shipped_g == 0 {
        OrderStatus::Confirmed
    } else if shipped_g < ordered_g {
        OrderStatus::PartiallyShipped
    } else if all_delivered {
        OrderStatus::Delivered
    } else {
        OrderStatus::Shipped
    }
}

/// The filters of the list, shared by the operation that pages it and the table that
/// answers it.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderFilter {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only orders changed at or after this instant (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
    pub status: Option<OrderStatus>,
    pub order_type: Option<OrderType>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub customer_id: Option<CustomerId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub contract_id: Option<ContractId>,
    /// Delivery months from (YYYY-MM, inclusive).
    #[param(value_type = Option<String>, example = "2027-01")]
    pub from: Option<Period>,
    /// Delivery months to (YYYY-MM, inclusive).
    #[param(value_type = Option<String>, example = "2027-12")]
    pub to: Option<Period>,
    pub number: Option<String>,
    pub external_ref: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_shipments() {
        assert_eq!(status_from_shipments(100, 0, false), OrderStatus::Confirmed);
        assert_eq!(
            status_from_shipments(100, 40, false),
            OrderStatus::PartiallyShipped
        );
        assert_eq!(
            status_from_shipments(100, 40, true),
            OrderStatus::PartiallyShipped
        );
        assert_eq!(status_from_shipments(100, 100, false), OrderStatus::Shipped);
        assert_eq!(
            status_from_shipments(100, 105, true),
            OrderStatus::Delivered
        );
    }

    #[test]
    fn add_ons_inherit_the_contract_price_plus_premium() {
        let terms: PricingTerms = serde_json::from_str(r#"{"type":"fixed","unit_price":"62.50"}"#)
            .unwrap_or_else(|_| unreachable!());
        let premium: Price = serde_json::from_str("\"2\"").unwrap_or_else(|_| unreachable!());
        let got = inherited_pricing(&terms, Some(premium))
            .map(|t| serde_json::to_string(&t).unwrap_or_default());
        assert_eq!(
            got.as_deref(),
            Some(r#"{"type":"fixed","unit_price":"64.50"}"#)
        );
        assert_eq!(
            inherited_pricing(&terms, None)
                .map(|t| serde_json::to_string(&t).unwrap_or_default())
                .as_deref(),
            Some(r#"{"type":"fixed","unit_price":"62.50"}"#)
        );
    }
}
