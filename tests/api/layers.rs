//! The layers, checked the way a reviewer would read them: the desk is an adapter over the
//! operations, so its source has no SQL, no database calls, no catch-all error arm, no role
//! rule of its own and no status compared as text; the domain has no database or HTTP crate
//! to reach for. A change that breaks one of these fails here, naming the line.

use std::path::Path;

fn sources(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.push((path.display().to_string(), text));
            }
        }
    }
    out
}

/// Words a status takes, which the desk compares only as enums.
const STATUS_WORDS: [&str; 16] = [
    "draft",
    "submitted",
    "confirmed",
    "partially_shipped",
    "shipped",
    "delivered",
    "cancelled",
    "rejected",
    "active",
    "suspended",
    "completed",
    "terminated",
    "approved",
    "superseded",
    "planned",
    "revoked",
];

fn compares_a_status_as_text(line: &str) -> bool {
    let compares = line.contains("==") || line.contains("!=") || line.contains("matches!(");
    compares
        && STATUS_WORDS
            .iter()
            .any(|w| line.contains(&format!("\"{w}\"")))
}

#[test]
fn the_desk_is_an_adapter_over_the_operations() {
    let mut found = Vec::new();
    for (file, text) in sources("crates/desk/src") {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let why = if code.contains("diesel::") {
                "uses diesel"
            } else if code.contains("db::") {
                "calls the database layer"
            } else if code.contains("Err(_)") {
                "has a catch-all error arm"
            } else if code.contains("role.allows") || code.contains("Permission::") {
                "decides a role rule itself"
            } else if compares_a_status_as_text(code) {
                "compares a status as text"
            } else {
                continue;
            };
            found.push(format!("{file}:{}: {why}: {}", n + 1, line.trim()));
        }
    }
    assert!(found.is_empty(), "\n{}", found.join("\n"));
}

#[test]
fn each_layer_depends_only_on_the_layers_below() {
    let manifest = |crate_dir: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(crate_dir)
                .join("Cargo.toml"),
        )
        .unwrap_or_default()
    };
    let deps = |text: &str| -> Vec<String> {
        text.split("[dependencies]")
            .nth(1)
            .unwrap_or_default()
            .split("\n[")
            .next()
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split(['.', ' ', '=']).next())
            .filter(|n| !n.is_empty() && !n.starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    let domain = deps(&manifest("crates/domain"));
    for forbidden in [
        "diesel",
        "actix-web",
        "ndpr-db",
        "ndpr-ops",
        "ndpr-api",
        "ndpr-desk",
    ] {
        assert!(
            !domain.iter().any(|d| d == forbidden),
            "the domain depends on {forbidden}"
        );
    }
    let db = deps(&manifest("crates/db"));
    for forbidden in ["actix-web", "ndpr-ops", "ndpr-api", "ndpr-desk"] {
        assert!(
            !db.iter().any(|d| d == forbidden),
            "db depends on {forbidden}"
        );
    }
    let desk = deps(&manifest("crates/desk"));
    for forbidden in ["diesel", "diesel_migrations", "ndpr-db"] {
        assert!(
            !desk.iter().any(|d| d == forbidden),
            "the desk depends on {forbidden}"
        );
    }
    assert!(desk.iter().any(|d| d == "ndpr-api"), "{desk:?}");
}

#[test]
fn the_status_check_recognises_a_comparison() {
    assert!(compares_a_status_as_text(
        r#"let open = matches!(order.status.as_str(), "draft" | "submitted");"#
    ));
    assert!(compares_a_status_as_text(
        r#"if view::text(&plan.status) == "draft" {"#
    ));
    assert!(!compares_a_status_as_text(
        r#"let draft = plan.status == PlanStatus::Draft;"#
    ));
}
