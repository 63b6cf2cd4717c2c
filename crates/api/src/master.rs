//! The HTTP routes of master data — customers, products, price indices — generated once for
//! each kind from the same five handlers: list, create, read, update, archive.

/// Generates the five handlers of a master-data resource and its `configure`.
macro_rules! master_routes {
    (
        entity: $entity:ty,
        new: $new:ty,
        patch: $patch:ty,
        filter: $filter:ty,
        list_op: $list_op:path,
        tag: $tag:literal,
        path: $path:literal,
        names: ($list_fn:ident, $create_fn:ident, $get_fn:ident, $update_fn:ident, $archive_fn:ident),
        docs: ($list_doc:literal, $create_doc:literal, $get_doc:literal, $update_doc:literal, $archive_doc:literal),
        details: ($list_detail:literal, $create_detail:literal, $update_detail:literal, $archive_detail:literal),
        labels: ($list_label:literal, $one_label:literal, $updated_label:literal, $archived_label:literal, $id_label:literal),
    ) => {
        use actix_web::{get, patch, post, web, HttpResponse};

        use crate::extract::{IfMatch, OptionalJson, ValidJson};
        use crate::problem::{ApiError, ReadErrors, WriteErrors};
        use crate::respond;
        use crate::ops::action::ActionBody;
        use crate::ops::master;
        use crate::ops::page::Page;
        use crate::state::AppState;

        pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
            cfg.service($list_fn)
                .service($create_fn)
                .service($get_fn)
                .service($update_fn)
                .service($archive_fn);
        }

        #[doc = $list_doc]
        #[doc = ""]
        #[doc = $list_detail]
        #[utoipa::path(
            tag = $tag,
            params($filter),
            responses((status = 200, description = $list_label, body = Page<$entity>), ReadErrors),
        )]
        #[get("")]
        pub async fn $list_fn(
            state: web::Data<AppState>,
            _actor: crate::extract::Caller,
            filter: crate::extract::ValidQuery<$filter>,
        ) -> Result<HttpResponse, ApiError> {
            let f = filter.into_inner();
            let page = state.db.read(move |c| $list_op(c, &f)).await?;
            Ok(HttpResponse::Ok().json(page))
        }

        #[doc = $create_doc]
        #[doc = ""]
        #[doc = $create_detail]
        #[utoipa::path(
            tag = $tag,
            request_body = $new,
            params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request")),
            responses((status = 201, description = "Created", body = $entity), WriteErrors),
        )]
        #[post("")]
        pub async fn $create_fn(
            state: web::Data<AppState>,
            actor: crate::extract::Caller,
            body: ValidJson<$new>,
        ) -> Result<HttpResponse, ApiError> {
            let made: $entity = state
                .db
                .write(move |c| master::create(c, &actor, body.0))
                .await?;
            Ok(respond::created(
                made.version,
                format!(concat!("/api/v1", $path, "/{}"), made.id),
                &made,
            ))
        }

        #[doc = $get_doc]
        #[utoipa::path(
            tag = $tag,
            params(("id" = uuid::Uuid, Path, description = $id_label)),
            responses((status = 200, description = $one_label, body = $entity), ReadErrors),
        )]
        #[get("/{id}")]
        pub async fn $get_fn(
            state: web::Data<AppState>,
            _actor: crate::extract::Caller,
            id: web::Path<<$entity as crate::ops::lifecycle::Tracked>::Id>,
        ) -> Result<HttpResponse, ApiError> {
            let id = id.into_inner();
            let found: $entity = state.db.read(move |c| master::get(c, id)).await?;
            Ok(respond::ok(found.version, &found))
        }

        #[doc = $update_doc]
        #[doc = ""]
        #[doc = $update_detail]
        #[utoipa::path(
            tag = $tag,
            request_body = $patch,
            params(
                ("id" = uuid::Uuid, Path, description = $id_label),
                ("If-Match" = Option<String>, Header, description = "The ETag last read"),
            ),
            responses((status = 200, description = $updated_label, body = $entity), WriteErrors),
        )]
        #[patch("/{id}")]
        pub async fn $update_fn(
            state: web::Data<AppState>,
            actor: crate::extract::Caller,
            id: web::Path<<$entity as crate::ops::lifecycle::Tracked>::Id>,
            if_match: IfMatch,
            body: ValidJson<$patch>,
        ) -> Result<HttpResponse, ApiError> {
            let id = id.into_inner();
            let changed: $entity = state
                .db
                .write(move |c| master::update(c, &actor, id, &if_match.0, body.0))
                .await?;
            Ok(respond::ok(changed.version, &changed))
        }

        #[doc = $archive_doc]
        #[doc = ""]
        #[doc = $archive_detail]
        #[utoipa::path(
            tag = $tag,
            request_body(content = Option<ActionBody>, description = "Optional reason"),
            params(
                ("id" = uuid::Uuid, Path, description = $id_label),
                ("If-Match" = Option<String>, Header, description = "The ETag last read"),
                ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for a retried request"),
            ),
            responses((status = 200, description = $archived_label, body = $entity), WriteErrors),
        )]
        #[post("/{id}/archive")]
        pub async fn $archive_fn(
            state: web::Data<AppState>,
            actor: crate::extract::Caller,
            id: web::Path<<$entity as crate::ops::lifecycle::Tracked>::Id>,
            if_match: IfMatch,
            body: OptionalJson<ActionBody>,
        ) -> Result<HttpResponse, ApiError> {
            let id = id.into_inner();
            let archived: $entity = state
                .db
                .write(move |c| master::archive(c, &actor, id, &if_match.0, &body.0))
                .await?;
            Ok(respond::ok(archived.version, &archived))
        }
    };
}
pub(crate) use master_routes;
