//! Every report has a CSV twin at the same address with `.csv`: its own operation, so
//! generated clients see one media type per answer.

/// Generates the CSV operation of a report: the same query and the same rows as the JSON one.
/// `csv` writes the rows; `csv_named` also reads the codes and names it puts beside ids.
/// `op` reads with the query alone; `op_for_actor` also takes the caller, for reports some
/// roles may not read (documented with a 403 saying who may). The caller's module imports
/// `get`, `web`, `HttpResponse`, `ApiError`, `ReadErrors`, `respond` and `AppState`.
macro_rules! csv_twin {
    (
        name: $name:ident,
        path: $path:tt,
        tag: $tag:tt,
        query: $query:ty,
        $(op: $op:path,)?
        $(op_for_actor: $op_for_actor:path, forbidden: $forbidden:tt,)?
        $(csv: $csv:path,)?
        $(csv_named: $csv_named:path,)?
        summary: $summary:tt,
    ) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = "The same rows as the JSON report, as a spreadsheet: `text/csv` with a header row,"]
        #[doc = "quantities and prices as the exact decimals the JSON carries."]
        #[utoipa::path(
            tag = $tag,
            params($query),
            responses(
                (status = 200, description = "The report as CSV, with a header row", content_type = "text/csv", body = String),
                $((status = 403, description = $forbidden, body = crate::problem::Problem, content_type = "application/problem+json"),)?
                ReadErrors,
            ),
        )]
        #[get($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            actor: crate::extract::Caller,
            query: crate::extract::ValidQuery<$query>,
        ) -> Result<HttpResponse, ApiError> {
            let q = query.into_inner();
            let _ = &actor;
            let doc = state
                .db
                .read(move |c| {
                    let report = {
                        $($op(c, &q))?
                        $($op_for_actor(c, &actor, &q))?
                    }?;
                    $(Ok::<_, crate::ops::error::OpError>($csv(&report)))?
                    $($csv_named(&report, c))?
                })
                .await?;
            Ok(respond::csv(doc))
        }
    };
}
pub(crate) use csv_twin;

/// Generates the CSV operation of a report about one resource (`/{id}/….csv`): the same rows
/// as its JSON twin, read by the same operation, written by its `csv` method. The caller's module imports `get`, `web`,
/// `HttpResponse`, `ApiError`, `ReadErrors` and `AppState`.
macro_rules! csv_twin_of_one {
    (
        name: $name:ident,
        path: $path:tt,
        tag: $tag:tt,
        id: $id:tt,
        key: $key:ty,
        op: $op:path,
        csv: $csv:ident,
        summary: $summary:tt,
        detail: $detail:tt,
        answer: $answer:tt,
    ) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = $detail]
        #[utoipa::path(
            tag = $tag,
            params(("id" = uuid::Uuid, Path, description = $id)),
            responses(
                (status = 200, description = $answer, content_type = "text/csv", body = String),
                ReadErrors,
            ),
        )]
        #[get($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            _actor: crate::extract::Caller,
            id: web::Path<$key>,
        ) -> Result<HttpResponse, ApiError> {
            let id = id.into_inner();
            let report = state.db.read(move |c| $op(c, id)).await?;
            Ok(crate::respond::csv(report.$csv()))
        }
    };
}
pub(crate) use csv_twin_of_one;
