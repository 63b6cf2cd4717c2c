//! `/api/v1/price-indices`: market price indices (e.g. NdPr oxide FOB China) and their quotes.

mod quotes;

mod index {
    crate::master::master_routes!(
        entity: crate::domain::price_index::PriceIndex,
        new: crate::ops::master::price_index::NewPriceIndex,
        patch: crate::ops::master::price_index::PriceIndexPatch,
        filter: crate::ops::master::price_index::PriceIndexFilter,
        list_op: crate::ops::master::price_index::list,
        tag: "price-indices",
        path: "/price-indices",
        names: (list_price_indices, create_price_index, get_price_index, update_price_index, archive_price_index),
        docs: ("List price indices", "Create a price index", "Get a price index", "Update a price index", "Archive a price index"),
        details: (
            "In creation order; filter by status, currency, code or `updated_since`.",
            "Roles: admin, planner. Codes are unique (409 otherwise).",
            "Send only the members to change. With `If-Match`, refused (412) unless the price index is\nstill at that version.",
            "Archived indices keep their quotes for history but take no new quotes."
        ),
        labels: ("One page of price indices", "The price index; `ETag` carries its version", "The updated price index", "The archived price index", "Price index id"),
    );
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.configure(index::configure)
        .service(quotes::list_price_quotes)
        .service(quotes::upsert_price_quotes)
        .service(quotes::list_price_averages);
}
