use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::json;

use crate::common::{TestApp, ADMIN_PASSWORD, SECRET};
use crate::on_both_backends;

on_both_backends!(
    first_start_creates_admin_and_logs_in,
    wrong_password_is_401_and_repeated_failures_lock,
    every_bad_token_is_401,
    roles_are_enforced_with_403,
    deactivated_users_lose_access_at_once,
);

fn first_start_creates_admin_and_logs_in(app: &TestApp) {
    let res = app.login("admin", ADMIN_PASSWORD).expect(200);
    assert_eq!(res.body["token_type"], "Bearer");
    assert_eq!(res.body["expires_in"], 3600);
    let token = res.body["access_token"].as_str().unwrap_or_default();
    let me = app.get("/api/v1/me", token).expect(200);
    assert_eq!(me.body["username"], "admin");
    assert_eq!(me.body["role"], "admin");
    assert!(me.body.get("password_hash").is_none());
}

fn wrong_password_is_401_and_repeated_failures_lock(app: &TestApp) {
    let res = app.login("admin", "wrong-password").expect(401);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.body["status"], 401);
    app.login("nobody", "whatever").expect(401);
    for _ in 0..4 {
        app.login("admin", "wrong-password").expect(401);
    }
    // Five failures in a row: locked, even with the right password.
    let locked = app.login("admin", ADMIN_PASSWORD).expect(429);
    assert!(locked.header("retry-after").is_some());
    assert!(locked.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("try again"));
}

fn forge(claims: serde_json::Value, secret: &str) -> String {
    encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_default()
}

fn every_bad_token_is_401(app: &TestApp) {
    let good = app.admin();
    let me = app.get("/api/v1/me", &good).expect(200);
    let sub = me.body["id"].as_str().unwrap_or_default().to_string();
    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64, iss: &str, aud: &str| json!({"sub": sub, "name": "admin", "role": "admin", "iat": now, "exp": exp, "iss": iss, "aud": aud});
    let valid_forged = forge(
        claims(now + 600, "ndpr-contracts", "ndpr-contracts-api"),
        SECRET,
    );
    app.get("/api/v1/me", &valid_forged).expect(200);

    // Missing.
    let res = app.call("GET", "/api/v1/me", None, None, &[]).expect(401);
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    // Malformed header and token.
    app.call(
        "GET",
        "/api/v1/me",
        None,
        None,
        &[("Authorization", "Basic abc")],
    )
    .expect(401);
    app.get("/api/v1/me", "not-a-jwt").expect(401);
    // Tampered payload.
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    parts[1] = forge(
        claims(now + 600, "ndpr-contracts", "ndpr-contracts-api"),
        "x",
    )
    .split('.')
    .nth(1)
    .unwrap_or("")
    .to_string();
    parts[1].push('A');
    app.get("/api/v1/me", &parts.join(".")).expect(401);
    // Wrong key.
    app.get(
        "/api/v1/me",
        &forge(
            claims(now + 600, "ndpr-contracts", "ndpr-contracts-api"),
            "another-secret-another-secret-another",
        ),
    )
    .expect(401);
    // Expired.
    let res = app
        .get(
            "/api/v1/me",
            &forge(
                claims(now - 600, "ndpr-contracts", "ndpr-contracts-api"),
                SECRET,
            ),
        )
        .expect(401);
    assert!(res.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("expired"));
    // Wrong issuer, wrong audience.
    app.get(
        "/api/v1/me",
        &forge(
            claims(now + 600, "someone-else", "ndpr-contracts-api"),
            SECRET,
        ),
    )
    .expect(401);
    app.get(
        "/api/v1/me",
        &forge(claims(now + 600, "ndpr-contracts", "other-api"), SECRET),
    )
    .expect(401);
    // alg: none.
    use base64::Engine;
    let b64 = |v: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims(now + 600, "ndpr-contracts", "ndpr-contracts-api"))
    );
    app.get("/api/v1/me", &none).expect(401);
    // A token for a user that does not exist.
    let ghost = json!({"sub": uuid::Uuid::new_v4().to_string(), "name": "ghost", "role": "admin", "iat": now, "exp": now + 600, "iss": "ndpr-contracts", "aud": "ndpr-contracts-api"});
    app.get("/api/v1/me", &forge(ghost, SECRET)).expect(401);
}

fn roles_are_enforced_with_403(app: &TestApp) {
    let viewer = app.token_for("viewer");
    let sales = app.token_for("sales");
    let planner = app.token_for("planner");
    let integration = app.token_for("integration");
    let customer = json!({"code": "C-1", "name": "Buyer", "country": "DE"});
    let product = json!({"code": "P-1", "name": "NdPr oxide", "form": "oxide"});
    let index = json!({"code": "I-1", "name": "Index", "currency": "USD"});

    // Everyone reads.
    for t in [&viewer, &sales, &planner, &integration] {
        app.get("/api/v1/customers", t).expect(200);
        app.get("/api/v1/events", t).expect(200);
    }
    // Customers: sales, integration, admin.
    app.post("/api/v1/customers", &viewer, &customer)
        .expect(403);
    app.post("/api/v1/customers", &planner, &customer)
        .expect(403);
    app.post("/api/v1/customers", &sales, &customer).expect(201);
    app.post(
        "/api/v1/customers",
        &integration,
        &json!({"code": "C-2", "name": "B", "country": "DE"}),
    )
    .expect(201);
    // Products: planner, integration, admin.
    app.post("/api/v1/products", &sales, &product).expect(403);
    app.post("/api/v1/products", &planner, &product).expect(201);
    // Price indices: planner, admin.
    app.post("/api/v1/price-indices", &sales, &index)
        .expect(403);
    app.post("/api/v1/price-indices", &integration, &index)
        .expect(403);
    app.post("/api/v1/price-indices", &planner, &index)
        .expect(201);
    // Users: admin only.
    for t in [&viewer, &sales, &planner, &integration] {
        app.get("/api/v1/users", t).expect(403);
        app.post(
            "/api/v1/users",
            t,
            &json!({"username": "zed", "password": "long-enough-password", "role": "admin"}),
        )
        .expect(403);
    }
    // Audit: admin, planner, sales.
    app.get("/api/v1/audit", &viewer).expect(403);
    app.get("/api/v1/audit", &integration).expect(403);
    app.get("/api/v1/audit", &sales).expect(200);
    app.get("/api/v1/audit", &planner).expect(200);
}

fn deactivated_users_lose_access_at_once(app: &TestApp) {
    let admin = app.admin();
    let user = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({"username": "leaver", "password": "a-long-password!", "role": "sales"}),
        )
        .expect(201);
    let id = user.body["id"].as_str().unwrap_or_default().to_string();
    let token = app.login("leaver", "a-long-password!").expect(200).body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    app.get("/api/v1/me", &token).expect(200);
    app.post(
        &format!("/api/v1/users/{id}/deactivate"),
        &admin,
        &json!({"reason": "left"}),
    )
    .expect(200);
    app.get("/api/v1/me", &token).expect(401);
    app.login("leaver", "a-long-password!").expect(401);
}
