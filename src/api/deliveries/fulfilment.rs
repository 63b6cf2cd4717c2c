use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::db::scaled::kg;
use crate::domain::fulfilment::{status, FulfilmentStatus};
use crate::domain::lifecycle::ContractStatus;
use crate::domain::{Kg, Period};
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

/// One contract month's deliveries against its tolerance band.
#[derive(Debug, Serialize, ToSchema)]
pub struct FulfilmentRow {
    #[schema(example = "2027-01")]
    pub period: Period,
    #[schema(example = "12000.000")]
    pub scheduled_kg: Kg,
    /// Confirmed add-on orders of the contract in the month.
    #[schema(example = "2000.000")]
    pub addon_kg: Kg,
    #[schema(example = "10000.000")]
    pub shipped_kg: Kg,
    #[schema(example = "5000.000")]
    pub delivered_kg: Kg,
    /// scheduled + add-on − shipped (negative when over-shipped).
    #[schema(example = "4000.000")]
    pub remaining_kg: Kg,
    pub status: FulfilmentStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Fulfilment {
    pub contract_id: uuid::Uuid,
    #[schema(example = "5.0")]
    pub tolerance_pct: crate::domain::Percent,
    pub rows: Vec<FulfilmentRow>,
}

/// Contract fulfilment
///
/// Per contract month: scheduled, add-on, shipped, delivered and remaining kilograms, and the
/// status against the tolerance band — on track, over-delivered, late once the month is over,
/// under-delivered when the contract closed short.
#[utoipa::path(
    tag = "deliveries",
    params(("id" = uuid::Uuid, Path, description = "Contract id")),
    responses((status = 200, description = "Month by month", body = Fulfilment), ReadErrors),
)]
#[get("/contracts/{id}/fulfilment")]
pub async fn get_contract_fulfilment(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let (contract, addons, moved) = state
        .db
        .read(move |conn| {
            let c = crate::api::contracts::find(conn, &id)?;
            let ids = vec![c.row.id.clone()];
            let addons = super::add_ons(conn, &ids)?;
            let order_ids: Vec<String> = addons.iter().map(|a| a.0.clone()).collect();
            let moved = super::moved(conn, &ids, &order_ids)?;
            Ok((c, addons, moved))
        })
        .await?;
    let current = crate::clock::current_period();
    let closed = matches!(
        contract.status(),
        ContractStatus::Completed | ContractStatus::Terminated
    );
    let tolerance = contract.row.tolerance_milli_pct;
    let rows = contract
        .lines
        .iter()
        .filter_map(|(period, scheduled)| {
            let p = Period::parse(period)?;
            let month_addons: Vec<_> = addons.iter().filter(|a| a.2 == *period).collect();
            let addon: i64 = month_addons.iter().map(|a| a.3).sum();
            let (mut shipped, mut delivered) = moved
                .contract_months
                .get(&(contract.row.id.clone(), period.clone()))
                .copied()
                .unwrap_or((0, 0));
            for a in &month_addons {
                if let Some((s, d)) = moved.orders.get(&a.0) {
                    shipped += s;
                    delivered += d;
                }
            }
            let due = scheduled + addon;
            Some(FulfilmentRow {
                period: p,
                scheduled_kg: kg(*scheduled),
                addon_kg: kg(addon),
                shipped_kg: kg(shipped),
                delivered_kg: kg(delivered),
                remaining_kg: kg(due - shipped),
                status: status(due, shipped, tolerance, p, current, closed),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(Fulfilment {
        contract_id: uuid::Uuid::parse_str(&contract.row.id).unwrap_or_default(),
        tolerance_pct: contract.terms().tolerance_pct,
        rows,
    }))
}
