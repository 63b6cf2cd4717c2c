//! The `products` table.

use diesel::prelude::*;

use crate::domain::product::Product;
use crate::domain::product::ProductFilter;
use crate::domain::reference::{MasterStatus, ProductForm};
use crate::domain::Percent;
use crate::domain::ProductId;
use crate::error::OpError;
use crate::page::{after_cursor, page_of, Cursor};
use crate::parse;
use crate::rows::ProductRow;
use crate::schema::products;
use crate::DbConnection;

crate::master::master_repo!(products, ProductRow, Product, ProductId, "product");
crate::master::ref_taken!(products, ProductRow, Product, ProductId);

fn to_entity(r: ProductRow) -> Result<Product, OpError> {
    Ok(Product {
        id: parse::id(&r.id, "products.id")?,
        status: parse::status(&r.status, "products.status", MasterStatus::parse)?,
        form: parse::status(&r.form, "products.form", ProductForm::parse)?,
        min_purity_pct: r.min_purity_milli_pct.map(Percent::from_milli),
        code: r.code,
        name: r.name,
        hs_code: r.hs_code,
        export_controlled: r.export_controlled,
        external_ref: r.external_ref,
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        version: r.version,
    })
}

fn to_row(p: &Product) -> Result<ProductRow, OpError> {
    let purity = match p.min_purity_pct {
        Some(pct) => Some(
            pct.milli()
                .ok_or_else(|| OpError::field("min_purity_pct", "must be between 0 and 100"))?,
        ),
        None => None,
    };
    Ok(ProductRow {
        id: p.id.to_string(),
        code: p.code.clone(),
        name: p.name.clone(),
        form: p.form.as_str().into(),
        min_purity_milli_pct: purity,
        hs_code: p.hs_code.clone(),
        export_controlled: p.export_controlled,
        external_ref: p.external_ref.clone(),
        status: p.status.as_str().into(),
        created_at: parse::naive(p.created_at),
        updated_at: parse::naive(p.updated_at),
        version: p.version,
    })
}

pub fn list(
    conn: &mut DbConnection,
    f: &ProductFilter,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<Product>, Option<Cursor>), OpError> {
    let mut q = products::table.select(ProductRow::as_select()).into_boxed();
    if let Some(s) = f.status {
        q = q.filter(products::status.eq(s.as_str()));
    }
    if let Some(form) = f.form {
        q = q.filter(products::form.eq(form.as_str()));
    }
    if let Some(x) = f.export_controlled {
        q = q.filter(products::export_controlled.eq(x));
    }
    if let Some(c) = &f.code {
        q = q.filter(products::code.eq(c.clone()));
    }
    if let Some(e) = &f.external_ref {
        q = q.filter(products::external_ref.eq(e.clone()));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(products::updated_at.ge(t.naive_utc()));
    }
    let rows: Vec<ProductRow> = after_cursor!(q, products, cursor, limit).load(conn)?;
    page_of(rows, limit, to_entity)
}

/// Id and code of the active products, by code.
pub fn active_codes(conn: &mut DbConnection) -> Result<Vec<(ProductId, String)>, OpError> {
    let rows: Vec<(String, String)> = products::table
        .filter(products::status.eq(MasterStatus::Active.as_str()))
        .order(products::code.asc())
        .select((products::id, products::code))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, code)| Ok((parse::id(&id, "products.id")?, code)))
        .collect()
}

/// Code of every product by id.
pub fn codes(
    conn: &mut DbConnection,
) -> Result<std::collections::BTreeMap<String, String>, OpError> {
    Ok(products::table
        .select((products::id, products::code))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// Which of `ids` are products.
pub fn existing(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<std::collections::BTreeSet<String>, OpError> {
    Ok(products::table
        .filter(products::id.eq_any(ids))
        .select(products::id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// Whether shipping the product needs an export licence.
pub fn export_controlled(conn: &mut DbConnection, id: ProductId) -> Result<bool, OpError> {
    Ok(products::table
        .find(id.to_string())
        .select(products::export_controlled)
        .first(conn)?)
}
