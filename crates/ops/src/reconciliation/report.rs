use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::view::{self, ReconciliationRow};
use crate::db::{product_position, products, DbConnection};
use crate::domain::reconciliation::reconcile as run;
use crate::domain::Period;
use crate::domain::ProductId;
use crate::error::OpError;
use crate::report::Csv;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReconciliationQuery {
    #[param(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    /// First month (YYYY-MM); default the product's first month with data.
    #[param(value_type = Option<String>, example = "2027-01")]
    pub from: Option<Period>,
    /// Last month (YYYY-MM); default the product's last month with data.
    #[param(value_type = Option<String>, example = "2027-12")]
    pub to: Option<Period>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reconciliation {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    pub rows: Vec<ReconciliationRow>,
}

impl Reconciliation {
    pub fn csv(&self) -> Csv {
        view::csv(&self.rows)
    }
}

/// One row per month: plan, actual output, supply, contract, add-on, spot and pending demand,
/// projected stock, shortfall, available-to-promise and the confirmed orders at risk.
pub fn reconcile(
    conn: &mut DbConnection,
    q: &ReconciliationQuery,
) -> Result<Reconciliation, OpError> {
    super::check_range(q.from, q.to)?;
    products::find(conn, q.product_id)?;
    let pos = product_position::load_with_risk(conn, q.product_id, None, q.from, q.to)?;
    Ok(Reconciliation {
        product_id: q.product_id,
        rows: run(&pos, q.from, q.to)
            .iter()
            .map(ReconciliationRow::from)
            .collect(),
    })
}
