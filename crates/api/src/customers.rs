//! `/api/v1/customers`: the buyers, synchronised with the ERP through `external_ref`.

use crate::domain::customer::Customer;
use crate::ops::master::customer::{CustomerFilter, CustomerPatch, NewCustomer};

crate::master::master_routes!(
    entity: Customer,
    new: NewCustomer,
    patch: CustomerPatch,
    filter: CustomerFilter,
    list_op: crate::ops::master::customer::list,
    tag: "customers",
    path: "/customers",
    names: (list_customers, create_customer, get_customer, update_customer, archive_customer),
    docs: ("List customers", "Create a customer", "Get a customer", "Update a customer", "Archive a customer"),
    details: (
        "In creation order; filter by status, country, code, ERP reference or `updated_since`.",
        "Roles: admin, sales, integration. Codes and ERP references are unique (409 otherwise).",
        "Send only the members to change. With `If-Match`, refused (412) unless the customer is\nstill at that version.",
        "Archived customers stay readable for history but take no new business."
    ),
    labels: ("One page of customers", "The customer; `ETag` carries its version", "The updated customer", "The archived customer", "Customer id"),
);
