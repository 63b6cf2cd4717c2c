//! `PUT /orders/by-ref/{external_ref}`: the ERP's order under its own reference.

use super::create::{create, NewOrder};
use super::update::{update, OrderPatch};
use crate::db::{orders, DbConnection};
use crate::domain::order::Order;
use crate::domain::Permission;
use crate::error::OpError;
use crate::upsert::{self, check_body_ref, check_path_ref, ByRef, Outcome};
use crate::{Actor, Expect};

/// Creates the order as a draft under this reference, or brings the stored order in line:
/// month, quantity and Incoterm change while it is a draft (409 once it is not); the parties,
/// type, number, pricing and currency of an existing order never change (409 naming them).
/// Status changes stay the explicit actions. Roles: admin, sales, integration.
pub fn upsert(
    conn: &mut DbConnection,
    actor: &Actor,
    external_ref: &str,
    expect: &Expect,
    new: NewOrder,
) -> Result<(Order, Outcome), OpError> {
    actor.require(Permission::WriteOrders)?;
    check_path_ref(external_ref)?;
    check_body_ref(new.external_ref.as_deref(), external_ref)?;
    let new = NewOrder {
        external_ref: Some(external_ref.to_string()),
        ..new
    };
    let wanted = new.clone();
    upsert::upsert(
        conn,
        ByRef {
            expect,
            find: |c: &mut DbConnection| orders::find_by_ref(c, external_ref),
            create: |c: &mut DbConnection| create(c, actor, new),
            update: |c: &mut DbConnection, stored: &Order| {
                fixed_fields_match(stored, &wanted)?;
                match patch_for(stored, &wanted) {
                    None => Ok(None),
                    Some(patch) => {
                        update(c, actor, stored.id, &Expect::version(stored.version), patch)
                            .map(Some)
                    }
                }
            },
        },
    )
}

/// 409 naming what the request would change that an existing order keeps for good.
fn fixed_fields_match(stored: &Order, wanted: &NewOrder) -> Result<(), OpError> {
    let mut differ = Vec::new();
    if stored.order_type != wanted.order_type {
        differ.push("order_type");
    }
    if stored.customer_id != wanted.customer_id {
        differ.push("customer_id");
    }
    if stored.product_id != wanted.product_id {
        differ.push("product_id");
    }
    if stored.contract_id != wanted.contract_id {
        differ.push("contract_id");
    }
    if wanted.number.as_ref().is_some_and(|n| *n != stored.number) {
        differ.push("number");
    }
    if !wanted.quality_terms.is_empty() && wanted.quality_terms != stored.quality_terms {
        differ.push("quality_terms");
    }
    if wanted
        .pricing
        .as_ref()
        .is_some_and(|p| *p != stored.pricing)
    {
        differ.push("pricing");
    }
    if wanted
        .currency
        .as_ref()
        .is_some_and(|c| *c != stored.currency)
    {
        differ.push("currency");
    }
    if differ.is_empty() {
        Ok(())
    } else {
        Err(OpError::conflict(format!(
            "the order {} exists with another {}; these never change on an existing order: \
             cancel it and create another under a new reference",
            stored.number,
            differ.join(", ")
        )))
    }
}

/// The edit that makes a stored order say what the request says; `None` when it already does.
fn patch_for(stored: &Order, wanted: &NewOrder) -> Option<OrderPatch> {
    let differs =
        |want: &Option<String>, have: &str| want.as_ref().filter(|w| w.trim() != have).cloned();
    let patch = OrderPatch {
        period: Some(wanted.period).filter(|p| *p != stored.period),
        quantity_kg: Some(wanted.quantity_kg).filter(|q| q.grams() != stored.quantity_kg.grams()),
        incoterm: differs(&wanted.incoterm, &stored.incoterm),
        incoterm_place: differs(&wanted.incoterm_place, &stored.incoterm_place),
        external_ref: None,
    };
    let empty = patch.period.is_none()
        && patch.quantity_kg.is_none()
        && patch.incoterm.is_none()
        && patch.incoterm_place.is_none();
    (!empty).then_some(patch)
}
