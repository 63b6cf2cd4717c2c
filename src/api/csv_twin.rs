//! Every report has a CSV twin at the same address with `.csv`: its own operation, so
//! generated clients see one media type per answer.

/// Generates the CSV operation of a report: the same query and the same rows as the JSON one.
/// The caller's module imports `get`, `web`, `HttpResponse`, `ApiError`, `ReadErrors`,
/// `respond`, `Actor` and `AppState`.
macro_rules! csv_twin {
    (
        name: $name:ident,
        path: $path:tt,
        tag: $tag:tt,
        query: $query:ty,
        op: $op:path,
        csv: $csv:path,
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
                ReadErrors,
            ),
        )]
        #[get($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            _actor: Actor,
            query: web::Query<$query>,
        ) -> Result<HttpResponse, ApiError> {
            let q = query.into_inner();
            let report = state.db.read(move |c| $op(c, &q)).await?;
            Ok(respond::csv($csv(&report)))
        }
    };
}
pub(crate) use csv_twin;
