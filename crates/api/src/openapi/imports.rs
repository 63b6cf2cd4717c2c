//! The imports' rows, typed per kind: the JSON variant's rows as the create requests they are,
//! and each kind's CSV row as its columns are read (`<Kind>CsvRow`, see
//! `ops::import_columns`), so a generated client has a model for each.

use serde_json::{json, Map, Value};

use crate::ops::imports::ImportKind;

fn names(kind: ImportKind) -> (&'static str, &'static str) {
    match kind {
        ImportKind::Customers => ("CustomerImportRow", "CustomerCsvRow"),
        ImportKind::Products => ("ProductImportRow", "ProductCsvRow"),
        ImportKind::Orders => ("OrderImportRow", "OrderCsvRow"),
        ImportKind::PriceQuotes => ("PriceQuoteImportRow", "PriceQuoteCsvRow"),
        ImportKind::FxRates => ("FxRateImportRow", "FxRateCsvRow"),
    }
}

/// The JSON row of `kind`, from the create request it is.
fn json_row(kind: ImportKind, schemas: &Map<String, Value>) -> Value {
    let copy = |name: &str| schemas.get(name).cloned().unwrap_or_else(|| json!({}));
    let mut row = match kind {
        ImportKind::Customers => copy("NewCustomer"),
        ImportKind::Products => copy("NewProduct"),
        ImportKind::Orders => {
            let mut order = copy("NewOrder");
            if let Some(required) = order.get_mut("required").and_then(Value::as_array_mut) {
                required.push(json!("external_ref"));
            }
            order
        }
        ImportKind::PriceQuotes => {
            let quote = copy("Quote");
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["price_index_id", "date", "price"],
                "properties": {
                    "price_index_id": {"type": "string", "format": "uuid"},
                    "date": quote.pointer("/properties/date").cloned().unwrap_or(json!({"type": "string", "format": "date"})),
                    "price": quote.pointer("/properties/price").cloned().unwrap_or(json!({"type": "string"}))
                }
            })
        }
        ImportKind::FxRates => copy("NewFxFixing"),
    };
    row["description"] = json!(format!(
        "One row of a `{}` JSON import, upserted by {}.",
        kind.as_str(),
        match kind {
            ImportKind::Customers | ImportKind::Products =>
                "`external_ref`, or `code` when it has none",
            ImportKind::Orders => "`external_ref`",
            ImportKind::PriceQuotes => "`price_index_id` and `date`",
            ImportKind::FxRates => "`base`, `quote` and `date`",
        }
    ));
    row
}

/// Adds the row schemas and types the JSON import's body with them.
pub fn document_imports(doc: &mut Value) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut refs = Vec::new();
    for kind in ImportKind::ALL {
        let (json_name, csv_name) = names(*kind);
        let row = json_row(*kind, schemas);
        schemas.insert(json_name.into(), row);
        schemas.insert(
            csv_name.into(),
            crate::ops::import_columns::csv_row_schema(*kind),
        );
        refs.push(json!({"$ref": format!("#/components/schemas/{json_name}")}));
    }
    if let Some(body) = doc.pointer_mut(
        "/paths/~1api~1v1~1imports~1{kind}/post/requestBody/content/application~1json/schema",
    ) {
        *body = json!({"type": "array", "items": {"anyOf": refs}});
    }
}
