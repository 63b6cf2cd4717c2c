//! Monthly quantities of a product — recorded output and opening stock — created or replaced,
//! and listed. One set of operations serves both kinds.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::changes::{self, Change};
use crate::db::{monthly, products, DbConnection};
use crate::domain::production::{MonthlyKind, MonthlyQuantity, ProductionActual, StockSnapshot};
use crate::domain::ProductId;
use crate::domain::{Kg, Period, Permission};
use crate::error::OpError;
use crate::{Actor, Expect};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"actual_kg": "47250.500"}))]
pub struct ActualOutput {
    pub actual_kg: Kg,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"product_id": "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a", "period": "2026-11", "quantity_kg": "18500.000"}))]
pub struct StockCount {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    pub period: Period,
    pub quantity_kg: Kg,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductionActualList {
    pub items: Vec<ProductionActual>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StockSnapshotList {
    pub items: Vec<StockSnapshot>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MonthlyQuery {
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<ProductId>,
    #[param(value_type = Option<String>, example = "2026-01")]
    pub from: Option<Period>,
    #[param(value_type = Option<String>, example = "2026-12")]
    pub to: Option<Period>,
}

/// A recorded month and whether it is new.
#[derive(Debug)]
pub struct Recorded {
    pub created: bool,
    pub quantity: MonthlyQuantity,
}

/// Creates or replaces one product's quantity of `kind` in `period`, with its audit entry and
/// event.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: MonthlyKind,
    product_id: ProductId,
    period: Period,
    quantity: Kg,
    expect: &Expect,
) -> Result<Recorded, OpError> {
    let (permission, field) = match kind {
        MonthlyKind::Actual => (Permission::WriteActuals, "actual_kg"),
        MonthlyKind::Snapshot => (Permission::WriteStock, "quantity_kg"),
    };
    actor.require(permission)?;
    let grams = quantity
        .grams()
        .filter(|g| *g >= 0)
        .ok_or_else(|| OpError::field(field, "must be zero or more"))?;
    products::find(conn, product_id)?;
    let existing = monthly::find(conn, kind, product_id, period)?;
    expect.check(existing.as_ref().map_or(0, |e| e.version))?;
    let after = monthly::put(
        conn,
        kind,
        product_id,
        period,
        grams,
        existing.as_ref().map(|e| e.version),
    )?;
    let view = |m: &MonthlyQuantity| match kind {
        MonthlyKind::Actual => changes::snapshot(&ProductionActual::from(m)),
        MonthlyKind::Snapshot => changes::snapshot(&StockSnapshot::from(m)),
    };
    changes::record(
        conn,
        &actor.author(),
        Change {
            action: "recorded",
            entity_type: kind.entity(),
            entity_id: &format!("{product_id}/{period}"),
            before: existing.as_ref().and_then(view),
            after: view(&after),
        },
    )?;
    Ok(Recorded {
        created: existing.is_none(),
        quantity: after,
    })
}

/// Quantities of `kind` by product and month range, in month order.
pub fn list(
    conn: &mut DbConnection,
    kind: MonthlyKind,
    q: &MonthlyQuery,
) -> Result<Vec<MonthlyQuantity>, OpError> {
    crate::reconciliation::check_range(q.from, q.to)?;
    monthly::list(conn, kind, q.product_id, q.from, q.to)
}
