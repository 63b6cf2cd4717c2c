use actix_web::{get, web, HttpResponse};

use crate::domain::licence::ExportLicence;
use crate::domain::LicenceId;
use crate::extract::Caller;
use crate::ops::licences;
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Get an export licence
#[utoipa::path(
    tag = "export-licences",
    params(("id" = uuid::Uuid, Path, description = "Licence id")),
    responses((status = 200, description = "The licence with what remains of it", body = ExportLicence), ReadErrors),
)]
#[get("/{id}")]
pub async fn get_export_licence(
    state: web::Data<AppState>,
    _actor: Caller,
    id: web::Path<LicenceId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = state.db.read(move |c| licences::get(c, id)).await?;
    Ok(respond::ok(found.version, &found))
}
