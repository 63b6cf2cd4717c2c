//! The documented paths: which methods each answers (to tell 405 from 404) and which template a
//! request path belongs to (the metrics' route label), matched segment by segment — no regex
//! and no second pass through the router on every request.

use actix_web::http::Method;

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// `{name}`: any one non-empty segment.
    Param,
}

#[derive(Debug)]
struct Route {
    template: String,
    segments: Vec<Segment>,
    methods: Vec<Method>,
}

impl Route {
    fn new(template: &str, methods: Vec<Method>) -> Route {
        let segments = template
            .trim_start_matches('/')
            .split('/')
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    Segment::Param
                } else {
                    Segment::Literal(s.to_string())
                }
            })
            .collect();
        Route {
            template: template.to_string(),
            segments,
            methods,
        }
    }

    fn matches(&self, path: &str) -> bool {
        let mut parts = path.trim_start_matches('/').split('/');
        for segment in &self.segments {
            match (segment, parts.next()) {
                (Segment::Literal(l), Some(p)) if l == p => {}
                (Segment::Param, Some(p)) if !p.is_empty() => {}
                _ => return false,
            }
        }
        parts.next().is_none()
    }
}

/// The documented paths, plus the documentation's own.
pub struct RouteTable(Vec<Route>);

impl RouteTable {
    pub fn from_document(doc: &serde_json::Value) -> RouteTable {
        let methods_of = |item: &serde_json::Value| -> Vec<Method> {
            [
                ("get", Method::GET),
                ("post", Method::POST),
                ("put", Method::PUT),
                ("patch", Method::PATCH),
                ("delete", Method::DELETE),
            ]
            .into_iter()
            .filter(|(name, _)| item.get(*name).is_some())
            .map(|(_, m)| m)
            .collect()
        };
        let mut routes: Vec<Route> = doc
            .get("paths")
            .and_then(serde_json::Value::as_object)
            .map(|paths| {
                paths
                    .iter()
                    .map(|(path, item)| Route::new(path, methods_of(item)))
                    .collect()
            })
            .unwrap_or_default();
        routes.push(Route::new("/api-docs/openapi.json", vec![Method::GET]));
        // Literal templates first, so `/orders/by-ref` would never be taken for `/orders/{id}`.
        routes.sort_by_key(|r| r.segments.iter().filter(|s| **s == Segment::Param).count());
        RouteTable(routes)
    }

    fn find(&self, path: &str) -> Option<&Route> {
        self.0.iter().find(|r| r.matches(path))
    }

    /// The methods a path answers, if it is a documented path.
    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.find(path).map(|r| r.methods.as_slice())
    }

    /// The template a request path belongs to (`/api/v1/orders/{id}`), if documented.
    pub fn template(&self, path: &str) -> Option<&str> {
        self.find(path).map(|r| r.template.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RouteTable {
        RouteTable(vec![
            Route::new("/api/v1/orders", vec![Method::GET, Method::POST]),
            Route::new("/api/v1/orders/{id}", vec![Method::GET]),
            Route::new("/api/v1/orders/{id}/confirm", vec![Method::POST]),
            Route::new(
                "/api/v1/production-actuals/{product_id}/{period}",
                vec![Method::PUT],
            ),
        ])
    }

    #[test]
    fn templates_match_whole_segments() {
        let t = table();
        assert_eq!(t.template("/api/v1/orders"), Some("/api/v1/orders"));
        assert_eq!(
            t.template("/api/v1/orders/abc"),
            Some("/api/v1/orders/{id}")
        );
        assert_eq!(
            t.template("/api/v1/orders/abc/confirm"),
            Some("/api/v1/orders/{id}/confirm")
        );
        assert_eq!(
            t.template("/api/v1/production-actuals/p/2027-01"),
            Some("/api/v1/production-actuals/{product_id}/{period}")
        );
        assert_eq!(t.template("/api/v1/orders/"), None);
        assert_eq!(t.template("/api/v1/orders/abc/confirm/x"), None);
        assert_eq!(t.template("/api/v1/order"), None);
        assert_eq!(t.template("/api/v1/orders/abc/cancel"), None);
        assert_eq!(
            t.allowed("/api/v1/orders"),
            Some(&[Method::GET, Method::POST][..])
        );
    }
}
