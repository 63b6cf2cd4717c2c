//! ndpr-contracts: long-term contracts, spot and add-on orders, production reconciliation and
//! pricing for an NdPr rare-earth exporter.
//!
//! The layers are crates, from the bottom: `ndpr-domain` (pure rules and entities) ←
//! `ndpr-db` (tables) ← `ndpr-ops` (every business operation) ← `ndpr-api` (HTTP) ←
//! `ndpr-desk` (the sales desk). This package wires them into the binary: configuration,
//! start-up, the command line and the demo data set. The layers are re-exported under their
//! old names, so `ndpr_contracts::ops::orders::confirm` is the operation itself.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub use ndpr_api as api;
pub use ndpr_api::{metrics, openapi, route_table, state};
pub use ndpr_db as db;
pub use ndpr_db::{error, fault};
pub use ndpr_desk as web;
pub use ndpr_domain as domain;
pub use ndpr_domain::clock;
pub use ndpr_ops as ops;
pub use ndpr_ops::{auth, delivery as webhooks};

pub mod bootstrap;
pub mod cli;
pub mod config;
pub mod demo;
pub mod memory;
pub mod startup;
pub mod telemetry;
