use actix_web::{get, web, HttpResponse};

use crate::csv_twin::csv_twin_of_one;
use crate::domain::shipment::Shipment;
use crate::domain::ShipmentId;
use crate::extract::Caller;
use crate::ops::detail_csv::ShipmentLotsCsv as _;
use crate::ops::shipments;
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Get a shipment
#[utoipa::path(
    tag = "shipments",
    params(("id" = uuid::Uuid, Path, description = "Shipment id")),
    responses((status = 200, description = "The shipment", body = Shipment), ReadErrors),
)]
#[get("/{id}")]
pub async fn get_shipment(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<ShipmentId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = state.db.read(move |c| shipments::get(c, id)).await?;
    Ok(respond::ok(found.version, &found))
}

csv_twin_of_one!(
    name: get_shipment_lots_csv,
    path: "/{id}/lots.csv",
    tag: "shipments",
    id: "Shipment id",
    key: ShipmentId,
    op: shipments::get,
    csv: lots_csv,
    summary: "A shipment's lots, as CSV",
    detail: "The shipment's `lots` as a spreadsheet: `text/csv` with a header row, one row per lot, its assay in one cell as `name=value; name=value`.",
    answer: "The lots as CSV, with a header row",
);
