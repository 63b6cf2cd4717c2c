//! The columns of each kind's CSV import, and how a cell is read: every cell is text, parsed the
//! way its member's JSON schema says. Decimals stay decimal text (`61`, `61.0` and `61.00` are
//! the same price), whole numbers become numbers, booleans are `true/false`, `1/0` or
//! `yes/no` in any case, and codes, references, dates and months stay text (`100300` is a
//! code, not a number). `GET /api/v1/imports/{kind}/columns` serves this table.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::imports::ImportKind;

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellType {
    /// Taken as written (codes, names, references, enumerations).
    Text,
    /// An exact decimal, as text: `61`, `61.0`, `-1.5`.
    Decimal,
    /// A whole number: `-1`.
    Integer,
    /// `true`/`false`, `1`/`0` or `yes`/`no`, in any case.
    Boolean,
    /// `YYYY-MM-DD`.
    Date,
    /// A month, `YYYY-MM`.
    Period,
    /// A UUID.
    Uuid,
}

/// One column of an import.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub cell: CellType,
    pub required: bool,
    pub description: &'static str,
}

const fn col(
    name: &'static str,
    cell: CellType,
    required: bool,
    description: &'static str,
) -> Column {
    Column {
        name,
        cell,
        required,
        description,
    }
}

use CellType::{Boolean, Date, Decimal, Integer, Period, Text, Uuid};

const CUSTOMERS: &[Column] = &[
    col(
        "code",
        Text,
        true,
        "Business code, A–Z 0–9 . _ -, at most 40",
    ),
    col("name", Text, true, "Name, at most 200 characters"),
    col("country", Text, true, "ISO 3166-1 alpha-2"),
    col(
        "external_ref",
        Text,
        false,
        "The ERP's reference; the row is upserted by it, else by code",
    ),
];

const PRODUCTS: &[Column] = &[
    col(
        "code",
        Text,
        true,
        "Business code, A–Z 0–9 . _ -, at most 40",
    ),
    col("name", Text, true, "Name, at most 200 characters"),
    col(
        "form",
        Text,
        true,
        "oxide, metal, alloy, carbonate or other",
    ),
    col("min_purity_pct", Decimal, false, "Minimum purity, 0–100"),
    col("hs_code", Text, false, "Tariff code, 6–10 digits"),
    col(
        "export_controlled",
        Boolean,
        false,
        "Whether shipments need an export licence",
    ),
    col(
        "external_ref",
        Text,
        false,
        "The ERP's reference; the row is upserted by it, else by code",
    ),
];

const ORDERS: &[Column] = &[
    col(
        "external_ref",
        Text,
        true,
        "The ERP's reference; the row is upserted by it",
    ),
    col("order_type", Text, true, "spot or add_on"),
    col("customer_id", Uuid, true, "The customer"),
    col("product_id", Uuid, true, "The product"),
    col("contract_id", Uuid, false, "Required for add-on orders"),
    col("period", Period, true, "Delivery month"),
    col(
        "quantity_kg",
        Decimal,
        true,
        "Quantity in kg, up to 3 decimals",
    ),
    col("number", Text, false, "Order number; generated when empty"),
    col("currency", Text, false, "USD, EUR, CNY or JPY"),
    col(
        "incoterm",
        Text,
        false,
        "Incoterms 2020 rule; required for spot orders (add-on orders take the contract's)",
    ),
    col(
        "incoterm_place",
        Text,
        false,
        "Named place of the Incoterm; required for spot orders",
    ),
    col("pricing.type", Text, false, "fixed or index"),
    col("pricing.unit_price", Decimal, false, "Fixed price per kg"),
    col(
        "pricing.index_id",
        Uuid,
        false,
        "Index of index-linked pricing",
    ),
    col(
        "pricing.qp_offset_months",
        Integer,
        false,
        "Quotation month relative to delivery, −12 to 12",
    ),
    col(
        "pricing.multiplier",
        Decimal,
        false,
        "Factor on the index average",
    ),
    col(
        "pricing.premium",
        Decimal,
        false,
        "Added per kg; may be negative",
    ),
    col("pricing.floor", Decimal, false, "Lowest price per kg"),
    col("pricing.ceiling", Decimal, false, "Highest price per kg"),
];

const PRICE_QUOTES: &[Column] = &[
    col("price_index_id", Uuid, true, "The price index"),
    col("date", Date, true, "Quote date, not in the future"),
    col(
        "price",
        Decimal,
        true,
        "Price in the index's currency and unit",
    ),
];

const FX_RATES: &[Column] = &[
    col("base", Text, true, "Base currency: USD, EUR, CNY or JPY"),
    col("quote", Text, true, "Quote currency"),
    col("date", Date, true, "Fixing date, not in the future"),
    col(
        "rate",
        Decimal,
        true,
        "Units of quote currency per unit of base",
    ),
    col("source", Text, false, "Where the fixing came from"),
];

