//! `GET/POST /price-indices/{id}/quotes`: market quotes by date, batch upsert.

use std::collections::BTreeSet;

use actix_web::{get, post, web, HttpResponse};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::ValidJson;
use crate::auth::Principal;
use crate::change::{self, Actor, Change};
use crate::db::models::price_index::PriceQuoteRow;
use crate::db::now;
use crate::db::scaled::{from_scaled, to_scaled, PRICE_SCALE};
use crate::db::schema::price_quotes;
use crate::domain::reference::MasterStatus;
use crate::domain::{Permission, Price};
use crate::error::{ApiError, FieldError};
use crate::openapi::{ReadErrors, WriteErrors};
use crate::startup::AppState;

/// Most quotes accepted in one request.
pub const MAX_BATCH: usize = 1000;

/// One market quote.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    #[schema(example = "2026-10-15")]
    pub date: NaiveDate,
    /// Price per kg in the index currency, a decimal string (at most 4 dp).
    #[schema(example = "61.2500")]
    pub price: Price,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteList {
    pub index_id: uuid::Uuid,
    #[schema(example = "USD")]
    pub currency: String,
    pub quotes: Vec<Quote>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteUpsertResult {
    pub index_id: uuid::Uuid,
    /// Quotes for dates that had none.
    pub inserted: usize,
    /// Quotes that replaced an earlier price for their date.
    pub updated: usize,
    /// Quotes whose price was already as given.
    pub unchanged: usize,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QuoteRange {
    /// First date, inclusive.
    #[param(example = "2026-10-01")]
    from: Option<NaiveDate>,
    /// Last date, inclusive.
    #[param(example = "2026-10-31")]
    to: Option<NaiveDate>,
}

/// List quotes
///
/// Quotes of the index by date, oldest first, optionally within `from`–`to`.
#[utoipa::path(
    tag = "price-indices",
    params(("id" = uuid::Uuid, Path, description = "Price index id"), QuoteRange),
    responses((status = 200, description = "The quotes", body = QuoteList), ReadErrors),
)]
#[get("/price-indices/{id}/quotes")]
pub async fn list_price_quotes(
    state: web::Data<AppState>,
    _caller: Principal,
    id: web::Path<uuid::Uuid>,
    range: web::Query<QuoteRange>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let QuoteRange { from, to } = range.into_inner();
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::field("from", "must not be after `to`"));
        }
    }
    let (index, rows) = state
        .db
        .read(move |conn| {
            let index = super::find(conn, &id)?;
            let mut q = price_quotes::table
                .filter(price_quotes::index_id.eq(&id))
                .select(PriceQuoteRow::as_select())
                .into_boxed();
            if let Some(f) = from {
                q = q.filter(price_quotes::quote_date.ge(f));
            }
            if let Some(t) = to {
                q = q.filter(price_quotes::quote_date.le(t));
            }
            let rows = q.order(price_quotes::quote_date.asc()).load(conn)?;
            Ok((index, rows))
        })
        .await?;
    Ok(HttpResponse::Ok().json(QuoteList {
        index_id: uuid::Uuid::parse_str(&index.id).unwrap_or_default(),
        currency: index.currency,
        quotes: rows.iter().filter_map(quote_of).collect(),
    }))
}

fn quote_of(r: &PriceQuoteRow) -> Option<Quote> {
    Some(Quote {
        date: r.quote_date,
        price: Price::new(from_scaled(r.price_e4, PRICE_SCALE))?,
    })
}

/// Checks a batch: 1–1000 quotes, distinct dates, not in the future, prices above zero.
fn validate(quotes: &[Quote]) -> Result<Vec<(NaiveDate, i64)>, ApiError> {
    let mut errors = Vec::new();
    if quotes.is_empty() || quotes.len() > MAX_BATCH {
        errors.push(FieldError::new(
            "body",
            format!("must hold 1 to {MAX_BATCH} quotes"),
        ));
    }
    let latest = crate::clock::today() + Duration::days(1);
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(quotes.len());
    for (i, q) in quotes.iter().enumerate() {
        if !seen.insert(q.date) {
            errors.push(FieldError::new(
                format!("[{i}].date"),
                "appears twice in the batch",
            ));
        }
        if q.date > latest {
            errors.push(FieldError::new(
                format!("[{i}].date"),
                "must not be in the future",
            ));
        }
        match to_scaled(q.price.value(), PRICE_SCALE) {
            Some(units) if units > 0 => out.push((q.date, units)),
            Some(_) => errors.push(FieldError::new(
                format!("[{i}].price"),
                "must be greater than 0",
            )),
            None => errors.push(FieldError::new(format!("[{i}].price"), "is too large")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Upsert quotes
///
/// Adds or replaces the quotes of the given dates in one transaction. Roles: admin, planner,
/// sales, integration.
#[utoipa::path(
    tag = "price-indices",
    request_body(content = Vec<Quote>, example = json!([{"date": "2026-10-14", "price": "61.25"}, {"date": "2026-10-15", "price": "61.80"}])),
    params(
        ("id" = uuid::Uuid, Path, description = "Price index id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request"),
    ),
    responses((status = 200, description = "What changed", body = QuoteUpsertResult), WriteErrors),
)]
#[post("/price-indices/{id}/quotes")]
pub async fn upsert_price_quotes(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<uuid::Uuid>,
    body: ValidJson<Vec<Quote>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WritePriceQuotes)?;
    let id = id.into_inner().to_string();
    let quotes = validate(&body.0)?;
    let actor = Actor::from(&caller);
    let result = state
        .db
        .write(move |conn| {
            let index = super::find(conn, &id)?;
            if index.status == MasterStatus::Archived.as_str() {
                return Err(ApiError::conflict(
                    "the price index is archived and takes no new quotes",
                ));
            }
            let at = now();
            let (mut inserted, mut updated, mut unchanged) = (0, 0, 0);
            for (date, units) in &quotes {
                let key = price_quotes::table.find((&id, date));
                let existing: Option<i64> =
                    key.select(price_quotes::price_e4).first(conn).optional()?;
                match existing {
                    Some(old) if old == *units => unchanged += 1,
                    Some(_) => {
                        diesel::update(key)
                            .set((
                                price_quotes::price_e4.eq(units),
                                price_quotes::updated_at.eq(at),
                            ))
                            .execute(conn)?;
                        updated += 1;
                    }
                    None => {
                        diesel::insert_into(price_quotes::table)
                            .values(PriceQuoteRow {
                                index_id: id.clone(),
                                quote_date: *date,
                                price_e4: *units,
                                updated_at: at,
                            })
                            .execute(conn)?;
                        inserted += 1;
                    }
                }
            }
            let result = QuoteUpsertResult {
                index_id: uuid::Uuid::parse_str(&id).unwrap_or_default(),
                inserted,
                updated,
                unchanged,
            };
            let dates: Vec<_> = quotes.iter().map(|(d, _)| *d).collect();
            let after = serde_json::json!({
                "index_id": id,
                "from": dates.iter().min(),
                "to": dates.iter().max(),
                "inserted": inserted,
                "updated": updated,
                "unchanged": unchanged,
            });
            change::record(
                conn,
                &actor,
                Change {
                    action: "quotes_upserted",
                    entity_type: "price_index",
                    entity_id: &id,
                    before: None,
                    after: Some(after),
                },
            )?;
            Ok(result)
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}
