use serde_json::json;

use crate::common::TestApp;
use crate::on_both_backends;

on_both_backends!(admin_manages_users, user_validation_names_fields);

fn admin_manages_users(app: &TestApp) {
    let admin = app.admin();
    let created = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({"username": "akiko", "password": "correct horse battery", "role": "sales"}),
        )
        .expect(201);
    assert_eq!(created.body["role"], "sales");
    assert_eq!(created.body["active"], true);
    let id = created.body["id"].as_str().unwrap_or_default().to_string();
    app.post(
        "/api/v1/users",
        &admin,
        &json!({"username": "akiko", "password": "correct horse battery", "role": "sales"}),
    )
    .expect(409);

    let token = app.login("akiko", "correct horse battery").expect(200).body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    app.post(
        "/api/v1/products",
        &token,
        &json!({"code": "P", "name": "P", "form": "oxide"}),
    )
    .expect(403);
    // Promote to planner: the same token now may create products.
    let updated = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            &json!({"role": "planner"}),
        )
        .expect(200);
    assert_eq!(updated.body["version"], 2);
    assert_eq!(updated.header("etag"), Some("\"2\""));
    app.post(
        "/api/v1/products",
        &token,
        &json!({"code": "P", "name": "P", "form": "oxide"}),
    )
    .expect(201);

    let list = app.get("/api/v1/users", &admin).expect(200);
    let names: Vec<&str> = list.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|u| u["username"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["admin", "akiko"]);

    // Admins cannot lock themselves out.
    let me = app.get("/api/v1/me", &admin).expect(200);
    let my_id = me.body["id"].as_str().unwrap_or_default();
    app.post(
        &format!("/api/v1/users/{my_id}/deactivate"),
        &admin,
        &json!({}),
    )
    .expect(409);
    app.patch(
        &format!("/api/v1/users/{my_id}"),
        &admin,
        &json!({"role": "viewer"}),
    )
    .expect(409);

    // The changes are audited.
    let audit = app
        .get(
            &format!("/api/v1/audit?entity_type=user&entity_id={id}"),
            &admin,
        )
        .expect(200);
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, ["created", "updated"]);
}

fn user_validation_names_fields(app: &TestApp) {
    let admin = app.admin();
    let res = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({"username": "X", "password": "short", "role": "sales"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["username", "password"]);
    let res = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({"username": "bob", "password": "long-enough-password", "role": "root"}),
        )
        .expect(422);
    assert_eq!(res.error_fields(), ["role"]);
}
