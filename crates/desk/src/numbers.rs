//! Numbers as people type them: `12000`, `12,000`, `12 000` and `12000.5` all mean what they
//! look like. Thousands may be grouped by commas or spaces (three digits a group), the decimal
//! point is a point; anything else is left as typed, for the API's own rules to name.

/// The decimal `text` means, in the API's form (`12000.5`); `None` when it is not a number
/// written in one of the ways above.
pub fn understood(text: &str) -> Option<String> {
    let t = text.trim();
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest.trim_start()),
        None => ("", t),
    };
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if let Some(f) = fraction {
        if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    let digits = ungrouped(whole)?;
    Some(match fraction {
        Some(f) => format!("{sign}{digits}.{f}"),
        None => format!("{sign}{digits}"),
    })
}

/// The whole part without its grouping: plain digits, or groups of three after the first,
/// separated by one kind of separator (comma, space, or the narrow and no-break spaces).
fn ungrouped(whole: &str) -> Option<String> {
    if whole.is_empty() {
        return None;
    }
    if whole.chars().all(|c| c.is_ascii_digit()) {
        return Some(whole.to_string());
    }
    let separator = whole.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(separator, ',' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}') {
        return None;
    }
    let groups: Vec<&str> = whole.split(separator).collect();
    let first_ok = groups
        .first()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.chars().all(|c| c.is_ascii_digit()));
    let rest_ok = groups[1..]
        .iter()
        .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
    (first_ok && rest_ok).then(|| groups.concat())
}

/// `text` as the API should read it: the number understood, or the text as typed (whose error
/// the API names).
pub fn for_api(text: &str) -> String {
    understood(text).unwrap_or_else(|| text.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_ways_people_write_a_quantity() {
        for (typed, meant) in [
            ("12000", "12000"),
            ("12,000", "12000"),
            ("12 000", "12000"),
            ("12\u{a0}000", "12000"),
            ("12000.5", "12000.5"),
            ("1,234,567.125", "1234567.125"),
            (" 2,500 ", "2500"),
            ("-1.50", "-1.50"),
        ] {
            assert_eq!(understood(typed).as_deref(), Some(meant), "{typed:?}");
        }
        for typed in [
            "12,5",
            "1,2345",
            "12,000 000",
            "12.",
            ".5",
            "twelve",
            "",
            "12,,000",
            "1e3",
        ] {
            assert_eq!(understood(typed), None, "{typed:?}");
        }
        assert_eq!(for_api("12,5"), "12,5");
    }

    proptest! {
        /// Any whole number, grouped by commas or spaces, reads back as itself.
        #[test]
        fn grouping_never_changes_the_number(n in 0u64..10_000_000_000u64, comma in any::<bool>()) {
            let plain = n.to_string();
            let sep = if comma { ',' } else { ' ' };
            let mut grouped = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    grouped.push(sep);
                }
                grouped.push(c);
            }
            prop_assert_eq!(understood(&grouped), Some(plain));
        }
    }
}