/// The columns of `kind`, in the order a template lists them.
pub fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Customers => CUSTOMERS,
        ImportKind::Products => PRODUCTS,
        ImportKind::Orders => ORDERS,
        ImportKind::PriceQuotes => PRICE_QUOTES,
        ImportKind::FxRates => FX_RATES,
    }
}

/// The members that name one record of `kind`: two rows of one file with the same values of
/// these are refused. Customers and products are named by `external_ref` when they have one,
/// else by `code`.
pub fn identity(kind: ImportKind) -> &'static [&'static str] {
    match kind {
        ImportKind::Customers | ImportKind::Products => &["external_ref", "code"],
        ImportKind::Orders => &["external_ref"],
        ImportKind::PriceQuotes => &["price_index_id", "date"],
        ImportKind::FxRates => &["base", "quote", "date"],
    }
}

/// The JSON value of one cell of `column`, or what is wrong with it.
pub fn cell_value(cell: CellType, text: &str) -> Result<Value, String> {
    match cell {
        Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("must be a whole number, not {text:?}")),
        Boolean => match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(Value::Bool(true)),
            "false" | "0" | "no" => Ok(Value::Bool(false)),
            _ => Err(format!(
                "must be true or false (also 1/0 or yes/no, in any case), not {text:?}"
            )),
        },
        Decimal => Ok(Value::from(without_grouping(text))),
        Text | Date | Period | Uuid => Ok(Value::from(text)),
    }
}

/// `1,000.50` as spreadsheets format it becomes `1000.50`; anything else is left as written
/// (so `1,5` is refused by the member, not read as 15).
fn without_grouping(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (whole, fraction) = rest
        .split_once('.')
        .map_or((rest, None), |(w, f)| (w, Some(f)));
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if !grouped {
        return text.to_string();
    }
    match fraction {
        Some(f) => format!("{sign}{}.{f}", groups.concat()),
        None => format!("{sign}{}", groups.concat()),
    }
}

/// How `kind`'s CSV rows look to a schema reader: every column a string, with its pattern.
pub fn csv_row_schema(kind: ImportKind) -> Value {
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for c in columns(kind) {
        let mut schema = serde_json::json!({"type": "string", "description": c.description});
        let pattern = match c.cell {
            Text => None,
            Decimal => Some("^-?[0-9]+(\\.[0-9]+)?$"),
            Integer => Some("^-?[0-9]+$"),
            Boolean => Some("^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0|[Yy][Ee][Ss]|[Nn][Oo])$"),
            Date => Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
            Period => Some("^[0-9]{4}-[0-9]{2}$"),
            Uuid => None,
        };
        if let Some(p) = pattern {
            schema["pattern"] = Value::from(p);
        }
        if c.cell == Uuid {
            schema["format"] = Value::from("uuid");
        }
        schema["x-cell-type"] = serde_json::to_value(c.cell).unwrap_or_default();
        properties.insert(c.name.to_string(), schema);
        if c.required {
            required.push(c.name);
        }
    }
    serde_json::json!({
        "type": "object",
        "description": format!(
            "One row of a `{}` CSV import: the header row names these columns (any order, any \
             subset that holds the required ones); every cell is text, read as `x-cell-type` says.",
            kind.as_str()
        ),
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_read_as_their_member_says() {
        assert_eq!(cell_value(Decimal, "61"), Ok(Value::from("61")));
        assert_eq!(cell_value(Text, "100300"), Ok(Value::from("100300")));
        assert_eq!(cell_value(Integer, "-1"), Ok(Value::from(-1)));
        for t in ["true", "TRUE", "1", "yes", "Yes"] {
            assert_eq!(cell_value(Boolean, t), Ok(Value::Bool(true)), "{t}");
        }
        for f in ["false", "FALSE", "0", "no", "NO"] {
            assert_eq!(cell_value(Boolean, f), Ok(Value::Bool(false)), "{f}");
        }
        assert!(cell_value(Boolean, "maybe").is_err());
        assert_eq!(cell_value(Decimal, "1,000.50"), Ok(Value::from("1000.50")));
        assert_eq!(cell_value(Decimal, "-12,000"), Ok(Value::from("-12000")));
        assert_eq!(cell_value(Decimal, "1,5"), Ok(Value::from("1,5")));
        assert_eq!(cell_value(Decimal, "12,00"), Ok(Value::from("12,00")));
        assert!(cell_value(Integer, "1.5").is_err());
    }

    #[test]
    fn every_kind_has_its_identity_among_its_columns() {
        for kind in ImportKind::ALL {
            let names: Vec<&str> = columns(*kind).iter().map(|c| c.name).collect();
            for key in identity(*kind) {
                assert!(names.contains(key), "{kind:?} {key}");
            }
        }
    }
}
