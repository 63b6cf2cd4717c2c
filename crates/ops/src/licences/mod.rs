//! Export licences: registered and revoked by admins, drawn down by shipping.

pub use crate::domain::licence::LicenceFilter;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::action::ActionBody;
use crate::db::{licences, now_utc, DbConnection};
use crate::domain::licence::{ExportLicence, LicenceStatus};
use crate::domain::reference::is_code;
use crate::domain::EntityId;
use crate::domain::{CustomerId, LicenceId, ProductId};
use crate::domain::{Kg, Permission};
use crate::error::{Checks, OpError};
use crate::page::{Page, PageRequest};
use crate::references::{customer_problem, product_problem};
use crate::{lifecycle, Actor, Expect};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"number": "MOFCOM-2026-00417", "product_id": "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a", "customer_id": "6aab728c-5d25-46c0-b1b1-b708c14db466", "quantity_kg": "20000", "valid_from": "2026-01-01", "valid_to": "2026-12-31"}))]
pub struct NewLicence {
    #[schema(max_length = 40)]
    pub number: String,
    #[schema(value_type = uuid::Uuid)]
    pub product_id: ProductId,
    #[schema(value_type = uuid::Uuid)]
    pub customer_id: CustomerId,
    pub quantity_kg: Kg,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

/// Registers an export licence. Admin only.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    n: NewLicence,
) -> Result<ExportLicence, OpError> {
    actor.require(Permission::WriteExportLicences)?;
    Checks::default()
        .check(
            is_code(&n.number),
            "number",
            "must be 1–40 of A–Z, 0–9, '-', '_', '.'",
        )
        .check(
            n.quantity_kg.grams().is_some_and(|g| g > 0),
            "quantity_kg",
            "must be greater than 0",
        )
        .check(
            n.valid_from <= n.valid_to,
            "valid_to",
            "must not be before valid_from",
        )
        .finish()?;
    let mut errors = Vec::new();
    errors.extend(product_problem(conn, n.product_id, "product_id")?);
    errors.extend(customer_problem(conn, n.customer_id, "customer_id")?);
    if !errors.is_empty() {
        return Err(OpError::Validation(errors));
    }
    if licences::number_taken(conn, &n.number)? {
        return Err(OpError::conflict(format!(
            "a licence numbered {} exists",
            n.number
        )));
    }
    let at = now_utc();
    let licence = ExportLicence {
        id: EntityId::fresh(),
        number: n.number,
        product_id: n.product_id,
        customer_id: n.customer_id,
        quantity_kg: n.quantity_kg,
        shipped_kg: Kg::zero(),
        remaining_kg: n.quantity_kg,
        valid_from: n.valid_from,
        valid_to: n.valid_to,
        status: crate::domain::licence::status(false, n.valid_to, crate::domain::clock::today()),
        created_at: at,
        updated_at: at,
        version: 1,
    };
    lifecycle::create(conn, actor, licence)
}

/// Revokes a licence: nothing more ships under it. Admin only.
pub fn revoke(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LicenceId,
    expect: &Expect,
    body: &ActionBody,
) -> Result<ExportLicence, OpError> {
    actor.require(Permission::WriteExportLicences)?;
    let reason = body.reason()?;
    lifecycle::change(
        conn,
        actor,
        id,
        expect,
        "revoked",
        |_, before: &ExportLicence, note| {
            if before.revoked() {
                return Err(OpError::conflict("the licence is already revoked"));
            }
            note.reason = reason;
            let mut after = before.clone();
            after.status = LicenceStatus::Revoked;
            Ok(after)
        },
    )
}

pub fn get(conn: &mut DbConnection, id: LicenceId) -> Result<ExportLicence, OpError> {
    licences::find(conn, id)
}

pub fn list(conn: &mut DbConnection, f: &LicenceFilter) -> Result<Page<ExportLicence>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let revoked = match f.status.as_deref() {
        None => None,
        Some("active") => Some(false),
        Some("revoked") => Some(true),
        Some(_) => return Err(OpError::field("status", "must be active or revoked")),
    };
    let (items, next) = licences::list(conn, f, revoked, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}
