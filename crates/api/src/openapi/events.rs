//! The change feed's `Event` as generators need it: one component per entity's events (and per
//! action whose data has its own shape), joined in a `oneOf` with a discriminator on `type`, so a
//! generated client knows what `data` holds for each event type.

use serde_json::{json, Map, Value};

use crate::domain::feed::EVENT_FAMILIES;

/// A schema name from an event type's parts: `order` → `OrderEvent`,
/// (`production_plan`, `approved`) → `ProductionPlanApprovedEvent`.
fn component(parts: &[&str]) -> String {
    let mut name: String = parts
        .iter()
        .flat_map(|p| p.split('_'))
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    name.push_str("Event");
    name
}

fn event_schema(base: &Value, entity: &str, types: Vec<String>, data: &str) -> Value {
    let mut schema = base.clone();
    schema["properties"]["type"] = json!({"type": "string", "enum": types});
    schema["properties"]["entity_type"] = json!({"type": "string", "enum": [entity]});
    schema["properties"]["data"] = json!({
        "$ref": format!("#/components/schemas/{data}"),
        "description": "The entity after the change (before it, for a deletion); a reason or an ATP override given with the change is added as `reason` and `atp_override`."
    });
    schema
}

/// Replaces the free-form `Event` with the `oneOf` of every event family.
pub fn document_events(schemas: &mut Map<String, Value>) {
    let Some(base) = schemas.get("Event").cloned() else {
        return;
    };
    schemas.insert(
        "QuotesUpserted".into(),
        json!({
            "type": "object",
            "description": "Quotes of one price index stored or replaced by one request or one import: the dates whose price changed and the counts. A batch or import that changed nothing writes no event.",
            "required": ["index_id", "from", "to", "dates", "inserted", "updated", "unchanged"],
            "properties": {
                "index_id": {"type": "string", "format": "uuid"},
                "dates": {"type": "array", "items": {"type": "string", "format": "date"}},
                "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
                "inserted": {"type": "integer", "minimum": 0},
                "updated": {"type": "integer", "minimum": 0},
                "unchanged": {"type": "integer", "minimum": 0}
            }
        }),
    );
    schemas.insert(
        "FxRatesUpserted".into(),
        json!({
            "type": "object",
            "description": "Fixings of one currency pair stored or replaced by one request or one import: the dates that changed and the counts. Fixings already as given write no event.",
            "required": ["base", "quote", "from", "to", "dates", "inserted", "updated", "unchanged"],
            "properties": {
                "dates": {"type": "array", "items": {"type": "string", "format": "date"}},
                "base": {"type": "string"},
                "quote": {"type": "string"},
                "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
                "inserted": {"type": "integer", "minimum": 0},
                "updated": {"type": "integer", "minimum": 0},
                "unchanged": {"type": "integer", "minimum": 0}
            }
        }),
    );
    schemas.insert(
        "PlanApproved".into(),
        json!({
            "type": "object",
            "description": "An approved plan with what its approval changed.",
            "required": ["plan", "impact"],
            "properties": {
                "plan": {"$ref": "#/components/schemas/ProductionPlan"},
                "impact": {"$ref": "#/components/schemas/PlanImpact"},
                "reason": {"type": "string"}
            }
        }),
    );
    let mut one_of = Vec::new();
    let mut mapping = Map::new();
    for family in EVENT_FAMILIES {
        let mut add = |name: String, types: Vec<String>, data: &str| {
            let reference = format!("#/components/schemas/{name}");
            for t in &types {
                mapping.insert(t.clone(), json!(reference));
            }
            schemas.insert(name, event_schema(&base, family.entity, types, data));
            one_of.push(json!({"$ref": reference}));
        };
        let types: Vec<String> = family
            .actions
            .iter()
            .map(|a| format!("{}.{a}", family.entity))
            .collect();
        if !types.is_empty() {
            add(component(&[family.entity]), types, family.data);
        }
        for (action, data) in family.special {
            add(
                component(&[family.entity, action]),
                vec![format!("{}.{action}", family.entity)],
                data,
            );
        }
    }
    schemas.insert(
        "Event".into(),
        json!({
            "description": "One change in the feed. `type` (`<entity_type>.<action>`) tells which schema `data` has.",
            "oneOf": one_of,
            "discriminator": {"propertyName": "type", "mapping": mapping}
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_names() {
        assert_eq!(component(&["order"]), "OrderEvent");
        assert_eq!(
            component(&["production_plan", "approved"]),
            "ProductionPlanApprovedEvent"
        );
    }
}
