//! The HTTP shape every lifecycle action shares: `POST /{resource}/{id}/{action}` with an
//! optional `{reason, override}` body and `If-Match`, answering the resource in its new state.

/// Generates one lifecycle action handler calling `$op(conn, actor, id, expect, body)`; the
/// calling module imports `actix_web::post` (utoipa reads the route from that attribute).
macro_rules! lifecycle_action {
    (
        $fn_name:ident, $path:literal, $op:path, $summary:literal, $doc:literal,
        tag: $tag:literal, entity: $entity:ty, id: $id_label:literal,
        body: $body_label:literal, answer: $answer_label:literal $(,)?
    ) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = $doc]
        #[utoipa::path(
            tag = $tag,
            request_body(content = Option<crate::ops::action::ActionRequest>, description = $body_label),
            params(
                ("id" = uuid::Uuid, Path, description = $id_label),
                ("If-Match" = Option<String>, Header, description = "The ETag last read"),
            ),
            responses((status = 200, description = $answer_label, body = $entity), crate::problem::WriteErrors),
        )]
        #[post($path)]
        pub async fn $fn_name(
            state: actix_web::web::Data<crate::state::AppState>,
            actor: crate::extract::Caller,
            id: actix_web::web::Path<<$entity as crate::ops::lifecycle::Tracked>::Id>,
            if_match: crate::extract::IfMatch,
            body: crate::extract::OptionalJson<crate::ops::action::ActionRequest>,
        ) -> Result<actix_web::HttpResponse, crate::problem::ApiError> {
            let id = id.into_inner();
            let moved = state
                .db
                .write(move |c| $op(c, &actor, id, &if_match.0, &body.0))
                .await?;
            Ok(crate::respond::ok(moved.version, &moved))
        }
    };
}
pub(crate) use lifecycle_action;
