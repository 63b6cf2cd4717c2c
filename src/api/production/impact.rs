//! What approving a plan would do to each product it touches.

use std::collections::BTreeSet;

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::reconciliation::view::ReconciliationRow;
use crate::auth::Principal;
use crate::db::position::{self, Preview};
use crate::db::schema::production_plan_lines;
use crate::db::DbConnection;
use crate::domain::reconciliation::reconcile;
use crate::domain::Period;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

/// The reconciliation of one product as it would be with the plan approved.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductImpact {
    pub product_id: uuid::Uuid,
    /// Months short after approval that were not short before.
    pub new_shortfall_periods: Vec<Period>,
    /// Every month short after approval.
    pub shortfall_periods: Vec<Period>,
    /// Confirmed orders at risk in any month after approval.
    pub orders_at_risk: Vec<uuid::Uuid>,
    /// From the first month the plan touches to the last month with data.
    pub rows: Vec<ReconciliationRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanImpact {
    pub plan_id: uuid::Uuid,
    pub products: Vec<ProductImpact>,
}

/// Computes the impact of treating `plan_id` (version `version_no`) as the newest approved plan.
pub fn compute(
    conn: &mut DbConnection,
    plan_id: &str,
    version_no: i64,
) -> Result<PlanImpact, ApiError> {
    let lines: Vec<(String, String)> = production_plan_lines::table
        .filter(production_plan_lines::plan_id.eq(plan_id))
        .select((
            production_plan_lines::product_id,
            production_plan_lines::period,
        ))
        .order((
            production_plan_lines::product_id.asc(),
            production_plan_lines::period.asc(),
        ))
        .load(conn)?;
    let products: BTreeSet<&String> = lines.iter().map(|(p, _)| p).collect();
    let mut out = Vec::new();
    for product_id in products {
        let first = lines
            .iter()
            .filter(|(p, _)| p == product_id)
            .filter_map(|(_, period)| Period::parse(period))
            .min();
        let before_pos = position::load(conn, product_id, None)?;
        let after_pos = position::load(
            conn,
            product_id,
            Some(&Preview {
                plan_id,
                version_no,
            }),
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
        let mut at_risk: Vec<uuid::Uuid> = after
            .iter()
            .flat_map(|r| r.orders_at_risk.iter())
            .filter_map(|id| uuid::Uuid::parse_str(id).ok())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        at_risk.sort();
        out.push(ProductImpact {
            product_id: uuid::Uuid::parse_str(product_id).unwrap_or_default(),
            new_shortfall_periods: shortfall_periods
                .iter()
                .filter(|p| !short_before.contains(p))
                .copied()
                .collect(),
            shortfall_periods,
            orders_at_risk: at_risk,
            rows: after.iter().map(ReconciliationRow::from).collect(),
        });
    }
    Ok(PlanImpact {
        plan_id: uuid::Uuid::parse_str(plan_id).unwrap_or_default(),
        products: out,
    })
}

/// Preview a plan's impact
///
/// The reconciliation, for every product the plan touches, as it would be once the plan is
/// approved: which months fall short and which confirmed orders are at risk.
#[utoipa::path(
    tag = "production",
    params(("id" = uuid::Uuid, Path, description = "Plan id")),
    responses((status = 200, description = "The impact", body = PlanImpact), ReadErrors),
)]
#[get("/production-plans/{id}/impact")]
pub async fn get_production_plan_impact(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let impact = state
        .db
        .read(move |conn| {
            let plan = super::plans::find(conn, &id)?;
            compute(conn, &plan.id, plan.version_no)
        })
        .await?;
    Ok(HttpResponse::Ok().json(impact))
}
