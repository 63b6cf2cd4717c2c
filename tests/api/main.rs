//! Integration tests: the real application over HTTP, on SQLite and (when
//! NDPR_TEST_DATABASE_URL is set) on PostgreSQL, each test on a fresh database.

mod common;

mod atp;
mod auth;
mod backup;
mod basics;
mod browser;
mod concurrency;
mod contracts;
mod customers;
mod demo;
mod desk_client;
mod feed;
mod fixtures;
mod fx;
mod imports;
mod integrator;
mod layers;
mod openapi;
mod orders;
mod outage;
mod pg_backup;
mod price_indices;
mod pricing;
mod process;
mod production;
mod products;
mod proxy;
mod robustness;
mod settlements;
mod shipments;
mod split;
mod upgrade;
mod upsert;
mod users;
mod web;
mod web_contracts;
mod web_errors;
mod web_shipments;
mod webhook_receiver;
mod webhooks;
