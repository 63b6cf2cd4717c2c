use serde::Deserialize;
use utoipa::ToSchema;

use super::parties::{self, Parties};
use crate::db::{orders, DbConnection};
use crate::domain::order::Order;
use crate::domain::reference::is_incoterm;
use crate::domain::OrderId;
use crate::domain::{Kg, Period, Permission};
use crate::error::{Checks, OpError};
use crate::patch::double_option;
use crate::{lifecycle, Actor, Expect};

/// Changes to a draft order; absent members stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"quantity_kg": "2500.000"}))]
pub struct OrderPatch {
    pub period: Option<Period>,
    pub quantity_kg: Option<Kg>,
    #[schema(min_length = 3, max_length = 3)]
    pub incoterm: Option<String>,
    #[schema(max_length = 200)]
    pub incoterm_place: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub external_ref: Option<Option<String>>,
}

/// 409 when another order has this number or external_ref.
pub fn ensure_unique(conn: &mut DbConnection, o: &Order) -> Result<(), OpError> {
    if orders::number_taken(conn, &o.number, o.id)? {
        return Err(OpError::conflict(format!(
            "an order numbered {} exists",
            o.number
        )));
    }
    if let Some(ext) = &o.external_ref {
        if orders::ref_taken(conn, ext, o.id)? {
            return Err(OpError::conflict(format!(
                "an order with external_ref {ext} exists"
            )));
        }
    }
    Ok(())
}

/// Edits a draft order (409 otherwise). Roles: admin, sales, integration.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrderId,
    expect: &Expect,
    p: OrderPatch,
) -> Result<Order, OpError> {
    actor.require(Permission::WriteOrders)?;
    lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "updated",
        |conn, before: &Order, _| {
            super::actions::editable(before)?;
            let mut after = before.clone();
            let mut checks = Checks::default();
            if let Some(v) = p.period {
                after.period = v;
            }
            if let Some(v) = p.quantity_kg {
                checks.check(
                    v.grams().is_some_and(|g| g > 0),
                    "quantity_kg",
                    "must be greater than 0",
                );
                after.quantity_kg = v;
            }
            if let Some(v) = p.incoterm {
                checks.check(
                    is_incoterm(&v),
                    "incoterm",
                    "must be an Incoterms 2020 code such as FOB or CIF",
                );
                after.incoterm = v;
            }
            if let Some(v) = p.incoterm_place {
                checks.text(&v, "incoterm_place", 200);
                after.incoterm_place = v.trim().to_string();
            }
            if let Some(v) = p.external_ref {
                if let Some(e) = &v {
                    checks.text(e, "external_ref", 100);
                }
                after.external_ref = v;
            }
            checks.finish()?;
            let (errors, _) = parties::check(conn, &Parties::of(&after))?;
            if !errors.is_empty() {
                return Err(OpError::Validation(errors));
            }
            ensure_unique(conn, &after)?;
            Ok(after)
        },
    )
}
