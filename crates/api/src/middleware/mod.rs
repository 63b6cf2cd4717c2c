//! Cross-cutting request handling: request ids, logs and metrics; idempotent POST replay;
//! conditional GETs (304); CORS; and turning every error answer into problem+json.

mod conditional;
mod cors;
mod fallback;
mod idempotency;
mod request;

pub use conditional::{not_modified, tag_version};
pub use cors::cors;
pub use fallback::problem_fallback;
pub use idempotency::idempotency;
pub use request::{request_id_and_metrics, REQUEST_ID};
