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
    let doc = serde_json::to_value(ndpr_contracts::openapi::document()).unwrap_or_default();
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
