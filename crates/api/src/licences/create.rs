use actix_web::{post, web, HttpResponse};

use crate::domain::licence::ExportLicence;
use crate::extract::Caller;
use crate::extract::ValidJson;
use crate::ops::licences::{self, NewLicence};
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Register an export licence
///
/// Admin only.
#[utoipa::path(
    tag = "export-licences",
    request_body = NewLicence,
    responses((status = 201, description = "Registered", body = ExportLicence), WriteErrors),
)]
#[post("")]
pub async fn create_export_licence(
    state: web::Data<AppState>,
    actor: Caller,
    body: ValidJson<NewLicence>,
) -> Result<HttpResponse, ApiError> {
    let made = state
        .db
        .write(move |c| licences::create(c, &actor, body.0))
        .await?;
    Ok(respond::created(
        made.version,
        format!("/api/v1/export-licences/{}", made.id),
        &made,
    ))
}
