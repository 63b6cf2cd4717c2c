//! The contract lifecycle over HTTP: activate (with the ATP gate), suspend, resume, complete,
//! terminate.

use actix_web::post;

use crate::lifecycle::lifecycle_action;
use crate::ops::contracts;

lifecycle_action!(
    activate_contract,
    "/{id}/activate",
    contracts::activate,
    "Activate a contract",
    "draft → active. Every scheduled month is checked against available-to-promise: 409 with \
     `requested_kg`, `available_kg` and `first_short_period` when it would create or deepen a \
     shortfall, unless a planner or admin sends `{\"override\": true, \"reason\": …}`.",
    tag: "contracts", entity: crate::domain::contract::Contract, id: "Contract id",
    body: "Optional reason (and override)", answer: "The contract in its new state",
);
lifecycle_action!(
    suspend_contract,
    "/{id}/suspend",
    contracts::suspend,
    "Suspend a contract",
    "active → suspended. A suspended contract's schedule still counts as demand.",
    tag: "contracts", entity: crate::domain::contract::Contract, id: "Contract id",
    body: "Optional reason (and override)", answer: "The contract in its new state",
);
lifecycle_action!(
    resume_contract,
    "/{id}/resume",
    contracts::resume,
    "Resume a contract",
    "suspended → active.",
    tag: "contracts", entity: crate::domain::contract::Contract, id: "Contract id",
    body: "Optional reason (and override)", answer: "The contract in its new state",
);
lifecycle_action!(
    complete_contract,
    "/{id}/complete",
    contracts::complete,
    "Complete a contract",
    "active or suspended → completed: its schedule no longer counts as demand.",
    tag: "contracts", entity: crate::domain::contract::Contract, id: "Contract id",
    body: "Optional reason (and override)", answer: "The contract in its new state",
);
lifecycle_action!(
    terminate_contract,
    "/{id}/terminate",
    contracts::terminate,
    "Terminate a contract",
    "active or suspended → terminated; a `reason` is required. Its schedule no longer counts as demand.",
    tag: "contracts", entity: crate::domain::contract::Contract, id: "Contract id",
    body: "Optional reason (and override)", answer: "The contract in its new state",
);
