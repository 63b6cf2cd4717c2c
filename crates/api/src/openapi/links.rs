//! OpenAPI links from each creation to the operations on what it created, so a client (or a
//! stateful fuzzer such as schemathesis) can follow a resource's life: create, read, change,
//! act on it, with the id the creation answered.

use serde_json::{json, Map, Value};

/// Where the new resource's id is in a creation's answer.
fn id_pointer(created: &Value) -> &'static str {
    let schema = created
        .pointer("/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if schema.ends_with("/WebhookWithSecret") {
        "/webhook/id"
    } else {
        "/id"
    }
}

/// `POST /things` answering 201 links to every operation under `/things/{id}` that takes no
/// other path parameter.
pub fn add_links(doc: &mut Value) {
    let Some(paths) = doc.get("paths").and_then(Value::as_object).cloned() else {
        return;
    };
    let mut added: Vec<(String, Map<String, Value>)> = Vec::new();
    for (path, item) in &paths {
        if path.contains('{') {
            continue;
        }
        let Some(created) = item.pointer("/post/responses/201") else {
            continue;
        };
        let prefix = format!("{path}/{{id}}");
        let pointer = id_pointer(created);
        let mut links = Map::new();
        for (target, ops) in &paths {
            let below = target == &prefix || target.starts_with(&format!("{prefix}/"));
            if !below || target.matches('{').count() != 1 {
                continue;
            }
            for op in ops.as_object().into_iter().flat_map(|o| o.values()) {
                let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                links.insert(
                    id.to_string(),
                    json!({
                        "operationId": id,
                        "parameters": {"id": format!("$response.body#{pointer}")},
                        "description": "The resource this call created."
                    }),
                );
            }
        }
        if !links.is_empty() {
            added.push((path.clone(), links));
        }
    }
    for (path, links) in added {
        if let Some(created) = doc
            .get_mut("paths")
            .and_then(|p| p.get_mut(&path))
            .and_then(|i| i.pointer_mut("/post/responses/201"))
        {
            created["links"] = Value::Object(links);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_creation_links_to_what_acts_on_its_resource() {
        let mut doc = json!({"paths": {
            "/api/v1/things": {"post": {"responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
            "/api/v1/things/{id}": {"get": {"operationId": "get_thing"}},
            "/api/v1/things/{id}/archive": {"post": {"operationId": "archive_thing"}},
            "/api/v1/things/{id}/parts/{part}": {"get": {"operationId": "get_part"}},
            "/api/v1/thingsmith/{id}": {"get": {"operationId": "unrelated"}}
        }});
        add_links(&mut doc);
        let links = &doc["paths"]["/api/v1/things"]["post"]["responses"]["201"]["links"];
        assert_eq!(links["get_thing"]["parameters"]["id"], "$response.body#/id");
        assert!(links["archive_thing"].is_object());
        assert!(links.get("get_part").is_none());
        assert!(links.get("unrelated").is_none());
    }
}
