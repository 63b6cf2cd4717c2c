use actix_web::{get, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::csv;
use crate::auth::Principal;
use crate::db::position;
use crate::db::scaled::kg;
use crate::db::schema::products;
use crate::domain::reconciliation::reconcile;
use crate::domain::reference::MasterStatus;
use crate::domain::{Kg, Period};
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    #[param(value_type = String, example = "2027-01")]
    from: Period,
    #[param(value_type = String, example = "2027-12")]
    to: Period,
}

/// One cell of the heat map.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryCell {
    #[schema(example = "2027-03")]
    pub period: Period,
    pub supply_kg: Kg,
    pub demand_kg: Kg,
    pub projected_stock_kg: Kg,
    pub shortfall_kg: Kg,
    pub atp_kg: Kg,
    pub orders_at_risk: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductSummary {
    pub product_id: uuid::Uuid,
    #[schema(example = "NDPR-OXIDE")]
    pub product_code: String,
    pub months: Vec<SummaryCell>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReconciliationSummary {
    pub from: Period,
    pub to: Period,
    pub products: Vec<ProductSummary>,
}

/// Reconciliation across all products
///
/// For every active product and month in `from`–`to`: supply, demand, projected stock,
/// shortfall, ATP and the number of orders at risk — a heat map of where the desk is short.
/// `Accept: text/csv` answers one row per product and month.
#[utoipa::path(
    tag = "reconciliation",
    params(SummaryQuery),
    responses(
        (status = 200, description = "Per product and month", content(
            (ReconciliationSummary = "application/json"),
            (String = "text/csv"),
        )),
        ReadErrors,
    ),
)]
#[get("/reconciliation/summary")]
pub async fn get_reconciliation_summary(
    req: HttpRequest,
    state: web::Data<AppState>,
    _caller: Principal,
    query: web::Query<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let SummaryQuery { from, to } = query.into_inner();
    super::check_range(Some(from), Some(to))?;
    let products = state
        .db
        .read(move |conn| {
            let list: Vec<(String, String)> = products::table
                .filter(products::status.eq(MasterStatus::Active.as_str()))
                .order(products::code.asc())
                .select((products::id, products::code))
                .load(conn)?;
            let mut out = Vec::with_capacity(list.len());
            for (id, code) in list {
                let pos = position::load(conn, &id, None)?;
                let months = reconcile(&pos, Some(from), Some(to))
                    .iter()
                    .map(|r| SummaryCell {
                        period: r.period,
                        supply_kg: kg(r.supply),
                        demand_kg: kg(r.demand),
                        projected_stock_kg: kg(r.projected_stock),
                        shortfall_kg: kg(r.shortfall),
                        atp_kg: kg(r.atp),
                        orders_at_risk: r.orders_at_risk.len(),
                    })
                    .collect();
                out.push(ProductSummary {
                    product_id: uuid::Uuid::parse_str(&id).unwrap_or_default(),
                    product_code: code,
                    months,
                });
            }
            Ok(out)
        })
        .await?;
    if csv::wanted(&req) {
        let rows = products.iter().flat_map(|p| {
            p.months.iter().map(move |m| {
                vec![
                    p.product_code.clone(),
                    m.period.to_string(),
                    m.supply_kg.display().to_string(),
                    m.demand_kg.display().to_string(),
                    m.projected_stock_kg.display().to_string(),
                    m.shortfall_kg.display().to_string(),
                    m.atp_kg.display().to_string(),
                    m.orders_at_risk.to_string(),
                ]
            })
        });
        return Ok(csv::response(
            "reconciliation-summary.csv",
            &[
                "product_code",
                "period",
                "supply_kg",
                "demand_kg",
                "projected_stock_kg",
                "shortfall_kg",
                "atp_kg",
                "orders_at_risk",
            ],
            rows.collect::<Vec<_>>(),
        ));
    }
    Ok(HttpResponse::Ok().json(ReconciliationSummary { from, to, products }))
}
