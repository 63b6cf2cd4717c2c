//! The server's input rules stated in the document, so a schema-valid request is one the server
//! takes (and generated clients and fuzzers send what it accepts): code, country, username and
//! tariff patterns, non-blank names, positive unit prices, webhook URLs and event types, the
//! `Idempotency-Key` header, and the body each lifecycle action really takes.

use serde_json::{json, Map, Value};

/// Business codes and numbers (`domain::reference::is_code`).
const CODE: &str = "^[A-Z0-9._-]{1,40}$";
/// ISO 3166-1 alpha-2 (`is_country`).
const COUNTRY: &str = "^[A-Z]{2}$";
/// `domain::user::is_username`.
const USERNAME: &str = "^[a-z][a-z0-9._-]{2,63}$";
/// 6–10 digits, dots between them (`is_hs_code`).
const HS_CODE: &str = "^[0-9](\\.*[0-9]){5,9}$";
/// Holds something besides white space.
const NOT_BLANK: &str = "\\S";
/// A price above zero, at most 1,000,000 with 4 decimals.
const POSITIVE_PRICE: &str = "^(1000000(\\.0{1,4})?|[1-9][0-9]{0,5}(\\.[0-9]{1,4})?|0\\.([1-9][0-9]{0,3}|0[1-9][0-9]{0,2}|00[1-9][0-9]?|000[1-9]))$";
/// `entity.action` or `entity.*` (`domain::webhook::is_event_type`).
const EVENT_TYPE: &str = "^[a-z_]+\\.([a-z_]+|\\*)$";
/// Visible ASCII, no white space at either end (the idempotency middleware).
const IDEMPOTENCY_KEY: &str = "^[!-~]([ -~]*[!-~])?$";

/// Actions whose reason is required (`reason(…, true)` in their operations).
const REASON_REQUIRED: &[&str] = &[
    "terminate_contract",
    "cancel_order",
    "reject_order",
    "cancel_shipment",
];
/// Actions that run the ATP check and so take `override`.
pub const ATP_GATED: &[&str] = &[
    "confirm_order",
    "activate_contract",
    "resume_contract",
    "replace_contract_schedule",
];

fn is_request_schema(name: &str) -> bool {
    name.starts_with("New") || name.ends_with("Patch") || name.ends_with("Request")
}

fn set_pattern(property: &mut Value, pattern: &str) {
    if let Some(p) = property.as_object_mut() {
        p.insert("pattern".into(), json!(pattern));
    }
}

/// Patterns on the members of request schemas, by member name.
fn member_patterns(schemas: &mut Map<String, Value>) {
    for (name, schema) in schemas.iter_mut() {
        if !is_request_schema(name) {
            continue;
        }
        let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (member, p) in props.iter_mut() {
            match member.as_str() {
                "code" | "number" => set_pattern(p, CODE),
                "country" => set_pattern(p, COUNTRY),
                "username" => set_pattern(p, USERNAME),
                "hs_code" => set_pattern(p, HS_CODE),
                "name" | "incoterm_place" | "payment_terms" | "vessel" | "bl_number"
                | "air_waybill" | "flight" | "consignment_note" | "voyage" => {
                    set_pattern(p, NOT_BLANK)
                }
                "unit_price" => set_pattern(p, POSITIVE_PRICE),
                "currency" => {
                    *p = json!({"$ref": "#/components/schemas/Currency"});
                }
                "containers" => {
                    p["items"] = json!({"type": "string", "minLength": 1, "maxLength": 20, "pattern": NOT_BLANK});
                }
                "url" => {
                    p["format"] = json!("uri");
                    p["pattern"] = json!("^https?://[^/?#@\\s]+");
                }
                "event_types" => {
                    p["items"] = json!({"type": "string", "maxLength": 100, "pattern": EVENT_TYPE});
                }
                _ => {}
            }
        }
    }
    // Quote dates fall in the months the service knows (2000-01 to 2100-12).
    if let Some(date) = schemas
        .get_mut("Quote")
        .and_then(|s| s.pointer_mut("/properties/date"))
    {
        date["pattern"] = json!("^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$");
    }
    // Pricing terms and quotes: prices per kg above zero.
    for (schema, member) in [("FixedPricing", "unit_price"), ("Quote", "price")] {
        if let Some(p) = schemas
            .get_mut(schema)
            .and_then(|s| s.pointer_mut(&format!("/properties/{member}")))
        {
            *p = json!({"type": "string", "pattern": POSITIVE_PRICE, "description": "Price per kg above zero, a decimal string (at most 4 dp)."});
        }
    }
}

/// The body schemas of lifecycle actions: a required reason where the action needs one, and
/// `override` only where the action runs the ATP check.
fn reason_body(schemas: &mut Map<String, Value>) {
    schemas.insert(
        "ReasonRequired".into(),
        json!({
            "type": "object",
            "description": "The body of an action that needs a reason.",
            "additionalProperties": false,
            "required": ["reason"],
            "properties": {
                "reason": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 1000,
                    "pattern": NOT_BLANK,
                    "description": "Why: recorded in the audit trail."
                }
            }
        }),
    );
    if let Some(req) = schemas.get_mut("ActionRequest") {
        // An override is given with its reason.
        req["dependentRequired"] = json!({"override": ["reason"]});
        if let Some(reason) = req.pointer_mut("/properties/reason") {
            reason["maxLength"] = json!(1000);
        }
    }
}

