//! The headers that make retries and polling cheap, stated on every operation they apply to:
//! `Idempotency-Key` on every POST that changes something, with `Idempotent-Replayed` on its
//! answers; `Upsert-Outcome` on upserts; `If-None-Match` and its 304 on reads that carry an
//! ETag; and how `If-Match` may be written.

use serde_json::{json, Map, Value};

const IF_MATCH: &str = "The ETag as served (`\"3\"`) or the bare version (`3`). Refused with 412, \
whose detail shows the current ETag, unless the resource is at that version.";
const IF_NONE_MATCH: &str = "The ETag last read (`\"3\"`, or the bare version `3`): answered 304 \
with no body while the resource is still at that version.";
const IDEMPOTENCY_KEY: &str = "Any unique string (a UUID): a retry with the same key and the same \
request (members in any order) replays the first answer with `Idempotent-Replayed: true`; the \
same key with another request is 422, and while the first is still running, 409. Keys are per \
user and kept 24 hours.";

fn string_header(description: &str, values: Option<&[&str]>) -> Value {
    let mut schema = json!({"type": "string"});
    if let Some(values) = values {
        schema["enum"] = json!(values);
    }
    json!({"description": description, "schema": schema})
}

fn add_headers(response: &mut Value, added: &[(&str, Value)]) {
    if let Some(headers) = response
        .as_object_mut()
        .map(|r| r.entry("headers").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    {
        for (name, value) in added {
            headers
                .entry(name.to_string())
                .or_insert_with(|| value.clone());
        }
    }
}

fn ensure_param(op: &mut Map<String, Value>, name: &str, description: &str) {
    let params = op
        .entry("parameters")
        .or_insert_with(|| json!([]))
        .as_array_mut();
    let Some(params) = params else { return };
    match params.iter_mut().find(|p| p["name"] == name) {
        Some(p) => p["description"] = json!(description),
        None => params.push(json!({
            "name": name,
            "in": "header",
            "required": false,
            "description": description,
            "schema": {"type": "string"}
        })),
    }
}

/// States the headers on every operation of `doc`.
pub fn state_headers(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(ops) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in ops.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let has_if_match = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "If-Match"));
            if has_if_match {
                ensure_param(op, "If-Match", IF_MATCH);
            }
            let upsert = method == "put"
                && (path.contains("/by-ref/") || path.starts_with("/api/v1/fx-rates/"));
            let changes = method == "post" && path != "/api/v1/auth/token";
            if changes {
                ensure_param(op, "Idempotency-Key", IDEMPOTENCY_KEY);
            }
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            let mut etag_on_read = None;
            for (status, response) in responses.iter_mut() {
                let success = status.starts_with('2');
                if changes && success {
                    add_headers(
                        response,
                        &[(
                            "Idempotent-Replayed",
                            string_header(
                                "`true` when this is the stored answer to an earlier request \
                                 with the same Idempotency-Key; absent otherwise",
                                Some(&["true"]),
                            ),
                        )],
                    );
                }
                if upsert && success {
                    add_headers(
                        response,
                        &[(
                            "Upsert-Outcome",
                            string_header(
                                "What the upsert did; `unchanged` wrote nothing, not even a \
                                 version",
                                Some(&["created", "updated", "unchanged"]),
                            ),
                        )],
                    );
                }
                if method == "get" && status == "200" {
                    etag_on_read = response.pointer("/headers/ETag").cloned();
                }
            }
            if let Some(etag) = etag_on_read {
                responses.insert(
                    "304".into(),
                    json!({
                        "description": "Not modified: still at the ETag named in If-None-Match",
                        "headers": {"ETag": etag}
                    }),
                );
                ensure_param(op, "If-None-Match", IF_NONE_MATCH);
            }
        }
    }
}
