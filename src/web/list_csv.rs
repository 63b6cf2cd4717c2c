//! The desk's list tables as CSV: the same documents as the API's list twins
//! (`GET /api/v1/customers.csv` and the rest), read with the same filters.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::page;
use super::session;
use crate::db::DbConnection;
use crate::error::OpError;
use crate::ops::contracts::ContractFilter;
use crate::ops::licences::LicenceFilter;
use crate::ops::master::customer::CustomerFilter;
use crate::ops::master::product::ProductFilter;
use crate::ops::plans::PlanFilter;
use crate::ops::report::Csv;
use crate::ops::shipments::ShipmentFilter;
use crate::state::AppState;

async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    read: impl Fn(&mut DbConnection) -> Result<Csv, OpError> + Send + Sync + 'static,
) -> HttpResponse {
    if session::current(&req, &state).await.is_none() {
        return page::see_other("/login").finish();
    }
    match state.db.read(read).await {
        Ok(doc) => crate::api::respond::csv(doc),
        Err(OpError::Validation(errors)) => page::invalid(&errors),
        Err(OpError::Unavailable(_)) => page::database_away(),
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
    download(req, state, move |c| {
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
    download(req, state, move |c| {
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
    download(req, state, move |c| {
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
    download(req, state, move |c| {
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
    download(req, state, move |c| {
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
    download(req, state, move |c| {
        Ok(crate::ops::plans::list(c, &f)?.csv())
    })
    .await
}
