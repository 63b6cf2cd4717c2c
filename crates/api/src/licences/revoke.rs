use actix_web::{post, web, HttpResponse};

use crate::domain::licence::ExportLicence;
use crate::domain::LicenceId;
use crate::extract::Caller;
use crate::extract::{IfMatch, OptionalJson};
use crate::ops::action::ActionBody;
use crate::ops::licences;
use crate::problem::{ApiError, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Revoke an export licence
///
/// Admin only. Nothing more ships under it.
#[utoipa::path(
    tag = "export-licences",
    request_body(content = Option<ActionBody>, description = "Optional reason"),
    params(
        ("id" = uuid::Uuid, Path, description = "Licence id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses((status = 200, description = "The revoked licence", body = ExportLicence), WriteErrors),
)]
#[post("/{id}/revoke")]
pub async fn revoke_export_licence(
    state: web::Data<AppState>,
    actor: Caller,
    id: web::Path<LicenceId>,
    if_match: IfMatch,
    body: OptionalJson<ActionBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let revoked = state
        .db
        .write(move |c| licences::revoke(c, &actor, id, &if_match.0, &body.0))
        .await?;
    Ok(respond::ok(revoked.version, &revoked))
}
