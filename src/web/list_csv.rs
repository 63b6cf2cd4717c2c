//! The desk's tables as CSV: the same documents as the API's twins
//! (`GET /api/v1/customers.csv` and the rest), read with the same filters and the same rules
//! about who may read them.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::page;
use super::session;
use crate::db::DbConnection;
use crate::error::OpError;
use crate::ops::contracts::ContractFilter;
use crate::ops::feed::AuditFilter;
use crate::ops::licences::LicenceFilter;
use crate::ops::master::customer::CustomerFilter;
use crate::ops::master::product::ProductFilter;
use crate::ops::orders::OrderFilter;
use crate::ops::plans::PlanFilter;
use crate::ops::report::Csv;
use crate::ops::shipments::ShipmentFilter;
use crate::ops::users::UserFilter;
use crate::ops::Actor;
use crate::state::AppState;

/// Reads one CSV document as the logged-in user: a filter the API would refuse is refused
/// the same way, a table the role may not read is 403, an unknown resource 404.
pub(super) async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    read: impl Fn(&mut DbConnection, &Actor) -> Result<Csv, OpError> + Send + Sync + 'static,
) -> HttpResponse {
    let Some(session) = session::current(&req, &state).await else {
        return page::see_other("/login").finish();
    };
    let actor = session.actor;
    match state.db.read(move |c| read(c, &actor)).await {
        Ok(doc) => crate::api::respond::csv(doc),
        Err(OpError::Validation(errors)) => page::invalid(&errors),
        Err(OpError::Unavailable(_)) => page::database_away(),
        Err(OpError::Forbidden(why)) => page::forbidden(&why),
        Err(OpError::NotFound(why)) => page::refused(StatusCode::NOT_FOUND, &why),
        Err(e) => page::refused(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
    }
}

#[get("/customers.csv")]
pub async fn customers_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Query<CustomerFilter>,
) -> HttpResponse {
    let f = f.into_inner();
    download(req, state, move |c, _| {
        Ok(crate::ops::master::customer::list(c, &f)?.csv())
    })
    .await
}

#[get("/products.csv")]
pub async fn products_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Query<ProductFilter>,
) -> HttpResponse {
    let f = f.into_inner();
    download(req, state, move |c, _| {
        Ok(crate::ops::master::product::list(c, &f)?.csv())
    })
    .await
}

#[get("/licences.csv")]
pub async fn licences_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Query<LicenceFilter>,
) -> HttpResponse {
    let f = f.into_inner();
    download(req, state, move |c, _| {
        Ok(crate::ops::licences::list(c, &f)?.csv())
    })
    .await
}

#[get("/shipments.csv")]
pub async fn shipments_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Query<ShipmentFilter>,
) -> HttpResponse {
    let f = f.into_inner();
    download(req, state, move |c, _| {
        Ok(crate::ops::shipments::list(c, &f)?.csv())
    })
    .await
}

#[get("/contracts.csv")]
pub async fn contracts_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Query<ContractFilter>,
) -> HttpResponse {
    let f = f.into_inner();
    download(req, state, move |c, _| {
        Ok(crate::ops::contracts::list(c, &f)?.csv())
    })
    .await
}

#[get("/plans.csv")]
pub async fn plans_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Query<PlanFilter>,
) -> HttpResponse {
    let f = f.into_inner();
    download(req, state, move |c, _| {
        Ok(crate::ops::plans::list(c, &f)?.csv())
    })
    .await
}

#[get("/orders.csv")]
pub async fn orders_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Query<OrderFilter>,
) -> HttpResponse {
    let f = f.into_inner();
    download(req, state, move |c, _| {
        Ok(crate::ops::orders::list(c, &f)?.csv())
    })
    .await
}

#[get("/users.csv")]
pub async fn users_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Query<UserFilter>,
) -> HttpResponse {
    let f = f.into_inner();
    download(req, state, move |c, actor| {
        Ok(crate::ops::users::list(c, actor, &f)?.csv())
    })
    .await
}

#[get("/audit.csv")]
pub async fn audit_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Query<AuditFilter>,
) -> HttpResponse {
    let f = f.into_inner();
    download(req, state, move |c, actor| {
        Ok(crate::ops::feed::audit(c, actor, &f)?.csv())
    })
    .await
}
