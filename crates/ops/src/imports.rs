//! Bulk import: many rows of one kind, each upserted through the same operation as
//! `PUT …/by-ref/{external_ref}` (or, for master data without a reference, by code), in one
//! transaction. All or nothing by default: one bad row and nothing is stored, and every bad row
//! is reported. With `valid-rows`, each row runs in its own savepoint and the good ones stay.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::db::DbConnection;
use crate::domain::customer::Customer;
use crate::domain::price_index::Quote;
use crate::domain::product::Product;
use crate::domain::PriceIndexId;
use crate::error::{FieldError, OpError};
use crate::master::{self, Referenced};
use crate::upsert::Outcome;
use crate::{Actor, Expect};

/// The most rows one import takes.
pub const MAX_ROWS: usize = 50_000;

/// What an import holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    Customers,
    Products,
    Orders,
    PriceQuotes,
    FxRates,
}

impl ImportKind {
    pub fn parse(s: &str) -> Option<ImportKind> {
        match s {
            "customers" => Some(ImportKind::Customers),
            "products" => Some(ImportKind::Products),
            "orders" => Some(ImportKind::Orders),
            "price-quotes" => Some(ImportKind::PriceQuotes),
            "fx-rates" => Some(ImportKind::FxRates),
            _ => None,
        }
    }
}

/// What happens to the good rows when some are bad.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ImportMode {
    /// Nothing is stored unless every row is good (the default).
    #[default]
    AllOrNothing,
    /// The good rows are stored and the bad ones reported.
    ValidRows,
}

/// One bad row: its number (1 for the first row after a CSV header, or the first element of a
/// JSON array), the field, and what is wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    /// Every bad row's problems, in row order.
    pub errors: Vec<RowError>,
}

/// Rows of a CSV document with a header row, as JSON objects of strings. A header
/// `pricing.type` makes `{"pricing": {"type": …}}`; an empty cell leaves its member out.
pub fn rows_from_csv(text: &str) -> Result<Vec<Value>, OpError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| OpError::field("body", format!("the CSV header row cannot be read: {e}")))?
        .clone();
    if headers.iter().any(str::is_empty) {
        return Err(OpError::field("body", "every CSV header must name a field"));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record
            .map_err(|e| OpError::field(format!("rows[{}]", i + 1), format!("is not CSV: {e}")))?;
        let mut row = Map::new();
        for (name, cell) in headers.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            match name.split_once('.') {
                Some((outer, inner)) => {
                    let nested = row
                        .entry(outer.to_string())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(m) = nested {
                        m.insert(inner.to_string(), csv_value(cell));
                    }
                }
                None => {
                    row.insert(name.to_string(), csv_value(cell));
                }
            }
        }
        rows.push(Value::Object(row));
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    Ok(rows)
}

/// A CSV cell as JSON: whole numbers that fit become numbers (offsets, counts), the rest stay
/// text — decimals are text in this API anyway.
fn csv_value(cell: &str) -> Value {
    match cell.parse::<i64>() {
        Ok(n) if !cell.starts_with('0') || cell == "0" => Value::from(n),
        _ => Value::from(cell),
    }
}

/// Rows of a JSON array.
pub fn rows_from_json(body: &[u8]) -> Result<Vec<Value>, OpError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(rows)) => Ok(rows),
        Ok(_) => Err(OpError::field("body", "must be a JSON array of rows")),
        Err(e) => Err(OpError::field("body", format!("is not JSON: {e}"))),
    }
}

/// A row deserialised into `T`, naming the member that does not fit.
fn decode<T: serde::de::DeserializeOwned>(row: Value) -> Result<T, OpError> {
    serde_path_to_error::deserialize(row).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        // A missing or unknown member is named in the message, not the path.
        let named = ["missing field `", "unknown field `"]
            .iter()
            .find_map(|p| message.strip_prefix(p))
            .and_then(|rest| rest.split('`').next());
        let field = match (path.as_str(), named) {
            (".", Some(name)) => name.to_string(),
            (".", None) => "row".into(),
            (p, Some(name)) => format!("{p}.{name}"),
            (p, None) => p.to_string(),
        };
        OpError::field(field, message)
    })
}

fn text(row: &Value, key: &str) -> Option<String> {
    row.get(key).and_then(Value::as_str).map(str::to_string)
}

fn master_row<K: Referenced>(
    conn: &mut DbConnection,
    actor: &Actor,
    row: Value,
) -> Result<Outcome, OpError>
where
    K::New: serde::de::DeserializeOwned,
{
    let external_ref = text(&row, "external_ref");
    let new: K::New = decode(row)?;
    let (_, outcome) = match external_ref {
        Some(r) => master::upsert::<K>(conn, actor, &r, &Expect::any(), new)?,
        None => master::upsert_by_code::<K>(conn, actor, new)?,
    };
    Ok(outcome)
}

