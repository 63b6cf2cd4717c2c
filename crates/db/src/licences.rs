//! The `export_licences` table.

use diesel::prelude::*;

use crate::domain::licence::LicenceFilter;
use crate::domain::licence::{status, ExportLicence};
use crate::domain::lifecycle::StoredLicenceState;
use crate::domain::Kg;
use crate::domain::LicenceId;
use crate::error::OpError;
use crate::page::{after_cursor, page_of, Cursor};
use crate::parse;
use crate::rows::LicenceRow;
use crate::schema::export_licences as lic;
use crate::{now, DbConnection};

fn to_entity(r: LicenceRow) -> Result<ExportLicence, OpError> {
    let stored = parse::status(
        &r.status,
        "export_licences.status",
        StoredLicenceState::parse,
    )?;
    Ok(ExportLicence {
        id: parse::id(&r.id, "export_licences.id")?,
        product_id: parse::id(&r.product_id, "export_licences.product_id")?,
        customer_id: parse::id(&r.customer_id, "export_licences.customer_id")?,
        quantity_kg: Kg::from_grams(r.quantity_g),
        shipped_kg: Kg::from_grams(r.shipped_g),
        remaining_kg: Kg::from_grams(r.quantity_g.saturating_sub(r.shipped_g)),
        status: status(
            stored == StoredLicenceState::Revoked,
            r.valid_to,
            crate::domain::clock::today(),
        ),
        number: r.number,
        valid_from: r.valid_from,
        valid_to: r.valid_to,
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        version: r.version,
    })
}

fn to_row(l: &ExportLicence) -> Result<LicenceRow, OpError> {
    let grams = |k: Kg, field: &str| {
        k.grams()
            .ok_or_else(|| OpError::field(field, "is out of range"))
    };
    Ok(LicenceRow {
        id: l.id.to_string(),
        number: l.number.clone(),
        product_id: l.product_id.to_string(),
        customer_id: l.customer_id.to_string(),
        quantity_g: grams(l.quantity_kg, "quantity_kg")?,
        shipped_g: grams(l.shipped_kg, "shipped_kg")?,
        valid_from: l.valid_from,
        valid_to: l.valid_to,
        status: if l.revoked() {
            StoredLicenceState::Revoked
        } else {
            StoredLicenceState::Active
        }
        .as_str()
        .into(),
        created_at: parse::naive(l.created_at),
        updated_at: parse::naive(l.updated_at),
        version: l.version,
    })
}

pub fn find(conn: &mut DbConnection, id: LicenceId) -> Result<ExportLicence, OpError> {
    let row = lic::table
        .find(id.to_string())
        .select(LicenceRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| OpError::not_found("export licence"))?;
    to_entity(row)
}

pub fn insert(conn: &mut DbConnection, l: &ExportLicence) -> Result<(), OpError> {
    diesel::insert_into(lic::table)
        .values(&to_row(l)?)
        .execute(conn)?;
    Ok(())
}

pub fn save(
    conn: &mut DbConnection,
    before_version: i64,
    l: &ExportLicence,
) -> Result<(), OpError> {
    crate::versioned::save(conn, "licence", before_version, &to_row(l)?)
}

pub fn number_taken(conn: &mut DbConnection, number: &str) -> Result<bool, OpError> {
    let n: i64 = lic::table
        .filter(lic::number.eq(number))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Draws `grams` from an active licence in one conditional update, so racing shipments can never
/// overdraw it on any number of instances. `false` when not enough remains.
pub fn draw(conn: &mut DbConnection, id: LicenceId, grams: i64) -> Result<bool, OpError> {
    let n = diesel::update(
        lic::table
            .filter(lic::id.eq(id.to_string()))
            .filter(lic::status.eq(StoredLicenceState::Active.as_str()))
            .filter((lic::shipped_g + grams).le(lic::quantity_g)),
    )
    .set((
        lic::shipped_g.eq(lic::shipped_g + grams),
        lic::updated_at.eq(now()),
        lic::version.eq(lic::version + 1),
    ))
    .execute(conn)?;
    Ok(n > 0)
}

pub fn list(
    conn: &mut DbConnection,
    f: &LicenceFilter,
    revoked: Option<bool>,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<ExportLicence>, Option<Cursor>), OpError> {
    let mut q = lic::table.select(LicenceRow::as_select()).into_boxed();
    if let Some(revoked) = revoked {
        let state = if revoked {
            StoredLicenceState::Revoked
        } else {
            StoredLicenceState::Active
        };
        q = q.filter(lic::status.eq(state.as_str()));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(lic::updated_at.ge(t.naive_utc()));
    }
    let rows: Vec<LicenceRow> = after_cursor!(q, lic, cursor, limit).load(conn)?;
    page_of(rows, limit, to_entity)
}
