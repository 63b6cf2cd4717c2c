//! `/api/v1/imports/{kind}`: bulk upserts from the ERP, as CSV or a JSON array.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::api::extract::read_body;
use crate::api::problem::{ApiError, WriteErrors};
use crate::ops::imports::{self, ImportKind, ImportMode, ImportReport};
use crate::ops::Actor;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_rows);
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `all-or-nothing` (default): one bad row and nothing is stored. `valid-rows`: the good
    /// rows are stored and the bad ones reported.
    pub mode: Option<ImportMode>,
}

/// Import rows
///
/// Upserts every row through the same rules as `PUT …/by-ref/{external_ref}`: customers and
/// products by `external_ref`, or by `code` when a row has none; orders by `external_ref`
/// (required); price quotes by `price_index_id` and `date`. CSV (`text/csv`) has a header row
/// naming the members (`pricing.type` for a nested one); a JSON body is an array of the same
/// objects. At most 50,000 rows and `NDPR_MAX_BODY_BYTES`. By default all or nothing: any bad
/// row and nothing is stored, and the 422 lists every bad row as `rows[N].field`. Each row is
/// audited and evented as its upsert is.
#[utoipa::path(
    tag = "imports",
    params(("kind" = ImportKind, Path, description = "What the rows are"), ImportParams),
    request_body(
        description = "CSV with a header row, or a JSON array of rows",
        content(
            (String = "text/csv", example = "code,name,country,external_ref\nJP-MAG,Nippon Magnetics,JP,SAP-100234"),
            (Vec<serde_json::Value> = "application/json"),
        )
    ),
    responses((status = 200, description = "What was created, updated, left unchanged and rejected", body = ImportReport), WriteErrors),
)]
#[post("/{kind}")]
pub async fn import_rows(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    kind: web::Path<ImportKind>,
    params: web::Query<ImportParams>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let kind = kind.into_inner();
    let mode = params.into_inner().mode.unwrap_or_default();
    let body = read_body(&req, &mut payload.into_inner(), state.max_body_bytes).await?;
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let rows = if content_type.starts_with("text/csv") {
        let text = std::str::from_utf8(&body)
            .map_err(|_| ApiError::from(crate::error::OpError::field("body", "must be UTF-8")))?;
        imports::rows_from_csv(text)?
    } else if content_type.starts_with("application/json") {
        imports::rows_from_json(&body)?
    } else {
        return Err(ApiError::UnsupportedMediaType(
            "send text/csv or application/json".into(),
        ));
    };
    let report = state
        .db
        .write(move |c| imports::run(c, &actor, kind, mode, rows))
        .await?;
    Ok(HttpResponse::Ok().json(report))
}
