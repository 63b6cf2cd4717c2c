//! `/api/v1/imports/{kind}`: bulk upserts from the ERP, as CSV or a JSON array.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::extract::read_body;
use crate::extract::Caller;
use crate::ops::imports::{self, ImportKind, ImportMode, ImportReport};
use crate::problem::{ApiError, WriteErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_csv_rows)
        .service(import_rows)
        .service(import_columns);
}

/// One column of a CSV import.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ImportColumn {
    /// The header that names it (`pricing.unit_price` for a nested member).
    #[schema(example = "quantity_kg")]
    pub name: String,
    /// How its cells are read.
    #[serde(rename = "type")]
    pub cell: crate::ops::import_columns::CellType,
    /// Whether every row must fill it.
    pub required: bool,
    pub description: String,
}

/// The columns of a kind's CSV import, and the members that name one record (two rows with the
/// same values of these are refused).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ImportColumns {
    pub kind: ImportKind,
    pub identity: Vec<String>,
    pub columns: Vec<ImportColumn>,
}

/// CSV columns of an import
///
/// The header names the CSV import of this kind takes, how each column's cells are read
/// (`text`, `decimal`, `integer`, `boolean`, `date`, `period`, `uuid`) and which are required:
/// enough to write a template or check a file before sending it. The same table, as a schema,
/// is the component `<Kind>CsvRow` of this document.
#[utoipa::path(
    tag = "imports",
    params(("kind" = ImportKind, Path, description = "What the rows are")),
    responses((status = 200, description = "The columns", body = ImportColumns), crate::problem::ReadErrors),
)]
#[get("/{kind}/columns")]
pub async fn import_columns(_caller: Caller, kind: web::Path<ImportKind>) -> HttpResponse {
    use crate::ops::import_columns::{columns, identity};
    let kind = kind.into_inner();
    HttpResponse::Ok().json(ImportColumns {
        kind,
        identity: identity(kind).iter().map(|s| s.to_string()).collect(),
        columns: columns(kind)
            .iter()
            .map(|c| ImportColumn {
                name: c.name.to_string(),
                cell: c.cell,
                required: c.required,
                description: c.description.to_string(),
            })
            .collect(),
    })
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `all-or-nothing` (default): one bad row and nothing is stored. `valid-rows`: the good
    /// rows are stored and the bad ones reported.
    pub mode: Option<ImportMode>,
}

/// Import rows (JSON)
///
/// Upserts every row through the same rules as `PUT …/by-ref/{external_ref}`: customers and
/// products by `external_ref`, or by `code` when a row has none; orders by `external_ref`
/// (required); price quotes by `price_index_id` and `date`; FX fixings by `base`, `quote` and
/// `date`. The body is a JSON array of the
/// kind's create requests. At most 50,000 rows and `NDPR_MAX_BODY_BYTES`. By default all or
/// nothing: any bad row and nothing is stored, and the 422 lists every bad row as
/// `rows[N].field` (row 1 is the first). Each row is audited and evented as its upsert is. The
/// same import from a spreadsheet: `POST /api/v1/imports/{kind}/csv`.
#[utoipa::path(
    tag = "imports",
    params(("kind" = ImportKind, Path, description = "What the rows are"), ImportParams),
    request_body(content = Vec<serde_json::Value>, description = "The rows: `CustomerImportRow`, `ProductImportRow`, `OrderImportRow`, `PriceQuoteImportRow` or `FxRateImportRow`, as the kind says", content_type = "application/json"),
    responses((status = 200, description = "What was created, updated, left unchanged and rejected", body = ImportReport), WriteErrors),
)]
#[post("/{kind}")]
pub async fn import_rows(
    state: web::Data<AppState>,
    actor: Caller,
    req: HttpRequest,
    kind: web::Path<ImportKind>,
    params: crate::extract::ValidQuery<ImportParams>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // `text/csv` is taken here too, for scripts that post a file to one address.
    import(
        state,
        actor,
        req,
        kind.into_inner(),
        params.into_inner(),
        payload,
        None,
    )
    .await
}

/// Import rows (CSV)
///
/// The same import as `POST /api/v1/imports/{kind}`, from CSV: a header row naming the members
/// (`pricing.type`, `pricing.unit_price` for nested ones), one row per record, empty cells
/// left out. Row 1 is the first after the header.
#[utoipa::path(
    tag = "imports",
    params(("kind" = ImportKind, Path, description = "What the rows are"), ImportParams),
    request_body(
        content = String,
        description = "CSV with a header row",
        content_type = "text/csv",
        example = "code,name,country,external_ref\nJP-MAG,Nippon Magnetics,JP,SAP-100234"
    ),
    responses((status = 200, description = "What was created, updated, left unchanged and rejected", body = ImportReport), WriteErrors),
)]
#[post("/{kind}/csv")]
pub async fn import_csv_rows(
    state: web::Data<AppState>,
    actor: Caller,
    req: HttpRequest,
    kind: web::Path<ImportKind>,
    params: crate::extract::ValidQuery<ImportParams>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    import(
        state,
        actor,
        req,
        kind.into_inner(),
        params.into_inner(),
        payload,
        Some("text/csv"),
    )
    .await
}

async fn import(
    state: web::Data<AppState>,
    actor: Caller,
    req: HttpRequest,
    kind: ImportKind,
    params: ImportParams,
    payload: web::Payload,
    only: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    let mode = params.mode.unwrap_or_default();
    let body = read_body(&req, &mut payload.into_inner(), state.max_body_bytes).await?;
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if only.is_some_and(|t| !content_type.starts_with(t)) {
        return Err(ApiError::UnsupportedMediaType("send text/csv".into()));
    }
    let rows = if content_type.starts_with("text/csv") {
        let text = std::str::from_utf8(&body)
            .map_err(|_| ApiError::from(crate::error::OpError::field("body", "must be UTF-8")))?;
        imports::rows_from_csv(kind, text)?
    } else if content_type.starts_with("application/json") {
        imports::rows_from_json(&body)?
    } else {
        return Err(ApiError::UnsupportedMediaType(
            "send application/json (or text/csv)".into(),
        ));
    };
    let report = state
        .db
        .write(move |c| imports::run(c, &actor, kind, mode, rows))
        .await?;
    Ok(HttpResponse::Ok().json(report))
}
