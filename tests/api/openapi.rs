use crate::common::{Backend, TestApp};

/// The committed contract is exactly what the server serves.
#[test]
fn committed_openapi_matches_served() {
    let app = TestApp::start(Backend::Sqlite).unwrap_or_else(|| unreachable!());
    let served = app
        .call("GET", "/api-docs/openapi.json", None, None, &[])
        .expect(200)
        .body;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed: serde_json::Value = std::fs::read_to_string(path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    assert!(
        served == committed,
        "openapi/openapi.json differs from what the server serves; regenerate it with\n  \
         cargo run -- openapi > openapi/openapi.json"
    );
}

/// Every operation is documented for a client generator: id, tag, summary, error answers.
#[test]
fn every_operation_is_documented() {
    let doc = ndpr_contracts::openapi::document();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    assert!(paths.len() >= 15);
    for (path, item) in paths {
        for (method, op) in item.as_object().cloned().unwrap_or_default() {
            let what = format!("{method} {path}");
            assert!(
                op["operationId"].as_str().is_some_and(|s| !s.is_empty()),
                "{what}: operationId"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{what}: tag"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{what}: summary"
            );
            let responses = op["responses"].as_object().cloned().unwrap_or_default();
            if path.starts_with("/api/v1") {
                assert!(
                    responses.contains_key("401") || path == "/api/v1/auth/token",
                    "{what}: 401"
                );
                assert!(responses.contains_key("422"), "{what}: 422");
            }
        }
    }
}

/// What client generators need, checked on the document the server serves: optional bodies as
/// a `$ref` that is not required, string headers, open free-form objects, page items by `$ref`,
/// `Location` and `ETag` documented, the ATP refusal typed, a server, a licence identifier and
/// a description on every operation.
#[test]
fn the_document_is_finished_for_generators() {
    let doc = ndpr_contracts::openapi::document();
    assert_eq!(doc["servers"][0]["url"], "/");
    // Login and health are public, in the form generators read as public.
    assert_eq!(
        doc["paths"]["/api/v1/auth/token"]["post"]["security"],
        serde_json::json!([])
    );
    // The feed's events are typed per event type.
    assert!(
        doc["components"]["schemas"]["Event"]["discriminator"]["mapping"]["order.confirmed"]
            .is_string()
    );
    assert_eq!(doc["info"]["license"]["identifier"], "Apache-2.0");
    for (path, item) in doc["paths"].as_object().cloned().unwrap_or_default() {
        for (method, op) in item.as_object().cloned().unwrap_or_default() {
            let what = format!("{method} {path}");
            assert!(
                op["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{what}: description"
            );
            for p in op["parameters"].as_array().cloned().unwrap_or_default() {
                assert!(
                    !p["schema"]["type"].is_array(),
                    "{what}: parameter {} is nullable",
                    p["name"]
                );
            }
            if let Some(schema) =
                op["requestBody"]["content"]["application/json"]["schema"].as_object()
            {
                assert!(!schema.contains_key("oneOf"), "{what}: body is a oneOf");
            }
            if let Some(created) = op["responses"]["201"].as_object() {
                assert!(
                    created["headers"]["Location"].is_object(),
                    "{what}: Location"
                );
            }
        }
    }
    let confirm = &doc["paths"]["/api/v1/orders/{id}/confirm"]["post"];
    assert_eq!(confirm["requestBody"]["required"], false);
    assert_eq!(
        confirm["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ActionRequest"
    );
    assert_eq!(
        confirm["responses"]["409"]["content"]["application/problem+json"]["schema"]["anyOf"],
        serde_json::json!([
            {"$ref": "#/components/schemas/AtpRefusalProblem"},
            {"$ref": "#/components/schemas/StateConflictProblem"},
            {"$ref": "#/components/schemas/Problem"}
        ])
    );
    // Retries and polling are stated where they apply.
    let idem = confirm["parameters"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"));
    assert!(idem, "confirm declares Idempotency-Key");
    assert!(confirm["responses"]["200"]["headers"]["Idempotent-Replayed"].is_object());
    let read = &doc["paths"]["/api/v1/customers/{id}"]["get"];
    assert!(read["responses"]["304"].is_object());
    assert!(read["parameters"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["name"] == "If-None-Match")));
    let upsert = &doc["paths"]["/api/v1/customers/by-ref/{external_ref}"]["put"];
    assert!(upsert["responses"]["200"]["headers"]["Upsert-Outcome"].is_object());
    for kind in ["Customer", "Product", "Order", "PriceQuote", "FxRate"] {
        assert!(
            doc["components"]["schemas"][format!("{kind}CsvRow")].is_object(),
            "{kind}"
        );
        assert!(
            doc["components"]["schemas"][format!("{kind}ImportRow")].is_object(),
            "{kind}"
        );
    }
    // Every POST that changes something declares Idempotency-Key.
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        if let Some(post) = item.get("post") {
            let declared = post["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"));
            assert!(declared || path == "/api/v1/auth/token", "{path}");
        }
    }
    assert!(confirm["responses"]["200"]["headers"]["ETag"].is_object());
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Page_Customer"]["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/Customer"
    );
    assert!(schemas["AtpRefusalProblem"]["allOf"][1]["properties"]["available_kg"].is_object());
    assert_eq!(schemas["Problem"]["allOf"][0]["additionalProperties"], true);
}
