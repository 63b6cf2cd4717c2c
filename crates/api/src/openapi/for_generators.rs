//! The finishing pass that makes the generated document one that client generators take as it
//! is (openapi-python-client, openapi-typescript), applied to the document utoipa builds from
//! the route registrations:
//!
//! - an optional body is the body's `$ref` with `required: false`, not `oneOf [$ref, null]`;
//! - header and query parameters are plain strings, never `["string", "null"]`;
//! - a free-form object says `additionalProperties: true`;
//! - a page's items are the item schema by `$ref`, so generated clients share one class;
//! - every created resource answers with `Location` and `ETag`, every versioned one with `ETag`;
//! - the ATP refusal's members are typed, on `AtpRefusalProblem`;
//! - every operation has a description, and the document names its server and licence;
//! - public operations (login, health) say `security: []`, which generators read as public;
//! - the feed's `Event` is a `oneOf` with a discriminator on `type` (see `events`);
//! - the server's input rules are stated (see `bounds`), and creations link to what acts on
//!   what they created (see `links`).

use serde_json::{json, Map, Value};

/// Operations whose 409 may be the ATP refusal.
use super::bounds::ATP_GATED;

pub fn finish(doc: &mut Value) {
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        if let Some(licence) = info.get_mut("license").and_then(Value::as_object_mut) {
            licence.insert("identifier".into(), json!("Apache-2.0"));
        }
    }
    doc["servers"] = json!([{"url": "/", "description": "The server that serves this document"}]);
    add_atp_refusal(doc);
    let versioned = versioned_schemas(doc);
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(ops) = item.as_object_mut() else {
                continue;
            };
            for op in ops.values_mut() {
                finish_operation(op, &versioned);
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        pages_by_ref(schemas);
        for schema in schemas.values_mut() {
            open_free_form_objects(schema);
        }
        super::events::document_events(schemas);
    }
    super::imports::document_imports(doc);
    super::headers::state_headers(doc);
    super::bounds::state_bounds(doc);
    super::links::add_links(doc);
}

/// Schemas with a `version` member: their answers carry `ETag`.
fn versioned_schemas(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .filter(|(_, s)| s.pointer("/properties/version").is_some())
                .map(|(name, _)| format!("#/components/schemas/{name}"))
                .collect()
        })
        .unwrap_or_default()
}

fn finish_operation(op: &mut Value, versioned: &[String]) {
    let Some(op) = op.as_object_mut() else { return };
    // utoipa writes "no credentials" as `[{}]`; generators read only `[]` as public.
    if op.get("security") == Some(&json!([{}])) {
        op.insert("security".into(), json!([]));
    }
    if op
        .get("description")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        if let Some(summary) = op.get("summary").cloned() {
            op.insert("description".into(), summary);
        }
    }
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in params {
            if let Some(schema) = p.get_mut("schema") {
                drop_null_type(schema);
            }
        }
    }
    if let Some(body) = op.get_mut("requestBody").and_then(Value::as_object_mut) {
        let mut optional = false;
        if let Some(content) = body.get_mut("content").and_then(Value::as_object_mut) {
            for media in content.values_mut() {
                if let Some(schema) = media.get_mut("schema") {
                    optional |= unwrap_optional(schema);
                }
            }
        }
        if optional {
            body.insert("required".into(), json!(false));
        }
    }
    let gated = op
        .get("operationId")
        .and_then(Value::as_str)
        .is_some_and(|id| ATP_GATED.contains(&id));
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (status, response) in responses.iter_mut() {
            response_headers(status, response, versioned);
            if gated && status == "409" {
                if let Some(schema) =
                    response.pointer_mut("/content/application~1problem+json/schema")
                {
                    // anyOf: every refusal is also a Problem; clients try them in order.
                    *schema = json!({"anyOf": [
                        {"$ref": "#/components/schemas/AtpRefusalProblem"},
                        {"$ref": "#/components/schemas/StateConflictProblem"},
                        {"$ref": "#/components/schemas/Problem"}
                    ]});
                }
            }
        }
    }
}

/// `oneOf [X, {type: null}]` → `X`; true when it was such an optional.
fn unwrap_optional(schema: &mut Value) -> bool {
    let Some(one_of) = schema.get("oneOf").and_then(Value::as_array) else {
        return false;
    };
    if one_of.len() != 2 {
        return false;
    }
    let is_null = |s: &Value| s.get("type") == Some(&json!("null"));
    let Some(inner) = one_of.iter().find(|s| !is_null(s)).cloned() else {
        return false;
    };
    if !one_of.iter().any(is_null) {
        return false;
    }
    *schema = inner;
    true
}

/// `type: ["string", "null"]` → `type: "string"`.
fn drop_null_type(schema: &mut Value) {
    if let Some(types) = schema.get("type").and_then(Value::as_array) {
        let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if rest.len() == 1 {
            schema["type"] = rest[0].clone();
        }
    }
}

fn header(description: &str) -> Value {
    json!({"description": description, "schema": {"type": "string"}})
}

