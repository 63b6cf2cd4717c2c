use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::csv_twin::csv_twin;
use crate::extract::Caller;
use crate::ops::deliveries::{self, DeliveryQuery, DeliverySchedule};
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// The delivery schedule
///
/// Everything due in `from`–`to` across contracts and orders, optionally for one customer:
/// due, shipped and delivered kilograms and whether it is due, partially shipped, shipped,
/// delivered or late. For a sales dashboard; The same rows as CSV: `GET /api/v1/deliveries.csv`.
#[utoipa::path(
    tag = "deliveries",
    params(DeliveryQuery),
    responses(
        (status = 200, description = "Deliveries by month", body = DeliverySchedule),
        ReadErrors,
    ),
)]
#[get("/deliveries")]
pub async fn list_deliveries(
    req: HttpRequest,
    state: web::Data<AppState>,
    _actor: Caller,
    query: crate::extract::ValidQuery<DeliveryQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let as_csv = respond::wants_csv(&req);
    let (schedule, csv) = state
        .db
        .read(move |c| {
            let schedule = deliveries::schedule(c, &q)?;
            let csv = if as_csv { Some(schedule.csv(c)?) } else { None };
            Ok((schedule, csv))
        })
        .await?;
    Ok(match csv {
        Some(doc) => respond::csv(doc),
        None => HttpResponse::Ok().json(schedule),
    })
}

csv_twin!(
    name: list_deliveries_csv,
    path: "/deliveries.csv",
    tag: "deliveries",
    query: DeliveryQuery,
    op: deliveries::schedule,
    csv_named: DeliverySchedule::csv,
    summary: "The delivery schedule as CSV",
);
