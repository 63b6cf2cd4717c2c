//! Histories as spreadsheets: a contract's amendments and a page of the audit trail, the same
//! documents from the API's `.csv` twins and the desk's download links.

use crate::contracts::AmendmentList;
use crate::domain::contract::ScheduleLine;
use crate::feed::AuditPage;
use crate::report::{kg, Csv};

/// A schedule in one cell: `2027-01 1000.000; 2027-02 1500.000` (month, kg).
fn schedule(lines: &[ScheduleLine]) -> String {
    lines
        .iter()
        .map(|l| format!("{} {}", l.period, kg(l.quantity_kg)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A JSON document in one cell, compact; empty when absent.
fn json(v: &Option<serde_json::Value>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

impl AmendmentList {
    pub fn csv(&self) -> Csv {
        Csv::new(
            "amendments.csv",
            &[
                "id",
                "contract_id",
                "at",
                "actor",
                "reason",
                "old_schedule",
                "new_schedule",
                "atp_override",
            ],
            self.items.iter().map(|a| {
                vec![
                    a.id.to_string(),
                    a.contract_id.to_string(),
                    a.at.to_rfc3339(),
                    a.actor.clone(),
                    a.reason.clone(),
                    schedule(&a.old_schedule),
                    schedule(&a.new_schedule),
                    a.atp_override.to_string(),
                ]
            }),
        )
    }
}

impl AuditPage {
    pub fn csv(&self) -> Csv {
        Csv::new(
            "audit.csv",
            &[
                "seq",
                "at",
                "actor",
                "action",
                "entity_type",
                "entity_id",
                "request_id",
                "before",
                "after",
            ],
            self.items.iter().map(|e| {
                vec![
                    e.seq.to_string(),
                    e.at.to_rfc3339(),
                    e.actor.clone(),
                    e.action.clone(),
                    e.entity_type.clone(),
                    e.entity_id.clone(),
                    e.request_id.clone().unwrap_or_default(),
                    json(&e.before),
                    json(&e.after),
                ]
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::feed::AuditEntry;

    #[test]
    fn an_audit_entry_keeps_its_documents_in_one_cell_each() {
        let page = AuditPage {
            items: vec![AuditEntry {
                seq: 7,
                actor: "akiko".into(),
                action: "updated".into(),
                entity_type: "customer".into(),
                entity_id: "c-1".into(),
                before: Some(serde_json::json!({"name": "A, Ltd"})),
                after: None,
                request_id: None,
                at: chrono::DateTime::from_timestamp(0, 0).unwrap_or_default(),
            }],
            next_cursor: None,
        };
        let body = page.csv().body;
        let mut lines = body.split("\r\n");
        assert_eq!(
            lines.next(),
            Some("seq,at,actor,action,entity_type,entity_id,request_id,before,after")
        );
        assert_eq!(
            lines.next(),
            Some("7,1970-01-01T00:00:00+00:00,akiko,updated,customer,c-1,,\"{\"\"name\"\":\"\"A, Ltd\"\"}\",")
        );
    }
}