fn response_headers(status: &str, response: &mut Value, versioned: &[String]) {
    let carries_version = response
        .pointer("/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
        .is_some_and(|r| versioned.iter().any(|v| v == r));
    let mut added = Map::new();
    if status == "201" {
        added.insert(
            "Location".into(),
            header("The address of the created resource"),
        );
    }
    if carries_version && (status == "200" || status == "201") {
        added.insert(
            "ETag".into(),
            header("The resource's version, `\"<version>\"`; send it back as `If-Match`"),
        );
    }
    if added.is_empty() {
        return;
    }
    if let Some(headers) = response
        .as_object_mut()
        .map(|r| r.entry("headers").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    {
        headers.extend(added);
    }
}

/// `Page_X.items` inlines `X`: point it at the component instead.
fn pages_by_ref(schemas: &mut Map<String, Value>) {
    let names: Vec<String> = schemas.keys().cloned().collect();
    for name in &names {
        let Some(item) = name.strip_prefix("Page_") else {
            continue;
        };
        if !schemas.contains_key(item) {
            continue;
        }
        if let Some(items) = schemas
            .get_mut(name)
            .and_then(|s| s.pointer_mut("/properties/items/items"))
        {
            *items = json!({"$ref": format!("#/components/schemas/{item}")});
        }
    }
}

/// `{type: object}` without members → `additionalProperties: true`, everywhere inside.
fn open_free_form_objects(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let free_form = map.get("type") == Some(&json!("object"))
                && !map.contains_key("properties")
                && !map.contains_key("additionalProperties")
                && !map.contains_key("allOf")
                && !map.contains_key("oneOf")
                && !map.contains_key("anyOf");
            let nullable_free_form = map.get("type") == Some(&json!(["object", "null"]))
                && !map.contains_key("properties")
                && !map.contains_key("additionalProperties");
            if free_form || nullable_free_form {
                map.insert("additionalProperties".into(), json!(true));
            }
            for v in map.values_mut() {
                open_free_form_objects(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(open_free_form_objects),
        _ => {}
    }
}

/// `AtpRefusalProblem`: the problem document of `urn:ndpr:problem:insufficient-atp`, with its
/// members typed (absent on other conflicts).
fn add_atp_refusal(doc: &mut Value) {
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.insert(
            "AtpRefusalProblem".into(),
            json!({
                "description": "The ATP check refused (`type` `urn:ndpr:problem:insufficient-atp`): the commitment would create or deepen a shortfall, and the members say by how much. For a one-month commitment (an order), `first_fit_period` is the first later month, within 24, whose ATP covers the quantity, and `first_fit_available_kg` its ATP; both null when none does.",
                "allOf": [
                    {"$ref": "#/components/schemas/Problem"},
                    {
                        "type": "object",
                        "required": ["product_id", "period", "requested_kg", "available_kg", "first_short_period", "first_fit_period", "first_fit_available_kg"],
                        "properties": {
                            "product_id": {"type": "string", "format": "uuid"},
                            "period": {"$ref": "#/components/schemas/Period"},
                            "requested_kg": {"$ref": "#/components/schemas/KgAmount"},
                            "available_kg": {"$ref": "#/components/schemas/KgAmount"},
                            "first_short_period": {"$ref": "#/components/schemas/Period"},
                            "first_fit_period": {"oneOf": [{"$ref": "#/components/schemas/Period"}, {"type": "null"}]},
                            "first_fit_available_kg": {"oneOf": [{"$ref": "#/components/schemas/KgAmount"}, {"type": "null"}]}
                        }
                    }
                ]
            }),
        );
        schemas.insert(
            "StateConflictProblem".into(),
            json!({
                "description": "The resource's lifecycle state does not allow the action (`type` `urn:ndpr:problem:invalid-state`): a confirmed order cannot be confirmed again, only a planned shipment ships. `current_status` is the resource's status, `action` the refused one.",
                "allOf": [
                    {"$ref": "#/components/schemas/Problem"},
                    {
                        "type": "object",
                        "required": ["current_status", "action"],
                        "properties": {
                            "current_status": {"type": "string", "example": "confirmed"},
                            "action": {"type": "string", "example": "confirm"}
                        }
                    }
                ]
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_bodies_become_refs_that_are_not_required() {
        let mut op = json!({"requestBody": {"content": {"application/json": {"schema":
            {"oneOf": [{"$ref": "#/components/schemas/ActionRequest"}, {"type": "null"}]}}}}});
        finish_operation(&mut op, &[]);
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/ActionRequest"})
        );
        assert_eq!(op["requestBody"]["required"], json!(false));
    }

    #[test]
    fn headers_are_strings_and_answers_carry_etag_and_location() {
        let mut op = json!({
            "summary": "Create",
            "parameters": [{"name": "If-Match", "in": "header", "schema": {"type": ["string", "null"]}}],
            "responses": {"201": {"description": "Created", "content": {"application/json":
                {"schema": {"$ref": "#/components/schemas/Order"}}}}}
        });
        finish_operation(&mut op, &["#/components/schemas/Order".into()]);
        assert_eq!(op["parameters"][0]["schema"]["type"], "string");
        assert_eq!(op["description"], "Create");
        let headers = &op["responses"]["201"]["headers"];
        assert!(headers.get("Location").is_some() && headers.get("ETag").is_some());
    }

    #[test]
    fn free_form_objects_are_open_and_pages_refer_to_their_items() {
        let mut schemas = json!({
            "Customer": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Page_Customer": {"type": "object", "properties": {"items": {"type": "array",
                "items": {"type": "object", "properties": {"id": {"type": "string"}}}}}},
            "Event": {"type": "object", "properties": {"data": {"type": "object"}}}
        });
        let map = schemas.as_object_mut().unwrap_or_else(|| unreachable!());
        pages_by_ref(map);
        for s in map.values_mut() {
            open_free_form_objects(s);
        }
        assert_eq!(
            schemas["Page_Customer"]["properties"]["items"]["items"],
            json!({"$ref": "#/components/schemas/Customer"})
        );
        assert_eq!(
            schemas["Event"]["properties"]["data"]["additionalProperties"],
            json!(true)
        );
    }
}
