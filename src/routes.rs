//! Which methods each documented path answers, to tell 405 from 404.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;

pub struct RouteTable(Vec<(ResourceDef, Vec<Method>)>);

impl RouteTable {
    pub fn from_document(doc: &utoipa::openapi::OpenApi) -> RouteTable {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                let ops = [
                    (Method::GET, &item.get),
                    (Method::POST, &item.post),
                    (Method::PUT, &item.put),
                    (Method::PATCH, &item.patch),
                    (Method::DELETE, &item.delete),
                ];
                for (m, op) in ops {
                    if op.is_some() {
                        methods.push(m);
                    }
                }
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        RouteTable(routes)
    }

    /// The methods a path answers, if it is a documented path.
    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, m)| m.as_slice())
    }
}
