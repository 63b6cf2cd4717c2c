//! Reports as spreadsheets: the same CSV whether the API or the desk serves it.

/// A CSV document (RFC 4180, CRLF line ends) with a header row.
#[derive(Debug, Clone)]
pub struct Csv {
    pub filename: String,
    pub body: String,
}

/// A text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) is
/// prefixed with `'` so it stays text; numbers such as `-1.50` are left as they are.
fn defused(value: &str) -> std::borrow::Cow<'_, str> {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && rust_decimal::Decimal::from_str_exact(value).is_err() {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

fn field(value: &str) -> String {
    let value = &*defused(value);
    if value.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// A value in a cell as its JSON says it: a string as itself, `null` as an empty cell, anything
/// else as its JSON text.
pub fn text<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A quantity in a cell: kilograms with three decimals, as the JSON carries them.
pub fn kg(k: crate::domain::Kg) -> String {
    crate::domain::KgAmount::from(k).display().to_string()
}

impl Csv {
    pub fn new(
        filename: &str,
        header: &[&str],
        rows: impl IntoIterator<Item = Vec<String>>,
    ) -> Csv {
        let mut out = header.join(",");
        out.push_str("\r\n");
        for row in rows {
            out.push_str(&row.iter().map(|v| field(v)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        Csv {
            filename: filename.to_string(),
            body: out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting() {
        let csv = Csv::new(
            "x.csv",
            &["a", "b"],
            [vec!["1,5".into(), "say \"hi\"".into()]],
        );
        assert_eq!(csv.body, "a,b\r\n\"1,5\",\"say \"\"hi\"\"\"\r\n");
    }

    #[test]
    fn a_formula_stays_text_and_a_negative_number_stays_a_number() {
        let csv = Csv::new(
            "x.csv",
            &["a", "b", "c"],
            [vec![
                "=HYPERLINK(\"x\")".into(),
                "-1.50".into(),
                "@SUM(A1)".into(),
            ]],
        );
        assert_eq!(
            csv.body,
            "a,b,c\r\n\"'=HYPERLINK(\"\"x\"\")\",-1.50,'@SUM(A1)\r\n"
        );
    }
}
