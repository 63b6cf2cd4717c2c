//! Fulfilment against a tolerance band (docs/business-rules.md, "Fulfilment and deliveries").

use serde::Serialize;
use utoipa::ToSchema;

use super::period::Period;
use super::reconciliation::Grams;
use super::KgAmount;

/// How a commitment's month stands against its tolerance band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FulfilmentStatus {
    /// Within the band, or the month is still open.
    OnTrack,
    /// Closed (contract completed or terminated) below the band.
    UnderDelivered,
    /// Shipped above the band.
    OverDelivered,
    /// The month is over and shipments are below the band.
    Late,
    /// The contract ended (completed or terminated) before this month: nothing is owed.
    Released,
}

/// The band `due × (1 ± tolerance)` in grams; tolerance in 1/1000 percent.
pub fn band(due: Grams, tolerance_milli_pct: i64) -> (Grams, Grams) {
    let delta = i128::from(due) * i128::from(tolerance_milli_pct) / 100_000;
    let delta = Grams::try_from(delta).unwrap_or(Grams::MAX);
    (due.saturating_sub(delta).max(0), due.saturating_add(delta))
}

/// The status of one month: over-delivered above the band at any time; once the month is
/// over, below the band is late (or under-delivered when the commitment ended, in `ended`); a
/// month from the one the commitment ended in on, with nothing shipped, is released.
pub fn status(
    due: Grams,
    shipped: Grams,
    tolerance_milli_pct: i64,
    period: Period,
    current: Period,
    ended: Option<Period>,
) -> FulfilmentStatus {
    let (lower, upper) = band(due, tolerance_milli_pct);
    let closed = ended.is_some();
    if ended.is_some_and(|e| period >= e) && shipped == 0 {
        FulfilmentStatus::Released
    } else if shipped > upper {
        FulfilmentStatus::OverDelivered
    } else if period < current && shipped < lower {
        if closed {
            FulfilmentStatus::UnderDelivered
        } else {
            FulfilmentStatus::Late
        }
    } else {
        FulfilmentStatus::OnTrack
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Due,
    PartiallyShipped,
    Shipped,
    Delivered,
    /// The month is over and less than the tolerance band has shipped.
    Late,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 5] = [
        DeliveryStatus::Due,
        DeliveryStatus::PartiallyShipped,
        DeliveryStatus::Shipped,
        DeliveryStatus::Delivered,
        DeliveryStatus::Late,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Due => "due",
            DeliveryStatus::PartiallyShipped => "partially_shipped",
            DeliveryStatus::Shipped => "shipped",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Late => "late",
        }
    }
}

/// Where something due in `period` stands once `shipped` (and `delivered`) grams have moved:
/// delivered or shipped when the bottom of the tolerance band is reached, late once the month is
/// over without that, else partially shipped or due.
pub fn delivery_status(
    due: Grams,
    shipped: Grams,
    delivered: Grams,
    tolerance_milli_pct: i64,
    period: Period,
    current: Period,
) -> DeliveryStatus {
    let (lower, _) = band(due, tolerance_milli_pct);
    if delivered >= lower && delivered > 0 {
        DeliveryStatus::Delivered
    } else if shipped >= lower && shipped > 0 {
        DeliveryStatus::Shipped
    } else if period < current {
        DeliveryStatus::Late
    } else if shipped > 0 {
        DeliveryStatus::PartiallyShipped
    } else {
        DeliveryStatus::Due
    }
}

impl FulfilmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FulfilmentStatus::OnTrack => "on_track",
            FulfilmentStatus::UnderDelivered => "under_delivered",
            FulfilmentStatus::OverDelivered => "over_delivered",
            FulfilmentStatus::Late => "late",
            FulfilmentStatus::Released => "released",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap_or_else(|| unreachable!())
    }

    proptest::proptest! {
        /// The band and the statuses are defined for every quantity and tolerance.
        #[test]
        fn never_panics(due in proptest::prelude::any::<i64>(), shipped in proptest::prelude::any::<i64>(),
                        delivered in proptest::prelude::any::<i64>(), tolerance in proptest::prelude::any::<i64>()) {
            let (jan, feb) = (p("2027-01"), p("2027-02"));
            let (lower, upper) = band(due, tolerance);
            proptest::prop_assert!(lower >= 0 || due < 0);
            let _ = upper;
            let _ = status(due, shipped, tolerance, jan, feb, Some(jan));
            let _ = delivery_status(due, shipped, delivered, tolerance, jan, feb);
        }
    }

    #[test]
    fn band_is_symmetric() {
        assert_eq!(band(1_000_000, 5_000), (950_000, 1_050_000));
        assert_eq!(band(1_000_000, 0), (1_000_000, 1_000_000));
    }

    #[test]
    fn delivery_statuses() {
        let (jan, feb) = (p("2027-01"), p("2027-02"));
        assert_eq!(
            delivery_status(1000, 0, 0, 0, jan, jan),
            DeliveryStatus::Due
        );
        assert_eq!(
            delivery_status(1000, 10, 0, 0, jan, jan),
            DeliveryStatus::PartiallyShipped
        );
        assert_eq!(
            delivery_status(1000, 10, 0, 0, jan, feb),
            DeliveryStatus::Late
        );
        assert_eq!(
            delivery_status(1000, 950, 0, 5_000, jan, feb),
            DeliveryStatus::Shipped
        );
        assert_eq!(
            delivery_status(1000, 1000, 1000, 0, jan, feb),
            DeliveryStatus::Delivered
        );
    }

    #[test]
    fn statuses() {
        let (jan, feb) = (p("2027-01"), p("2027-02"));
        // Open month: on track whatever has shipped, unless above the band.
        assert_eq!(
            status(1000, 0, 5_000, jan, jan, None),
            FulfilmentStatus::OnTrack
        );
        assert_eq!(
            status(1000, 1051, 5_000, jan, jan, None),
            FulfilmentStatus::OverDelivered
        );
        // Month over: within the band is on track; below is late, or under-delivered once closed.
        assert_eq!(
            status(1000, 950, 5_000, jan, feb, None),
            FulfilmentStatus::OnTrack
        );
        assert_eq!(
            status(1000, 949, 5_000, jan, feb, None),
            FulfilmentStatus::Late
        );
        assert_eq!(
            status(1000, 949, 5_000, jan, feb, Some(feb)),
            FulfilmentStatus::UnderDelivered
        );
        // From the month the contract ended in on, nothing is owed: released (unless
        // something shipped, which still counts).
        assert_eq!(
            status(1000, 0, 5_000, feb, feb, Some(feb)),
            FulfilmentStatus::Released
        );
        assert_eq!(
            status(1000, 0, 5_000, feb, jan, Some(jan)),
            FulfilmentStatus::Released
        );
        assert_eq!(
            status(1000, 1000, 5_000, feb, feb, Some(feb)),
            FulfilmentStatus::OnTrack
        );
    }
}

/// A contract's fulfilment in three figures, for lists: what is due over its whole schedule
/// (scheduled plus confirmed add-ons), what has shipped and what has been delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FulfilmentTotals {
    #[schema(example = "150000.000")]
    pub due_kg: KgAmount,
    #[schema(example = "60000.000")]
    pub shipped_kg: KgAmount,
    #[schema(example = "48000.000")]
    pub delivered_kg: KgAmount,
}
