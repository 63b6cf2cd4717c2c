//! Cross-cutting request handling: request ids, logs and metrics; idempotent POST replay;
//! CORS; and turning every error answer into problem+json.

mod cors;
mod fallback;
mod idempotency;
mod request;

pub use cors::cors;
pub use fallback::problem_fallback;
pub use idempotency::idempotency;
pub use request::{request_id_and_metrics, REQUEST_ID};