fn order_row(conn: &mut DbConnection, actor: &Actor, row: Value) -> Result<Outcome, OpError> {
    let external_ref = text(&row, "external_ref")
        .ok_or_else(|| OpError::field("external_ref", "is required: orders are imported by it"))?;
    let new = decode(row)?;
    let (_, outcome) = crate::orders::upsert(conn, actor, &external_ref, &Expect::any(), new)?;
    Ok(outcome)
}

fn quote_row(conn: &mut DbConnection, actor: &Actor, row: Value) -> Result<Outcome, OpError> {
    let mut row = row;
    let index = match row.as_object_mut().and_then(|m| m.remove("price_index_id")) {
        Some(Value::String(s)) => PriceIndexId::parse(&s)
            .ok_or_else(|| OpError::field("price_index_id", "must be a UUID"))?,
        _ => return Err(OpError::field("price_index_id", "is required")),
    };
    let quote: Quote = decode(row)?;
    let done = crate::quotes::upsert(conn, actor, index, &[quote]).map_err(batch_of_one)?;
    Ok(outcome(done.inserted, done.updated))
}

fn fx_row(conn: &mut DbConnection, actor: &Actor, row: Value) -> Result<Outcome, OpError> {
    let fixing: crate::domain::fx::NewFxFixing = decode(row)?;
    let done = crate::fx::upsert_batch(conn, actor, &[fixing]).map_err(batch_of_one)?;
    Ok(outcome(done.inserted, done.updated))
}

/// A row upserted as a batch of one: its errors name the row's members, not `[0].…`.
fn batch_of_one(e: OpError) -> OpError {
    match e {
        OpError::Validation(errors) => OpError::Validation(
            errors
                .into_iter()
                .map(|f| FieldError::new(f.field.trim_start_matches("[0].").to_string(), f.message))
                .collect(),
        ),
        other => other,
    }
}

/// What a batch of one did to its row.
fn outcome(inserted: usize, updated: usize) -> Outcome {
    if inserted > 0 {
        Outcome::Created
    } else if updated > 0 {
        Outcome::Updated
    } else {
        Outcome::Unchanged
    }
}

fn one_row(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: ImportKind,
    row: Value,
) -> Result<Outcome, OpError> {
    if !row.is_object() {
        return Err(OpError::field("row", "must be an object"));
    }
    match kind {
        ImportKind::Customers => master_row::<Customer>(conn, actor, row),
        ImportKind::Products => master_row::<Product>(conn, actor, row),
        ImportKind::Orders => order_row(conn, actor, row),
        ImportKind::PriceQuotes => quote_row(conn, actor, row),
        ImportKind::FxRates => fx_row(conn, actor, row),
    }
}

/// The problems of a refused row, as the report lists them. Errors that are not about the row
/// (a lost connection, a missing permission) end the import instead.
fn row_errors(row: usize, e: OpError) -> Result<Vec<RowError>, OpError> {
    let one = |field: &str, message: String| RowError {
        row,
        field: field.to_string(),
        message,
    };
    match e {
        OpError::Validation(fields) => Ok(fields
            .into_iter()
            .map(|f| one(&f.field, f.message))
            .collect()),
        OpError::Conflict { .. } | OpError::NotFound(_) | OpError::PreconditionFailed(_) => {
            Ok(vec![one("row", e.to_string())])
        }
        other => Err(other),
    }
}

/// Imports `rows` of `kind`, in the caller's transaction. All or nothing: any bad row and the
/// answer is a 422 listing every bad row as `rows[N].field`, and the caller's transaction rolls
/// back. Valid rows: the bad ones are rolled back (each row runs in a savepoint) and reported.
pub fn run(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: ImportKind,
    mode: ImportMode,
    rows: Vec<Value>,
) -> Result<ImportReport, OpError> {
    if rows.is_empty() {
        return Err(OpError::field("body", "holds no rows"));
    }
    if rows.len() > MAX_ROWS {
        return Err(OpError::field(
            "body",
            format!("holds more than {MAX_ROWS} rows; split the import"),
        ));
    }
    let mut report = ImportReport {
        rows: rows.len(),
        ..ImportReport::default()
    };
    for (i, row) in rows.into_iter().enumerate() {
        let n = i + 1;
        // Each row in a savepoint: a row the database refuses leaves the transaction usable,
        // so every bad row is found and reported.
        let done = diesel::Connection::transaction(conn, |c| one_row(c, actor, kind, row));
        match done {
            Ok(Outcome::Created) => report.created += 1,
            Ok(Outcome::Updated) => report.updated += 1,
            Ok(Outcome::Unchanged) => report.unchanged += 1,
            Err(e) => {
                report.rejected += 1;
                report.errors.extend(row_errors(n, e)?);
            }
        }
    }
    if mode == ImportMode::AllOrNothing && report.rejected > 0 {
        return Err(OpError::Validation(
            report
                .errors
                .into_iter()
                .map(|e| FieldError::new(format!("rows[{}].{}", e.row, e.field), e.message))
                .collect(),
        ));
    }
    Ok(report)
}
