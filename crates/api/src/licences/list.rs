use actix_web::{get, web, HttpResponse};

use crate::domain::licence::ExportLicence;
use crate::extract::Caller;
use crate::ops::licences::{self, LicenceFilter};
use crate::ops::page::Page;
use crate::problem::{ApiError, ReadErrors};
use crate::state::AppState;

/// List export licences
#[utoipa::path(
    tag = "export-licences",
    params(LicenceFilter),
    responses((status = 200, description = "One page of licences", body = Page<ExportLicence>), ReadErrors),
)]
#[get("")]
pub async fn list_export_licences(
    state: web::Data<AppState>,
    _actor: Caller,
    params: crate::extract::ValidQuery<LicenceFilter>,
) -> Result<HttpResponse, ApiError> {
    let f = params.into_inner();
    let page = state.db.read(move |c| licences::list(c, &f)).await?;
    Ok(HttpResponse::Ok().json(page))
}
