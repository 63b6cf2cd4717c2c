//! Reports as spreadsheets: the same CSV whether the API or the desk serves it.

/// A CSV document (RFC 4180, CRLF line ends) with a header row.
#[derive(Debug, Clone)]
pub struct Csv {
    pub filename: String,
    pub body: String,
}

fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
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
}
