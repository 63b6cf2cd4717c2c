use serde_json::json;

use crate::common::TestApp;
use crate::on_both_backends;

on_both_backends!(every_error_is_problem_json, health_and_metrics);

fn every_error_is_problem_json(app: &TestApp) {
    let t = app.admin();
    let problem = |r: &crate::common::Resp| {
        assert_eq!(
            r.header("content-type"),
            Some("application/problem+json"),
            "{}",
            r.text
        );
        assert!(r.body["type"].as_str().is_some() && r.body["detail"].as_str().is_some());
    };
    let r = app.get("/api/v1/nothing-here", &t).expect(404);
    problem(&r);
    let r = app
        .call("DELETE", "/api/v1/customers", Some(&t), None, &[])
        .expect(405);
    problem(&r);
    assert_eq!(r.header("allow"), Some("GET, POST"));
    let r = app
        .raw(
            "POST",
            "/api/v1/customers",
            Some(&t),
            "application/json",
            "{\"code\": ",
        )
        .expect(400);
    problem(&r);
    let r = app
        .raw("POST", "/api/v1/customers", Some(&t), "text/plain", "hello")
        .expect(415);
    problem(&r);
    let r = app
        .raw(
            "POST",
            "/api/v1/customers",
            Some(&t),
            "application/json",
            "",
        )
        .expect(400);
    problem(&r);
    let big = format!("{{\"code\": \"{}\"}}", "x".repeat(70 * 1024));
    let r = app
        .raw(
            "POST",
            "/api/v1/customers",
            Some(&t),
            "application/json",
            &big,
        )
        .expect(413);
    problem(&r);
    let r = app
        .raw(
            "POST",
            "/api/v1/customers",
            Some(&t),
            "application/json",
            "[1,2]",
        )
        .expect(422);
    problem(&r);
    let r = app.get("/api/v1/customers?limit=abc", &t).expect(422);
    problem(&r);
    // The error names the parameter where reading stopped, not a word picked from its text.
    assert_eq!(r.body["errors"][0]["field"], "limit", "{}", r.text);
    let r = app.get("/api/v1/orders?status=shipping", &t).expect(422);
    assert_eq!(r.body["errors"][0]["field"], "status", "{}", r.text);
    let r = app.get("/api/v1/customers?colour=red", &t).expect(422);
    problem(&r);
    assert_eq!(r.body["errors"][0]["field"], "colour", "{}", r.text);
    let r = app
        .call(
            "POST",
            "/api/v1/customers",
            Some(&t),
            Some(&json!({})),
            &[("Idempotency-Key", "")],
        )
        .expect(422);
    problem(&r);
}

fn health_and_metrics(app: &TestApp) {
    let live = app.call("GET", "/health/live", None, None, &[]).expect(200);
    assert_eq!(live.body["status"], "ok");
    app.call("GET", "/health/ready", None, None, &[])
        .expect(200);
    let t = app.admin();
    app.get("/api/v1/customers", &t).expect(200);
    let metrics = app.call("GET", "/metrics", None, None, &[]).expect(200);
    assert!(
        metrics.text.contains(
            "http_requests_total{method=\"GET\",route=\"/api/v1/customers\",status=\"200\"} 1"
        ),
        "{}",
        metrics.text
    );
    assert!(metrics
        .text
        .contains("http_request_duration_seconds_bucket"));
    assert!(metrics.text.contains("db_pool_connections{pool=\"read\"}"));
    let docs = app.call("GET", "/docs/", None, None, &[]).expect(200);
    assert!(docs.text.contains("swagger"), "Swagger UI is served");
}
