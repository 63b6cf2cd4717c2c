//! The two monthly-quantity tables, `production_actuals` and `stock_snapshots`: one product's
//! quantity in one month, created or replaced, with a version.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::production::{MonthlyKind, MonthlyQuantity};
use crate::domain::ProductId;
use crate::domain::{Kg, Period};
use crate::error::{OpError, Stale};
use crate::parse;
use crate::schema::{production_actuals, stock_snapshots};
use crate::{now, DbConnection};

type Row = (String, String, i64, NaiveDateTime, NaiveDateTime, i64);

fn to_entity(r: Row) -> Result<MonthlyQuantity, OpError> {
    Ok(MonthlyQuantity {
        product_id: parse::id(&r.0, "monthly.product_id")?,
        period: parse::period(&r.1, "monthly.period")?,
        quantity: Kg::from_grams(r.2),
        created_at: parse::utc(r.3),
        updated_at: parse::utc(r.4),
        version: r.5,
    })
}

/// The same statements on either table.
macro_rules! monthly_table {
    ($module:ident, $t:ident, $qty:ident) => {
        mod $module {
            use super::*;

            pub fn find(
                conn: &mut DbConnection,
                product: &str,
                period: &str,
            ) -> QueryResult<Option<Row>> {
                $t::table
                    .find((product, period))
                    .select((
                        $t::product_id,
                        $t::period,
                        $t::$qty,
                        $t::created_at,
                        $t::updated_at,
                        $t::version,
                    ))
                    .first(conn)
                    .optional()
            }

            pub fn insert(
                conn: &mut DbConnection,
                product: &str,
                period: &str,
                grams: i64,
            ) -> QueryResult<usize> {
                let at = now();
                diesel::insert_into($t::table)
                    .values((
                        $t::product_id.eq(product),
                        $t::period.eq(period),
                        $t::$qty.eq(grams),
                        $t::created_at.eq(at),
                        $t::updated_at.eq(at),
                        $t::version.eq(1),
                    ))
                    .execute(conn)
            }

            pub fn update(
                conn: &mut DbConnection,
                product: &str,
                period: &str,
                grams: i64,
                version: i64,
            ) -> QueryResult<usize> {
                diesel::update(
                    $t::table
                        .find((product, period))
                        .filter($t::version.eq(version)),
                )
                .set((
                    $t::$qty.eq(grams),
                    $t::updated_at.eq(now()),
                    $t::version.eq(version + 1),
                ))
                .execute(conn)
            }

            pub fn list(
                conn: &mut DbConnection,
                product: Option<&str>,
                from: Option<&str>,
                to: Option<&str>,
            ) -> QueryResult<Vec<Row>> {
                let mut q = $t::table
                    .select((
                        $t::product_id,
                        $t::period,
                        $t::$qty,
                        $t::created_at,
                        $t::updated_at,
                        $t::version,
                    ))
                    .into_boxed();
                if let Some(p) = product {
                    q = q.filter($t::product_id.eq(p.to_string()));
                }
                if let Some(f) = from {
                    q = q.filter($t::period.ge(f.to_string()));
                }
                if let Some(t) = to {
                    q = q.filter($t::period.le(t.to_string()));
                }
                q.order(($t::period.asc(), $t::product_id.asc()))
                    .limit(MAX_LIST)
                    .load(conn)
            }

            pub fn for_product(
                conn: &mut DbConnection,
                product: &str,
            ) -> QueryResult<Vec<(String, i64)>> {
                $t::table
                    .filter($t::product_id.eq(product))
                    .select(($t::period, $t::$qty))
                    .load(conn)
            }
        }
    };
}

monthly_table!(actuals, production_actuals, actual_g);
monthly_table!(snapshots, stock_snapshots, quantity_g);

/// Most rows a monthly list answers.
pub const MAX_LIST: i64 = 10_000;

pub fn find(
    conn: &mut DbConnection,
    kind: MonthlyKind,
    product: ProductId,
    period: Period,
) -> Result<Option<MonthlyQuantity>, OpError> {
    let (p, m) = (product.to_string(), period.to_string());
    let row = match kind {
        MonthlyKind::Actual => actuals::find(conn, &p, &m)?,
        MonthlyKind::Snapshot => snapshots::find(conn, &p, &m)?,
    };
    row.map(to_entity).transpose()
}

/// Creates the month's quantity, or replaces it if still at `existing_version` (412 otherwise).
pub fn put(
    conn: &mut DbConnection,
    kind: MonthlyKind,
    product: ProductId,
    period: Period,
    grams: i64,
    existing_version: Option<i64>,
) -> Result<MonthlyQuantity, OpError> {
    let (p, m) = (product.to_string(), period.to_string());
    let written = match (kind, existing_version) {
        (MonthlyKind::Actual, None) => actuals::insert(conn, &p, &m, grams)?,
        (MonthlyKind::Snapshot, None) => snapshots::insert(conn, &p, &m, grams)?,
        (MonthlyKind::Actual, Some(v)) => actuals::update(conn, &p, &m, grams, v)?,
        (MonthlyKind::Snapshot, Some(v)) => snapshots::update(conn, &p, &m, grams, v)?,
    };
    if written == 0 {
        return Err(OpError::PreconditionFailed(Stale::Concurrent {
            what: "month",
        }));
    }
    find(conn, kind, product, period)?
        .ok_or_else(|| OpError::unexpected("a written month vanished"))
}

pub fn list(
    conn: &mut DbConnection,
    kind: MonthlyKind,
    product: Option<ProductId>,
    from: Option<Period>,
    to: Option<Period>,
) -> Result<Vec<MonthlyQuantity>, OpError> {
    let p = product.map(|p| p.to_string());
    let (f, t) = (from.map(|f| f.to_string()), to.map(|t| t.to_string()));
    let rows = match kind {
        MonthlyKind::Actual => actuals::list(conn, p.as_deref(), f.as_deref(), t.as_deref())?,
        MonthlyKind::Snapshot => snapshots::list(conn, p.as_deref(), f.as_deref(), t.as_deref())?,
    };
    rows.into_iter().map(to_entity).collect()
}

/// One product's quantities by month.
pub fn for_product(
    conn: &mut DbConnection,
    kind: MonthlyKind,
    product: &str,
) -> Result<Vec<(Period, i64)>, OpError> {
    let rows = match kind {
        MonthlyKind::Actual => actuals::for_product(conn, product)?,
        MonthlyKind::Snapshot => snapshots::for_product(conn, product)?,
    };
    rows.into_iter()
        .map(|(p, g)| Ok((parse::period(&p, "monthly.period")?, g)))
        .collect()
}
