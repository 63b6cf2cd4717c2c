//! `GET /api/v1/events`: the outbox feed, in commit order, for ERP and other consumers.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::db::schema::events;
use crate::error::ApiError;
use crate::openapi::ReadErrors;
use crate::startup::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_events);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Event {
    /// Monotonic position in the feed.
    #[schema(example = 1017)]
    pub seq: i64,
    pub id: uuid::Uuid,
    #[serde(rename = "type")]
    #[schema(example = "customer.created")]
    pub event_type: String,
    #[schema(example = "customer")]
    pub entity_type: String,
    pub entity_id: String,
    pub occurred_at: DateTime<Utc>,
    /// The entity as it was after the change.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Pass as `after` to continue; equals the request's `after` when nothing is new.
    #[schema(example = 1017)]
    pub last_seq: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventFilter {
    /// Only events after this sequence number (default 0: from the start).
    #[param(example = 0)]
    after: Option<i64>,
    /// At most this many, 1–1000 (default 100).
    limit: Option<i64>,
    /// Only events of this type, e.g. `customer.created`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    event_type: Option<String>,
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
    _caller: Principal,
    filter: web::Query<EventFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = filter.into_inner();
    let after = f.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::field("after", "must not be negative"));
    }
    let limit = f.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field("limit", "must be between 1 and 1000"));
    }
    let rows: Vec<(i64, String, String, String, String, NaiveDateTime, String)> = state
        .db
        .read(move |conn| {
            let mut q = events::table.into_boxed();
            if let Some(t) = f.event_type {
                q = q.filter(events::event_type.eq(t));
            }
            Ok(q.filter(events::seq.gt(after))
                .order(events::seq.asc())
                .limit(limit)
                .load(conn)?)
        })
        .await?;
    let items: Vec<Event> = rows
        .into_iter()
        .map(|r| Event {
            seq: r.0,
            id: uuid::Uuid::parse_str(&r.1).unwrap_or_default(),
            event_type: r.2,
            entity_type: r.3,
            entity_id: r.4,
            occurred_at: r.5.and_utc(),
            data: serde_json::from_str(&r.6).unwrap_or_default(),
        })
        .collect();
    let last_seq = items.last().map_or(after, |e| e.seq);
    Ok(HttpResponse::Ok().json(EventPage { items, last_seq }))
}
