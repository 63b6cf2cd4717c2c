//! `/api/v1/fx-rates`: daily FX fixings, one at a time by pair and date, in batches, listed, and
//! as CSV.

use actix_web::http::header;
use actix_web::{get, post, put, web, HttpResponse};
use chrono::NaiveDate;

use crate::csv_twin::csv_twin;
use crate::db::quotes::Upserted;
use crate::domain::fx::{FxFixing, FxFixingInput};
use crate::extract::{Caller, ValidJson};
use crate::ops::fx::{self, FxBatch, FxFilter, FxUpsertResult};
use crate::ops::page::Page;
use crate::problem::{ApiError, ReadErrors, WriteErrors};
use crate::respond;
use crate::state::AppState;

/// Registered before the other scopes (`/fx-rates.csv` is a literal path).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_fx_rates_csv);
}

/// The routes under `/fx-rates`.
pub fn configure_scope(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_fx_rates)
        .service(upsert_fx_rates)
        .service(get_fx_rate)
        .service(put_fx_rate);
}

/// List FX fixings
///
/// By date, then pair, oldest first; filter by `base`, `quote` and a date range.
#[utoipa::path(
    tag = "fx-rates",
    params(FxFilter),
    responses((status = 200, description = "One page of fixings", body = Page<FxFixing>), ReadErrors),
)]
#[get("")]
pub async fn list_fx_rates(
    state: web::Data<AppState>,
    _actor: Caller,
    filter: crate::extract::ValidQuery<FxFilter>,
) -> Result<HttpResponse, ApiError> {
    let filter = filter.into_inner();
    let page = state.db.read(move |c| fx::list(c, &filter)).await?;
    Ok(HttpResponse::Ok().json(page))
}

csv_twin!(
    name: list_fx_rates_csv,
    path: "/fx-rates.csv",
    tag: "fx-rates",
    query: FxFilter,
    op: crate::ops::fx::list,
    csv: Page::<FxFixing>::csv,
    summary: "List FX fixings, as CSV",
);

/// Upsert FX fixings
///
/// Adds or replaces up to 1000 fixings in one transaction, all or nothing. A fixing already as
/// given changes nothing; each pair that changed gets one audit entry and one `fx_rate.upserted`
/// event. Roles: admin, planner, integration.
#[utoipa::path(
    tag = "fx-rates",
    request_body(content = FxBatch, example = json!([{"base": "USD", "quote": "CNY", "date": "2027-03-01", "rate": "7.10"}, {"base": "USD", "quote": "CNY", "date": "2027-03-02", "rate": "7.12"}])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
    responses((status = 200, description = "What changed", body = FxUpsertResult), WriteErrors),
)]
#[post("")]
pub async fn upsert_fx_rates(
    state: web::Data<AppState>,
    actor: Caller,
    body: ValidJson<FxBatch>,
) -> Result<HttpResponse, ApiError> {
    let result = state
        .db
        .write(move |c| fx::upsert_batch(c, &actor, &body.0 .0))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The path of one fixing.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FixingPath {
    /// ISO 4217 base currency: USD, CNY, EUR or JPY. (Not `base`/`quote`: a generated Python
    /// client's `quote` parameter would shadow the URL quoting function it calls.)
    #[param(example = "USD", pattern = "^(USD|CNY|EUR|JPY)$")]
    base_currency: String,
    /// ISO 4217 quote currency: USD, CNY, EUR or JPY.
    #[param(example = "CNY", pattern = "^(USD|CNY|EUR|JPY)$")]
    quote_currency: String,
    /// The day, `YYYY-MM-DD`.
    #[param(value_type = String, format = Date, example = "2027-03-01")]
    date: String,
}

impl FixingPath {
    /// The day, or a 422 naming `date` (not a 404: the address is right, the day is not).
    fn day(&self) -> Result<NaiveDate, crate::error::OpError> {
        NaiveDate::parse_from_str(&self.date, "%Y-%m-%d")
            .ok()
            .filter(|d| d.format("%Y-%m-%d").to_string() == self.date)
            .ok_or_else(|| {
                crate::error::OpError::field(
                    "date",
                    format!("must be a date such as 2027-03-01, got {:?}", self.date),
                )
            })
    }
}

/// Errors of the fixing named as its path names them.
fn path_names(e: crate::error::OpError) -> crate::error::OpError {
    match e {
        crate::error::OpError::Validation(errors) => crate::error::OpError::Validation(
            errors
                .into_iter()
                .map(|f| match f.field.as_str() {
                    "base" => crate::error::FieldError::new("base_currency", f.message),
                    "quote" => crate::error::FieldError::new("quote_currency", f.message),
                    _ => f,
                })
                .collect(),
        ),
        other => other,
    }
}

/// Get an FX fixing
///
/// The rate of `base`/`quote` (units of `quote` per unit of `base`) on `date`; 404 when none
/// was recorded (the inverse pair is not consulted here).
#[utoipa::path(
    tag = "fx-rates",
    params(FixingPath),
    responses((status = 200, description = "The fixing", body = FxFixing), ReadErrors),
)]
#[get("/{base_currency}/{quote_currency}/{date}")]
pub async fn get_fx_rate(
    state: web::Data<AppState>,
    _actor: Caller,
    path: web::Path<FixingPath>,
) -> Result<HttpResponse, ApiError> {
    let p = path.into_inner();
    let day = p.day()?;
    let fixing = state
        .db
        .read(move |c| fx::get(c, &p.base_currency, &p.quote_currency, day))
        .await?;
    Ok(HttpResponse::Ok().json(fixing))
}

/// Record an FX fixing
///
/// Sets the rate of `base`/`quote` on `date`: 201 when the day had none, 200 when it replaced
/// one or was already so (`Upsert-Outcome`: `created`, `updated`, `unchanged`; an unchanged
/// fixing writes no audit entry or event). Roles: admin, planner, integration.
#[utoipa::path(
    tag = "fx-rates",
    params(FixingPath),
    request_body = FxFixingInput,
    responses(
        (status = 201, description = "Recorded", body = FxFixing),
        (status = 200, description = "Replaced, or already as given", body = FxFixing),
        WriteErrors,
    ),
)]
#[put("/{base_currency}/{quote_currency}/{date}")]
pub async fn put_fx_rate(
    state: web::Data<AppState>,
    actor: Caller,
    path: web::Path<FixingPath>,
    body: ValidJson<FxFixingInput>,
) -> Result<HttpResponse, ApiError> {
    let p = path.into_inner();
    let day = p.day()?;
    let (fixing, outcome) = state
        .db
        .write(move |c| {
            fx::upsert_one(c, &actor, &p.base_currency, &p.quote_currency, day, &body.0)
                .map_err(path_names)
        })
        .await?;
    let (mut res, said) = match outcome {
        Upserted::Inserted => {
            let mut r = HttpResponse::Created();
            r.insert_header((
                header::LOCATION,
                format!(
                    "/api/v1/fx-rates/{}/{}/{}",
                    fixing.base, fixing.quote, fixing.date
                ),
            ));
            (r, "created")
        }
        Upserted::Updated => (HttpResponse::Ok(), "updated"),
        Upserted::Unchanged => (HttpResponse::Ok(), "unchanged"),
    };
    res.insert_header(("Upsert-Outcome", said));
    Ok(res.json(fixing))
}
