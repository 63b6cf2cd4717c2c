//! Sending webhooks: the HTTP client that refuses private targets at delivery time, and the
//! worker that runs inside `serve` or alone (`ndpr-contracts webhooks run`). What to send and
//! what an attempt means are the operations layer's (`ops::webhooks::deliver`).

pub mod client;
pub mod worker;

pub use client::WebhookClient;
pub use worker::WorkerSettings;
