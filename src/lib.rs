//! ndpr-contracts: long-term contracts, spot and add-on orders, production reconciliation and
//! pricing for an NdPr rare-earth exporter.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod auth;
pub mod bootstrap;
pub mod change;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod idempotency;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod startup;
pub mod telemetry;
pub mod users;
