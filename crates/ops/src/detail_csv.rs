//! A resource's own tables as spreadsheets: a production plan's lines and a shipment's lots,
//! the same documents from the API's `.csv` twins and the desk's download links.

use crate::domain::production::ProductionPlan;
use crate::domain::shipment::Shipment;
use crate::report::{kg, text, Csv};

/// A production plan's lines as a spreadsheet.
pub trait PlanLinesCsv {
    /// One row per line: product, month, planned kg.
    fn lines_csv(&self) -> Csv;
}

/// A shipment's lots as a spreadsheet.
pub trait ShipmentLotsCsv {
    /// One row per lot, its assay in one cell as `name=value; name=value` (the desk's input).
    fn lots_csv(&self) -> Csv;
}

impl PlanLinesCsv for ProductionPlan {
    fn lines_csv(&self) -> Csv {
        Csv::new(
            "plan-lines.csv",
            &[
                "plan_id",
                "version_no",
                "product_id",
                "period",
                "planned_kg",
            ],
            self.lines.iter().map(|l| {
                vec![
                    self.id.to_string(),
                    self.version_no.to_string(),
                    l.product_id.to_string(),
                    l.period.to_string(),
                    kg(l.planned_kg),
                ]
            }),
        )
    }
}

impl ShipmentLotsCsv for Shipment {
    fn lots_csv(&self) -> Csv {
        Csv::new(
            "shipment-lots.csv",
            &[
                "shipment_id",
                "shipment_number",
                "lot_number",
                "quantity_kg",
                "assay",
            ],
            self.lots.iter().map(|l| {
                let assay = l
                    .assay
                    .iter()
                    .flatten()
                    .map(|(name, value)| format!("{name}={}", text(value)))
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    self.id.to_string(),
                    self.number.clone(),
                    l.lot_number.clone(),
                    kg(l.quantity_kg),
                    assay,
                ]
            }),
        )
    }
}
