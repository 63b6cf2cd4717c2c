//! `GET /api/v1/events`: the outbox feed, in commit order, for ERP and other consumers.

use actix_web::{get, web, HttpResponse};

use crate::extract::Caller;
use crate::ops::feed::{self, EventFilter, EventPage};
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_events);
}

/// Read the change feed
///
/// Every change is an event, written in the same transaction as the change. Poll with the
/// `last_seq` of the previous answer as `after`.
#[utoipa::path(
    tag = "events",
    params(EventFilter),
    responses((status = 200, description = "Events in sequence order", body = EventPage), ReadErrors),
)]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    actor: Caller,
    filter: crate::extract::ValidQuery<EventFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let page = state.db.read(move |c| feed::events(c, &actor, &f)).await?;
    Ok(HttpResponse::Ok().json(page))
}
