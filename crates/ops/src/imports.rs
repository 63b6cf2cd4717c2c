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
    pub const ALL: &'static [ImportKind] = &[
        ImportKind::Customers,
        ImportKind::Products,
        ImportKind::Orders,
        ImportKind::PriceQuotes,
        ImportKind::FxRates,
    ];

    /// As the path names it.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Products => "products",
            ImportKind::Orders => "orders",
            ImportKind::PriceQuotes => "price-quotes",
            ImportKind::FxRates => "fx-rates",
        }
    }

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

/// One row as read from the file: its members, or what is wrong with its cells.
pub type RowInput = Result<Value, Vec<FieldError>>;

/// Rows of a CSV document with a header row, as JSON objects. Each cell is read the way its
/// column says ([`crate::import_columns`]): decimals and codes as text, whole numbers as
/// numbers, booleans from `true/false`, `1/0`, `yes/no`. A header `pricing.type` makes
/// `{"pricing": {"type": …}}`; an empty cell leaves its member out; a column the kind does not
/// have is kept as text, so the row is refused naming it.
pub fn rows_from_csv(kind: ImportKind, text: &str) -> Result<Vec<RowInput>, OpError> {
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
    // Headers name columns in any case; a header that names none is refused once, here, not
    // once per row.
    let columns = crate::import_columns::columns(kind);
    let mut named = Vec::with_capacity(headers.len());
    let mut problems = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match columns.iter().find(|c| c.name.eq_ignore_ascii_case(h)) {
            Some(c) if named.iter().any(|(n, _)| *n == c.name) => problems.push(FieldError::new(
                format!("header[{i}]"),
                format!("names the column {} a second time", c.name),
            )),
            Some(c) => named.push((c.name, c.cell)),
            None => problems.push(FieldError::new(
                format!("header[{i}]"),
                format!(
                    "{h} is not a column of a {} import; its columns are {}",
                    kind.as_str(),
                    columns
                        .iter()
                        .map(|c| c.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(OpError::Validation(problems));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record
            .map_err(|e| OpError::field(format!("rows[{}]", i + 1), format!("is not CSV: {e}")))?;
        let mut row = Map::new();
        let mut errors = Vec::new();
        for ((name, kind), cell) in named.iter().zip(record.iter()) {
            let name = *name;
            if cell.is_empty() {
                continue;
            }
            let value = match crate::import_columns::cell_value(*kind, cell) {
                Ok(v) => v,
                Err(message) => {
                    errors.push(FieldError::new(name, message));
                    continue;
                }
            };
            match name.split_once('.') {
                Some((outer, inner)) => {
                    let nested = row
                        .entry(outer.to_string())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(m) = nested {
                        m.insert(inner.to_string(), value);
                    }
                }
                None => {
                    row.insert(name.to_string(), value);
                }
            }
        }
        rows.push(if errors.is_empty() {
            Ok(Value::Object(row))
        } else {
            Err(errors)
        });
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    // Spreadsheets leave empty rows at the end of what they export.
    while matches!(rows.last(), Some(Ok(Value::Object(m))) if m.is_empty()) {
        rows.pop();
    }
    Ok(rows)
}

/// Rows of a JSON array.
pub fn rows_from_json(body: &[u8]) -> Result<Vec<RowInput>, OpError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(rows)) => Ok(rows.into_iter().map(Ok).collect()),
        Ok(_) => Err(OpError::field("body", "must be a JSON array of rows")),
        Err(e) => Err(OpError::field("body", format!("is not JSON: {e}"))),
    }
}

/// A row deserialised into `T`, naming the member that does not fit.
fn decode<T: serde::de::DeserializeOwned>(row: Value) -> Result<T, OpError> {
    serde_path_to_error::deserialize(row).map_err(|e| {
        let path = e.path().to_string();
        let (field, message) =
            crate::domain::field_path::field_of(&path, &e.into_inner().to_string());
        OpError::field(if field == "body" { "row".into() } else { field }, message)
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

/// What an import's quote and fixing rows changed, recorded once when the import ends: one
/// event per index and one per currency pair, none for what was already so.
#[derive(Default)]
struct Deferred {
    quotes: std::collections::BTreeMap<
        PriceIndexId,
        (crate::quotes::QuoteUpsertResult, Vec<chrono::NaiveDate>),
    >,
    fixings: crate::fx::Touched,
}

impl Deferred {
    /// Adds what one batch did to an index.
    fn add_quotes(
        &mut self,
        index: PriceIndexId,
        done: &crate::quotes::QuoteUpsertResult,
        dates: Vec<chrono::NaiveDate>,
    ) {
        let (total, all) = self
            .quotes
            .entry(index)
            .or_insert_with(|| (crate::quotes::QuoteUpsertResult::empty(index), Vec::new()));
        total.inserted += done.inserted;
        total.updated += done.updated;
        total.unchanged += done.unchanged;
        all.extend(dates);
    }

    fn absorb(&mut self, row: Deferred) {
        for (index, (done, dates)) in row.quotes {
            self.add_quotes(index, &done, dates);
        }
        for (pair, days) in row.fixings {
            self.fixings.entry(pair).or_default().extend(days);
        }
    }

    fn record(self, conn: &mut DbConnection, actor: &Actor) -> Result<(), OpError> {
        for (result, dates) in self.quotes.values() {
            crate::quotes::record(conn, actor, result, dates)?;
        }
        crate::fx::record_touched(conn, actor, self.fixings)
    }
}

fn quote_row(
    conn: &mut DbConnection,
    actor: &Actor,
    row: Value,
    deferred: &mut Deferred,
) -> Result<Outcome, OpError> {
    let mut row = row;
    let index = match row.as_object_mut().and_then(|m| m.remove("price_index_id")) {
        Some(Value::String(s)) => PriceIndexId::parse(&s)
            .ok_or_else(|| OpError::field("price_index_id", "must be a UUID"))?,
        _ => return Err(OpError::field("price_index_id", "is required")),
    };
    let quote: Quote = decode(row)?;
    let mut changed = Vec::new();
    let done = crate::quotes::write(conn, actor, index, &[quote], &mut changed)
        .map_err(batch_of_one)
        .map_err(|e| match e {
            OpError::NotFound(m) => OpError::field("price_index_id", m),
            other => other,
        })?;
    deferred.add_quotes(index, &done, changed);
    Ok(outcome(done.inserted, done.updated))
}

fn fx_row(
    conn: &mut DbConnection,
    actor: &Actor,
    row: Value,
    deferred: &mut Deferred,
) -> Result<Outcome, OpError> {
    let fixing: crate::domain::fx::NewFxFixing = decode(row)?;
    let mut touched = crate::fx::Touched::new();
    let done = crate::fx::write(conn, actor, &[fixing], "", &mut touched).map_err(batch_of_one)?;
    for (pair, days) in touched {
        deferred.fixings.entry(pair).or_default().extend(days);
    }
    Ok(match done.first() {
        Some(crate::db::quotes::Upserted::Inserted) => Outcome::Created,
        Some(crate::db::quotes::Upserted::Updated) => Outcome::Updated,
        _ => Outcome::Unchanged,
    })
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
    deferred: &mut Deferred,
) -> Result<Outcome, OpError> {
    if !row.is_object() {
        return Err(OpError::field("row", "must be an object"));
    }
    match kind {
        ImportKind::Customers => master_row::<Customer>(conn, actor, row),
        ImportKind::Products => master_row::<Product>(conn, actor, row),
        ImportKind::Orders => order_row(conn, actor, row),
        ImportKind::PriceQuotes => quote_row(conn, actor, row, deferred),
        ImportKind::FxRates => fx_row(conn, actor, row, deferred),
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
        OpError::Conflict { ref extensions, .. } => {
            // A taken key names its member (`code`, `external_ref`) and the record holding it.
            let field = extensions
                .get("field")
                .and_then(Value::as_str)
                .unwrap_or("row")
                .to_string();
            Ok(vec![one(&field, e.to_string())])
        }
        OpError::NotFound(_) | OpError::PreconditionFailed(_) => {
            Ok(vec![one("row", e.to_string())])
        }
        other => Err(other),
    }
}

/// Refuses a row naming the same record as an earlier row of the file: for customers and
/// products the same `external_ref` or the same `code` (either names the record); for orders
/// the same `external_ref`; for quotes the same index and date; for fixings the same pair and
/// date. Which of two would win is not the file's to leave to chance.
fn first_in_file(
    kind: ImportKind,
    row: &Value,
    n: usize,
    seen: &mut std::collections::HashMap<String, usize>,
) -> Result<(), Vec<FieldError>> {
    let members = crate::import_columns::identity(kind);
    let text_of = |m: &str| {
        row.get(m)
            .map(|v| v.as_str().map_or(v.to_string(), str::to_string))
    };
    // Each key is a list of (member, value); a row is refused when any of its keys was seen.
    let keys: Vec<Vec<(&str, String)>> = match kind {
        ImportKind::Customers | ImportKind::Products => members
            .iter()
            .filter_map(|m| text_of(m).map(|v| vec![(*m, v)]))
            .collect(),
        _ => {
            let named: Vec<(&str, String)> = members
                .iter()
                .filter_map(|m| text_of(m).map(|v| (*m, v)))
                .collect();
            // A missing member is reported by the row's own checks.
            if named.len() == members.len() {
                vec![named]
            } else {
                Vec::new()
            }
        }
    };
    let text = |key: &[(&str, String)]| {
        key.iter()
            .map(|(m, v)| format!("{m}={v}"))
            .collect::<Vec<_>>()
            .join("\u{1f}")
    };
    for key in &keys {
        if let (Some(first), Some((field, _))) = (seen.get(&text(key)), key.last()) {
            return Err(vec![FieldError::new(
                *field,
                format!(
                    "names the same record as row {first} ({}); a file holds each record once",
                    key.iter()
                        .map(|(m, v)| format!("{m} {v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )]);
        }
    }
    for key in &keys {
        seen.insert(text(key), n);
    }
    Ok(())
}

/// Imports `rows` of `kind`, in the caller's transaction. All or nothing: any bad row and the
/// answer is a 422 listing every bad row as `rows[N].field`, and the caller's transaction rolls
/// back. Valid rows: the bad ones are rolled back (each row runs in a savepoint) and reported.
pub fn run(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: ImportKind,
    mode: ImportMode,
    rows: Vec<RowInput>,
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
    let mut deferred = Deferred::default();
    let mut seen = std::collections::HashMap::new();
    for (i, row) in rows.into_iter().enumerate() {
        let n = i + 1;
        let row = match row.and_then(|r| first_in_file(kind, &r, n, &mut seen).map(|()| r)) {
            Ok(r) => r,
            Err(errors) => {
                report.rejected += 1;
                report.errors.extend(errors.into_iter().map(|f| RowError {
                    row: n,
                    field: f.field,
                    message: f.message,
                }));
                continue;
            }
        };
        // Each row in a savepoint: a row the database refuses leaves the transaction usable,
        // so every bad row is found and reported. What a refused row added to `deferred` is
        // dropped with it.
        let mut row_deferred = Deferred::default();
        let done = diesel::Connection::transaction(conn, |c| {
            one_row(c, actor, kind, row, &mut row_deferred)
        });
        if done.is_ok() {
            deferred.absorb(row_deferred);
        }
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
        // Nothing is kept, so nothing is recorded.
        return Err(OpError::Validation(
            report
                .errors
                .into_iter()
                .map(|e| FieldError::new(format!("rows[{}].{}", e.row, e.field), e.message))
                .collect(),
        ));
    }
    deferred.record(conn, actor)?;
    Ok(report)
}
