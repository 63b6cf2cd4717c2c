//! The answer for a request no route took: 405 with `Allow` when the path exists, else 404.

use actix_web::http::{header, Method};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};

use super::problem::ApiError;
use crate::state::AppState;

pub async fn unmatched_route(req: HttpRequest) -> HttpResponse {
    let state = req.app_data::<web::Data<AppState>>();
    if let Some(methods) = state.and_then(|s| s.routes.allowed(req.path())) {
        if !methods.is_empty() {
            let allow = methods
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            let mut res = ApiError::MethodNotAllowed(format!(
                "{} is not allowed here; allowed: {allow}",
                req.method()
            ))
            .error_response();
            if let Ok(v) = header::HeaderValue::from_str(&allow) {
                res.headers_mut().insert(header::ALLOW, v);
            }
            return res;
        }
    }
    ApiError::not_found(format!("no route for {} {}", req.method(), req.path())).error_response()
}
