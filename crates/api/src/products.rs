//! `/api/v1/products`: what the plants make and the desk sells (NdPr oxide, NdPr metal, …).

use crate::domain::product::Product;
use crate::ops::master::product::{NewProduct, ProductFilter, ProductPatch};

crate::master::master_routes!(
    entity: Product,
    new: NewProduct,
    patch: ProductPatch,
    filter: ProductFilter,
    list_op: crate::ops::master::product::list,
    tag: "products",
    path: "/products",
    names: (list_products, create_product, get_product, update_product, archive_product),
    docs: ("List products", "Create a product", "Get a product", "Update a product", "Archive a product"),
    details: (
        "In creation order; filter by status, form, export control, code, ERP reference or `updated_since`.",
        "Roles: admin, planner, integration. Codes and ERP references are unique (409 otherwise).",
        "Send only the members to change. With `If-Match`, refused (412) unless the product is\nstill at that version.",
        "Archived products stay readable for history but take no new business."
    ),
    labels: ("One page of products", "The product; `ETag` carries its version", "The updated product", "The archived product", "Product id"),
);
