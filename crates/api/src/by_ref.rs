//! `PUT /api/v1/{customers|products|contracts|orders}/by-ref/{external_ref}`: upsert under the
//! ERP's reference. One handler shape, generated for each kind.

use actix_web::put;

/// Generates the by-reference upsert handler of one resource.
macro_rules! by_ref_route {
    (
        name: $name:ident,
        entity: $entity:ty,
        new: $new:ty,
        op: $op:path,
        tag: $tag:literal,
        path: $path:literal,
        summary: $summary:literal,
        detail: $detail:literal,
    ) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = $detail]
        #[doc = ""]
        #[doc = "Creates the resource under the reference (201, with `Location`) or brings the stored one in line (200). `Upsert-Outcome` says `created`, `updated` or `unchanged`; an unchanged resource keeps its version and writes no audit entry or event. Racing upserts of one reference never create two. With `If-Match`, refused (412) unless the stored resource is at that version, or when there is none."]
        #[utoipa::path(
            tag = $tag,
            request_body = $new,
            params(
                ("external_ref" = String, Path, description = "The ERP's reference, 1–100 characters"),
                ("If-Match" = Option<String>, Header, description = "The ETag last read"),
            ),
            responses(
                (status = 201, description = "Created under the reference", body = $entity),
                (status = 200, description = "Updated, or already as requested", body = $entity),
                crate::problem::WriteErrors,
            ),
        )]
        #[put("/by-ref/{external_ref}")]
        pub async fn $name(
            state: actix_web::web::Data<crate::state::AppState>,
            actor: crate::extract::Caller,
            external_ref: actix_web::web::Path<String>,
            if_match: crate::extract::IfMatch,
            body: crate::extract::ValidJson<$new>,
        ) -> Result<actix_web::HttpResponse, crate::problem::ApiError> {
            let external_ref = external_ref.into_inner();
            let (item, outcome): ($entity, _) = state
                .db
                .write(move |c| $op(c, &actor, &external_ref, &if_match.0, body.0))
                .await?;
            Ok(crate::respond::upserted(
                outcome,
                item.version,
                format!(concat!("/api/v1", $path, "/{}"), item.id),
                &item,
            ))
        }
    };
}

by_ref_route!(
    name: upsert_customer,
    entity: crate::domain::customer::Customer,
    new: crate::ops::master::customer::NewCustomer,
    op: crate::ops::master::upsert::<crate::domain::customer::Customer>,
    tag: "customers",
    path: "/customers",
    summary: "Create or update a customer by ERP reference",
    detail: "Roles: admin, sales, integration. Validates as create and update do.",
);

by_ref_route!(
    name: upsert_product,
    entity: crate::domain::product::Product,
    new: crate::ops::master::product::NewProduct,
    op: crate::ops::master::upsert::<crate::domain::product::Product>,
    tag: "products",
    path: "/products",
    summary: "Create or update a product by ERP reference",
    detail: "Roles: admin, planner, integration. Validates as create and update do.",
);

by_ref_route!(
    name: upsert_contract,
    entity: crate::domain::contract::Contract,
    new: crate::ops::contracts::NewContract,
    op: crate::ops::contracts::upsert,
    tag: "contracts",
    path: "/contracts",
    summary: "Create or update a contract by ERP reference",
    detail: "Roles: admin, sales. A draft's terms follow the request; an active contract's terms are refused (409) unless unchanged: its schedule changes as an amendment (`PUT /contracts/{id}/schedule`) and its status through the lifecycle actions.",
);

by_ref_route!(
    name: upsert_order,
    entity: crate::domain::order::Order,
    new: crate::ops::orders::NewOrder,
    op: crate::ops::orders::upsert,
    tag: "orders",
    path: "/orders",
    summary: "Create or update an order by ERP reference",
    detail: "Roles: admin, sales, integration. A draft's month, quantity and Incoterm follow the request (409 once it is not a draft); type, parties, number, pricing and currency never change (409 naming them). Status changes stay the lifecycle actions.",
);
