//! Which member a deserialisation error is about, from serde's path and message: joined with
//! the member a tagged union names (pricing terms, see [`crate::pricing_terms::NESTED_FIELD`]),
//! or with the member serde names when one is missing or unknown (serde reports those at their
//! parent). The API's bodies and queries, the desk's forms and the imports' rows use it, so
//! every input's errors are named one way.

/// `(field, message)` of a deserialisation error at `path` saying `message`.
pub fn field_of(path: &str, message: &str) -> (String, String) {
    nested_field(path, message).unwrap_or_else(|| (field_name(path, message), message.to_string()))
}

/// An error found inside a tagged union names its member after a marker (see
/// `domain::pricing_terms::NESTED_FIELD`): join it to the outer path.
fn nested_field(path: &str, message: &str) -> Option<(String, String)> {
    use crate::pricing_terms::NESTED_FIELD;
    let rest = message.split_once(NESTED_FIELD)?.1;
    let (inner, message) = rest.split_once(NESTED_FIELD)?;
    let field = match (path, inner) {
        (".", i) => i.to_string(),
        (p, "") | (p, ".") => p.to_string(),
        (p, i) => format!("{p}.{i}"),
    };
    Some((field, message.to_string()))
}

/// serde reports a missing or unknown member at its parent; name the member itself.
fn field_name(path: &str, message: &str) -> String {
    let named = message
        .strip_prefix("missing field `")
        .or_else(|| message.strip_prefix("unknown field `"))
        .and_then(|rest| rest.split('`').next());
    match (path, named) {
        (p, Some(name)) if p == name || p.ends_with(&format!(".{name}")) => p.to_string(),
        (".", Some(name)) => name.to_string(),
        (p, Some(name)) => format!("{p}.{name}"),
        (".", None) => "body".to_string(),
        (p, None) => p.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn members_are_named_by_their_path() {
        assert_eq!(field_of(".", "missing field `code`").0, "code");
        assert_eq!(
            field_of("pricing", "unknown field `x`, expected …").0,
            "pricing.x"
        );
        let nested = "\u{241E}unit_price\u{241E}must be a string";
        assert_eq!(
            field_of("pricing", nested),
            (
                "pricing.unit_price".to_string(),
                "must be a string".to_string()
            )
        );
    }
}
