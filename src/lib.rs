//! ndpr-contracts: long-term contracts, spot and add-on orders, production reconciliation and
//! pricing for an NdPr rare-earth exporter.
//!
//! Layers, from the bottom: `domain` (pure rules and entities) ← `db` (tables) ← `ops` (every
//! business operation) ← `api` (HTTP), `cli` and `demo`. `state` and `routes` are leaves.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod auth;
pub mod bootstrap;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod fault;
pub mod memory;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
pub mod webhooks;
