//! The desk's static files, embedded in the binary: its stylesheet and htmx (vendored from the
//! npm package with its licence and digest under `assets/vendor/htmx`).

use actix_web::{get, web, HttpResponse};

use super::page;

const DESK_CSS: &[u8] = include_bytes!("../assets/desk.css");
const HTMX: &[u8] = include_bytes!("../assets/vendor/htmx/htmx.min.js");
const FAVICON: &[u8] = include_bytes!("../assets/favicon.svg");
const DESK_JS: &[u8] = include_bytes!("../assets/desk.js");

/// The files served under `/assets/`: (name, content type, bytes).
const FILES: [(&str, &str, &[u8]); 4] = [
    ("desk.js", "text/javascript; charset=utf-8", DESK_JS),
    ("desk.css", "text/css; charset=utf-8", DESK_CSS),
    ("favicon.svg", "image/svg+xml", FAVICON),
    ("htmx.min.js", "text/javascript; charset=utf-8", HTMX),
];

#[get("/assets/{name}")]
pub async fn asset(name: web::Path<String>) -> HttpResponse {
    match FILES.iter().find(|(n, _, _)| *n == name.as_str()) {
        Some((_, content_type, bytes)) => page::secured(&mut HttpResponse::Ok())
            .content_type(*content_type)
            .insert_header(("cache-control", "public, max-age=3600"))
            .body(*bytes),
        None => page::secured(&mut HttpResponse::NotFound())
            .content_type("text/plain; charset=utf-8")
            .body("no such file"),
    }
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    #[test]
    fn the_embedded_htmx_is_the_vendored_release() {
        let recorded = include_str!("../assets/vendor/htmx/htmx.min.js.sha256");
        let digest = hex::encode(Sha256::digest(super::HTMX));
        assert_eq!(
            recorded.split_whitespace().next(),
            Some(digest.as_str()),
            "assets/vendor/htmx/htmx.min.js differs from the digest recorded with it"
        );
    }
}