fn action_body(op_id: &str, body: &mut Value) {
    let Some(schema) = body.pointer_mut("/content/application~1json/schema") else {
        return;
    };
    if schema.get("$ref") != Some(&json!("#/components/schemas/ActionRequest")) {
        return;
    }
    if REASON_REQUIRED.contains(&op_id) {
        *schema = json!({"$ref": "#/components/schemas/ReasonRequired"});
        body["required"] = json!(true);
    } else if !ATP_GATED.contains(&op_id) {
        *schema = json!({"$ref": "#/components/schemas/ActionBody"});
    }
}

/// Month query parameters take what `Period` takes.
fn month_query(param: &mut Value) {
    let is_month = matches!(
        param.get("name").and_then(Value::as_str),
        Some("period" | "from" | "to")
    );
    if is_month && param.get("in") == Some(&json!("query")) {
        if let Some(schema) = param.get_mut("schema") {
            if schema.get("type") == Some(&json!("string")) && schema.get("format").is_none() {
                schema["pattern"] = json!(crate::domain::Period::PATTERN);
            }
        }
    }
}

/// A `limit` query parameter states its range: 1–1000 for the change feed, 1–500 elsewhere
/// (`ops::page::MAX_LIMIT`), as the server checks it.
fn page_limit(param: &mut Value) {
    if param.get("name") != Some(&json!("limit")) || param.get("in") != Some(&json!("query")) {
        return;
    }
    let feed = param
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| d.contains("1–1000"));
    if let Some(schema) = param.get_mut("schema") {
        schema["minimum"] = json!(1);
        schema["maximum"] = json!(if feed {
            1000
        } else {
            crate::ops::page::MAX_LIMIT
        });
    }
}

fn idempotency_key(param: &mut Value) {
    if param.get("name") == Some(&json!("Idempotency-Key")) {
        param["schema"] = json!({
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": IDEMPOTENCY_KEY
        });
    }
}

/// States the server's input rules in `doc`.
pub fn state_bounds(doc: &mut Value) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(ops) = item.as_object_mut() else {
                continue;
            };
            for op in ops.values_mut() {
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                if let Some(body) = op.get_mut("requestBody") {
                    action_body(&id, body);
                }
                if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                    params.iter_mut().for_each(idempotency_key);
                    params.iter_mut().for_each(month_query);
                    params.iter_mut().for_each(page_limit);
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.insert(
            "Currency".into(),
            json!({
                "type": "string",
                "description": "A currency the desk trades in (ISO 4217).",
                "enum": crate::domain::reference::CURRENCIES
            }),
        );
        member_patterns(schemas);
        reason_body(schemas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reference::{is_code, is_country, is_hs_code};
    use crate::domain::user::is_username;
    use proptest::prelude::*;

    fn re(p: &str) -> regex::Regex {
        regex::Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    proptest! {
        // Each pattern accepts exactly what the server's rule accepts.
        #[test]
        fn code_pattern_is_the_server_rule(s in "[A-Za-z0-9._ -]{0,42}") {
            prop_assert_eq!(re(CODE).is_match(&s), is_code(&s));
        }

        #[test]
        fn country_pattern_is_the_server_rule(s in "[A-Za-z0-9]{0,3}") {
            prop_assert_eq!(re(COUNTRY).is_match(&s), is_country(&s));
        }

        #[test]
        fn username_pattern_is_the_server_rule(s in "[a-zA-Z0-9._ -]{0,66}") {
            prop_assert_eq!(re(USERNAME).is_match(&s), is_username(&s));
        }

        #[test]
        fn hs_code_pattern_is_the_server_rule(s in "[0-9.a]{0,14}") {
            prop_assert_eq!(re(HS_CODE).is_match(&s), is_hs_code(&s));
        }

        #[test]
        fn positive_prices_match_the_pattern(units in 1i64..=10_000_000_000) {
            let price = rust_decimal::Decimal::new(units, 4);
            prop_assert!(re(POSITIVE_PRICE).is_match(&price.to_string()), "{}", price);
        }

        #[test]
        fn idempotency_keys_match_what_the_middleware_takes(s in "[ -~]{1,20}") {
            let taken = !s.trim().is_empty() && s.trim() == s;
            prop_assert_eq!(re(IDEMPOTENCY_KEY).is_match(&s), taken);
        }
    }

    #[test]
    fn zero_and_negative_prices_do_not_match() {
        for p in ["0", "0.0000", "-1", "-0.5", "1000000.0001", "1234567"] {
            assert!(!re(POSITIVE_PRICE).is_match(p), "{p}");
        }
        for p in ["0.0001", "61.25", "1000000", "0.5", "0.10", "999999.9999"] {
            assert!(re(POSITIVE_PRICE).is_match(p), "{p}");
        }
    }

    /// Every page size in the document states the range the server checks.
    #[test]
    fn every_limit_states_its_range() {
        let doc = crate::openapi::document();
        let mut seen = 0;
        for item in doc["paths"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.values())
        {
            for op in item.as_object().into_iter().flat_map(|o| o.values()) {
                for param in op["parameters"].as_array().into_iter().flatten() {
                    if param["name"] == "limit" {
                        seen += 1;
                        assert_eq!(param["schema"]["minimum"], 1, "{param}");
                        let max = param["schema"]["maximum"].as_i64().unwrap_or(0);
                        assert!(max == 500 || max == 1000, "{param}");
                    }
                }
            }
        }
        assert!(seen > 10);
        assert!(crate::ops::page::PageRequest::parse(Some(500), None).is_ok());
        assert!(crate::ops::page::PageRequest::parse(Some(501), None).is_err());
    }
}
