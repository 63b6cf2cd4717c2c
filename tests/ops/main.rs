//! Operation-level tests: the use cases of `ndpr_contracts::ops` called directly, below HTTP,
//! on SQLite and (when NDPR_TEST_DATABASE_URL is set) on PostgreSQL, each on a fresh database.

mod common;

mod commitments;
mod deliveries;
mod master;
mod people;
mod positions;
mod production;
