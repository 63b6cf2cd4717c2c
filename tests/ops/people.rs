//! Users, logging in, and reading the audit trail and the change feed.

use ndpr_contracts::auth::password::HashGate;
use ndpr_contracts::auth::TokenKeys;
use ndpr_contracts::domain::Role;
use ndpr_contracts::error::OpError;
use ndpr_contracts::ops::session::{self, Credentials};
use ndpr_contracts::ops::users::{self, NewUserRequest};
use ndpr_contracts::ops::{feed, Actor, Expect};
use serde_json::json;

use crate::common::*;
use crate::on_both_backends;

on_both_backends!(
    user_use_cases,
    login_and_lock,
    feed_hides_users_from_non_admins
);

fn new_user(name: &str, role: Role) -> NewUserRequest {
    NewUserRequest {
        username: name.into(),
        password: "a-long-test-password".into(),
        role,
    }
}

fn user_use_cases(t: &TestDb) {
    let first = ok(t.write(|c| users::add(c, new_user("boss", Role::Admin))));
    let boss = Actor {
        user_id: first.id,
        username: "boss".into(),
        role: Role::Admin,
        request_id: None,
    };
    let prepared = ok(users::prepare(&boss, new_user("akiko", Role::Sales)));
    let akiko = ok(t.write(|c| users::create(c, &boss, prepared)));
    let taken = err(t.write(|c| users::add(c, new_user("akiko", Role::Viewer))));
    assert!(matches!(taken, OpError::Conflict { .. }));
    let bad = err(users::prepare(
        &boss,
        NewUserRequest {
            username: "A".into(),
            password: "short".into(),
            role: Role::Viewer,
        },
    ));
    assert_eq!(fields(&bad), ["username", "password"]);
    let patch = ok(users::prepare_patch(&boss, cmd(json!({"role": "planner"}))));
    let promoted = ok(t.write(|c| users::update(c, &boss, akiko.id, &Expect::version(1), patch)));
    assert_eq!(promoted.role, Role::Planner);
    // The last active admin stays an admin, and nobody deactivates themselves.
    let demote = ok(users::prepare_patch(&boss, cmd(json!({"role": "viewer"}))));
    assert!(matches!(
        err(t.write(|c| users::update(c, &boss, first.id, &any(), demote))),
        OpError::Conflict { .. }
    ));
    assert!(matches!(
        err(t.write(|c| users::deactivate(c, &boss, first.id, &any()))),
        OpError::Conflict { .. }
    ));
    let off = ok(t.write(|c| users::deactivate(c, &boss, akiko.id, &any())));
    assert!(!off.active);
    let page = ok(t.read(|c| users::list(c, &boss, &cmd(json!({"status": "inactive"})))));
    assert_eq!(page.items.len(), 1);
    assert_eq!(ok(t.read(|c| users::me(c, &boss))).username, "boss");
    let sales = err(t.read(|c| users::list(c, &actor(Role::Sales), &Default::default())));
    assert!(matches!(sales, OpError::Forbidden(_)));
}

fn login_and_lock(t: &TestDb) {
    ok(t.write(|c| users::add(c, new_user("akiko", Role::Sales))));
    let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef", 60);
    let good = Credentials {
        username: "akiko".into(),
        password: "a-long-test-password".into(),
    };
    let gate = HashGate::new(4);
    let token = ok(session::login(&t.db, &keys, &gate, &good, "10.0.0.1")).token;
    assert_eq!(token.token_type, "Bearer");
    assert_eq!(
        keys.verify(&token.access_token).map(|c| c.name).ok(),
        Some("akiko".into())
    );
    let wrong = Credentials {
        username: "akiko".into(),
        password: "wrong password!".into(),
    };
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            match session::login(&t.db, &keys, &gate, &wrong, "10.0.0.66") {
                Err(OpError::Unauthenticated(_)) => 401,
                Err(OpError::TooManyRequests { .. }) => 429,
                Err(other) => panic!("{other:?}"),
                Ok(_) => 200,
            },
        );
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
    // Guesses from one address never lock the user out from another.
    assert!(session::login(&t.db, &keys, &gate, &good, "10.0.0.1").is_ok());
    // Limits are checked before the database is touched.
    let long = Credentials {
        username: "a".repeat(65),
        password: "x".repeat(1025),
    };
    match session::login(&t.db, &keys, &gate, &long, "10.0.0.1") {
        Err(e) => assert_eq!(fields(&e), ["username", "password"]),
        Ok(_) => panic!("accepted"),
    }
}

fn feed_hides_users_from_non_admins(t: &TestDb) {
    ok(t.write(|c| users::add(c, new_user("akiko", Role::Sales))));
    customer(t, "C");
    let for_admin = ok(t.read(|c| feed::events(c, &admin(), &Default::default())));
    assert!(for_admin
        .items
        .iter()
        .any(|e| e.event_type == "user.created"));
    for role in [Role::Sales, Role::Viewer, Role::Integration, Role::Planner] {
        let page = ok(t.read(|c| feed::events(c, &actor(role), &Default::default())));
        assert!(
            page.items.iter().all(|e| e.entity_type != "user"),
            "{role:?}"
        );
        assert!(page
            .items
            .iter()
            .any(|e| e.event_type == "customer.created"));
    }
    let audit = ok(t.read(|c| feed::audit(c, &actor(Role::Sales), &Default::default())));
    assert!(audit.items.iter().all(|e| e.entity_type != "user"));
    assert!(
        ok(t.read(|c| feed::audit(c, &admin(), &Default::default())))
            .items
            .iter()
            .any(|e| e.entity_type == "user")
    );
    let viewer = err(t.read(|c| feed::audit(c, &actor(Role::Viewer), &Default::default())));
    assert!(matches!(viewer, OpError::Forbidden(_)));
}
