use std::collections::BTreeSet;

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::product_position::{self, Preview};
use crate::db::{plans, DbConnection};
use crate::domain::production::ProductionPlan;
use crate::domain::reconciliation::reconcile;
use crate::domain::OrderId;
use crate::domain::Period;
use crate::domain::{PlanId, ProductId};
use crate::error::OpError;
use crate::reconciliation::ReconciliationRow;

/// The reconciliation of one product as it would be with the plan approved.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductImpact {
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    /// Months short after approval that were not short before.
    pub new_shortfall_periods: Vec<Period>,
    /// Every month short after approval.
    pub shortfall_periods: Vec<Period>,
    /// Confirmed orders at risk in any month after approval.
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub orders_at_risk: Vec<OrderId>,
    /// From the first month the plan touches to the last month with data, as it would be
    /// after approval.
    pub rows: Vec<ReconciliationRow>,
    /// The same months as they stand now, before approval: projected stock and shortfall
    /// before and after, side by side.
    pub rows_before: Vec<ReconciliationRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanImpact {
    #[schema(value_type = uuid::Uuid)]
    pub plan_id: PlanId,
    pub products: Vec<ProductImpact>,
}

/// The impact of treating `plan` as the newest approved plan, for every product it touches.
pub fn compute(conn: &mut DbConnection, plan: &ProductionPlan) -> Result<PlanImpact, OpError> {
    let products: BTreeSet<String> = plan
        .lines
        .iter()
        .map(|l| l.product_id.to_string())
        .collect();
    let mut out = Vec::new();
    for product in products {
        let Some(product_id) = plan
            .lines
            .iter()
            .find(|l| l.product_id.to_string() == product)
            .map(|l| l.product_id)
        else {
            continue;
        };
        let first = plan
            .lines
            .iter()
            .filter(|l| l.product_id == product_id)
            .map(|l| l.period)
            .min();
        let before_pos = product_position::load_with_risk(conn, product_id, None, first, None)?;
        let after_pos = product_position::load_with_risk(
            conn,
            product_id,
            Some(&Preview { plan_id: plan.id }),
            first,
            None,
        )?;
        let before = reconcile(&before_pos, first, None);
        let after = reconcile(&after_pos, first, None);
        let short_before: BTreeSet<Period> = before
            .iter()
            .filter(|r| r.shortfall > 0)
            .map(|r| r.period)
            .collect();
        let shortfall_periods: Vec<Period> = after
            .iter()
            .filter(|r| r.shortfall > 0)
            .map(|r| r.period)
            .collect();
        let at_risk: Vec<OrderId> = after
            .iter()
            .flat_map(|r| r.orders_at_risk.iter().copied())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        out.push(ProductImpact {
            product_id,
            new_shortfall_periods: shortfall_periods
                .iter()
                .filter(|p| !short_before.contains(p))
                .copied()
                .collect(),
            shortfall_periods,
            orders_at_risk: at_risk,
            rows: after.iter().map(ReconciliationRow::from).collect(),
            rows_before: before.iter().map(ReconciliationRow::from).collect(),
        });
    }
    Ok(PlanImpact {
        plan_id: plan.id,
        products: out,
    })
}

/// What approving the plan would do: which months fall short and which confirmed orders are
/// at risk, for every product it touches.
pub fn impact(conn: &mut DbConnection, id: PlanId) -> Result<PlanImpact, OpError> {
    let plan = plans::find(conn, id)?;
    compute(conn, &plan)
}

/// The confirmed orders approving the plan would put at risk, named (number, customer,
/// quantity) with the short month that puts each at risk, over the months the impact covers.
pub fn orders_at_risk(
    conn: &mut DbConnection,
    id: PlanId,
) -> Result<crate::reconciliation::OrdersAtRisk, OpError> {
    let plan = plans::find(conn, id)?;
    let impact = compute(conn, &plan)?;
    named_orders_at_risk(conn, &plan, &impact)
}

/// The orders at risk of an impact already computed for `plan`, named.
pub fn named_orders_at_risk(
    conn: &mut DbConnection,
    plan: &ProductionPlan,
    impact: &PlanImpact,
) -> Result<crate::reconciliation::OrdersAtRisk, OpError> {
    let months = impact
        .products
        .iter()
        .flat_map(|p| p.rows.iter().map(|r| r.period))
        .chain(plan.lines.iter().map(|l| l.period));
    let (Some(from), Some(to)) = (months.clone().min(), months.max()) else {
        return Err(OpError::unexpected("a production plan without lines"));
    };
    let mut names = crate::reconciliation::AtRiskNames::default();
    'products: for p in &impact.products {
        let code = crate::db::products::find(conn, p.product_id)?.code;
        for row in &p.rows {
            for order_id in &row.orders_at_risk {
                if !names.add(conn, row.period, *order_id, (p.product_id, &code))? {
                    break 'products;
                }
            }
        }
    }
    Ok(crate::reconciliation::OrdersAtRisk {
        from,
        to,
        items: names.items,
        truncated: names.truncated,
    })
}

impl PlanImpact {
    /// One row per product and month: projected stock and shortfall before and after approval,
    /// whether the month becomes short, and the orders at risk in it after approval.
    pub fn csv(&self) -> crate::report::Csv {
        let rows = self.products.iter().flat_map(|p| {
            p.rows.iter().map(move |after| {
                let before = p.rows_before.iter().find(|r| r.period == after.period);
                let kg = |k: Option<crate::domain::KgAmount>| {
                    k.map(|k| k.display().to_string()).unwrap_or_default()
                };
                vec![
                    p.product_id.to_string(),
                    after.period.to_string(),
                    p.new_shortfall_periods.contains(&after.period).to_string(),
                    kg(before.map(|r| r.supply_kg)),
                    kg(Some(after.supply_kg)),
                    kg(before.map(|r| r.projected_stock_kg)),
                    kg(Some(after.projected_stock_kg)),
                    kg(before.map(|r| r.shortfall_kg)),
                    kg(Some(after.shortfall_kg)),
                    kg(Some(after.atp_kg)),
                    after
                        .orders_at_risk
                        .iter()
                        .map(|id| id.to_string())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]
            })
        });
        crate::report::Csv::new(
            "plan-impact.csv",
            &[
                "product_id",
                "period",
                "newly_short",
                "supply_before_kg",
                "supply_after_kg",
                "projected_stock_before_kg",
                "projected_stock_after_kg",
                "shortfall_before_kg",
                "shortfall_after_kg",
                "atp_after_kg",
                "orders_at_risk_after",
            ],
            rows,
        )
    }
}
