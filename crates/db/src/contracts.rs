//! The `contracts`, `contract_lines` and `contract_amendments` tables.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::contract::ContractFilter;
use crate::domain::contract::{Amendment, Contract, ScheduleLine};
use crate::domain::lifecycle::ContractStatus;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::worklist::{like_prefix, ContractSort, Worklist};
use crate::domain::ContractId;
use crate::domain::{Kg, KgAmount, Percent, Price};
use crate::error::OpError;
use crate::page::{after_cursor, page_rows, Cursor};
use crate::parse;
use crate::rows::ContractRow;
use crate::schema::{contract_amendments as amend, contract_lines, contracts};
use crate::worklist::{by_code, numbered_page, sort_by, then_by, CodeOf, ListSearch};
use crate::DbConnection;

crate::master::ref_taken!(contracts, ContractId);

fn to_entity(r: ContractRow, lines: Vec<(String, i64)>) -> Result<Contract, OpError> {
    let schedule = lines
        .into_iter()
        .map(|(p, g)| {
            Ok(ScheduleLine {
                period: parse::period(&p, "contract_lines.period")?,
                quantity_kg: Kg::from_grams(g),
            })
        })
        .collect::<Result<Vec<_>, OpError>>()?;
    let mut c = Contract {
        fulfilment: None,
        id: parse::id(&r.id, "contracts.id")?,
        customer_id: parse::id(&r.customer_id, "contracts.customer_id")?,
        product_id: parse::id(&r.product_id, "contracts.product_id")?,
        start_period: parse::period(&r.start_period, "contracts.start_period")?,
        end_period: parse::period(&r.end_period, "contracts.end_period")?,
        schedule: Vec::new(),
        total_kg: KgAmount::from_grams(0),
        tolerance_pct: Percent::from_milli(r.tolerance_milli_pct),
        pricing: parse::json::<PricingTerms>(&r.pricing_json, "contracts.pricing_json")?,
        addon_premium: r.addon_premium_e4.map(Price::from_units),
        status: parse::status(&r.status, "contracts.status", ContractStatus::parse)?,
        number: r.number,
        incoterm: r.incoterm,
        incoterm_place: r.incoterm_place,
        currency: r.currency,
        payment_terms: r.payment_terms,
        priority: r.priority,
        external_ref: r.external_ref,
        created_at: parse::utc(r.created_at),
        updated_at: parse::utc(r.updated_at),
        version: r.version,
        ended_period: r
            .ended_period
            .as_deref()
            .map(|p| parse::period(p, "contracts.ended_period"))
            .transpose()?,
        quality_terms: parse::json(&r.quality_terms_json, "contracts.quality_terms_json")?,
        provisional_payment_pct: Percent::from_milli(r.provisional_payment_milli_pct),
    };
    c.set_schedule(schedule);
    Ok(c)
}

fn to_row(c: &Contract) -> Result<ContractRow, OpError> {
    let tolerance = c
        .tolerance_pct
        .milli()
        .ok_or_else(|| OpError::field("tolerance_pct", "must be between 0 and 100"))?;
    let premium = match c.addon_premium {
        Some(p) => Some(
            p.units()
                .ok_or_else(|| OpError::field("addon_premium", "is out of range"))?,
        ),
        None => None,
    };
    Ok(ContractRow {
        id: c.id.to_string(),
        number: c.number.clone(),
        customer_id: c.customer_id.to_string(),
        product_id: c.product_id.to_string(),
        start_period: c.start_period.to_string(),
        end_period: c.end_period.to_string(),
        tolerance_milli_pct: tolerance,
        incoterm: c.incoterm.clone(),
        incoterm_place: c.incoterm_place.clone(),
        currency: c.currency.clone(),
        payment_terms: c.payment_terms.clone(),
        pricing_json: serde_json::to_string(&c.pricing).map_err(OpError::unexpected)?,
        addon_premium_e4: premium,
        priority: c.priority,
        status: c.status.as_str().into(),
        external_ref: c.external_ref.clone(),
        created_at: parse::naive(c.created_at),
        updated_at: parse::naive(c.updated_at),
        version: c.version,
        ended_period: c.ended_period.map(|p| p.to_string()),
        quality_terms_json: serde_json::to_string(&c.quality_terms).map_err(OpError::unexpected)?,
        provisional_payment_milli_pct: c
            .provisional_payment_pct
            .milli()
            .ok_or_else(|| OpError::field("provisional_payment_pct", "is out of range"))?,
    })
}

fn lines_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<BTreeMap<String, Vec<(String, i64)>>, OpError> {
    let rows: Vec<(String, String, i64)> = contract_lines::table
        .filter(contract_lines::contract_id.eq_any(ids))
        .order(contract_lines::period.asc())
        .select((
            contract_lines::contract_id,
            contract_lines::period,
            contract_lines::quantity_g,
        ))
        .load(conn)?;
    let mut out: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    for (id, p, g) in rows {
        out.entry(id).or_default().push((p, g));
    }
    Ok(out)
}

fn with_lines(conn: &mut DbConnection, rows: Vec<ContractRow>) -> Result<Vec<Contract>, OpError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut lines = lines_of(conn, &ids)?;
    rows.into_iter()
        .map(|r| {
            let mine = lines.remove(&r.id).unwrap_or_default();
            to_entity(r, mine)
        })
        .collect()
}

pub fn find(conn: &mut DbConnection, id: ContractId) -> Result<Contract, OpError> {
    let row = contracts::table
        .find(id.to_string())
        .select(ContractRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| OpError::not_found("contract"))?;
    with_lines(conn, vec![row])?
        .pop()
        .ok_or_else(|| OpError::not_found("contract"))
}

pub fn find_by_ref(
    conn: &mut DbConnection,
    external_ref: &str,
) -> Result<Option<Contract>, OpError> {
    let row = contracts::table
        .filter(contracts::external_ref.eq(external_ref))
        .select(ContractRow::as_select())
        .first(conn)
        .optional()?;
    match row {
        Some(r) => Ok(with_lines(conn, vec![r])?.pop()),
        None => Ok(None),
    }
}

fn write_lines(conn: &mut DbConnection, c: &Contract) -> Result<(), OpError> {
    let id = c.id.to_string();
    diesel::delete(contract_lines::table.filter(contract_lines::contract_id.eq(&id)))
        .execute(conn)?;
    for line in &c.schedule {
        let grams = line
            .quantity_kg
            .grams()
            .ok_or_else(|| OpError::field("schedule", "a quantity is out of range"))?;
        diesel::insert_into(contract_lines::table)
            .values((
                contract_lines::contract_id.eq(&id),
                contract_lines::period.eq(line.period.to_string()),
                contract_lines::quantity_g.eq(grams),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut DbConnection, c: &Contract) -> Result<(), OpError> {
    diesel::insert_into(contracts::table)
        .values(&to_row(c)?)
        .execute(conn)?;
    write_lines(conn, c)
}

/// Writes a changed contract if it is still at `before_version` (412 otherwise), and its
/// schedule when `schedule_changed`.
pub fn save(
    conn: &mut DbConnection,
    before_version: i64,
    c: &Contract,
    schedule_changed: bool,
) -> Result<(), OpError> {
    crate::versioned::save(conn, "contract", before_version, &to_row(c)?)?;
    if schedule_changed {
        write_lines(conn, c)?;
    }
    Ok(())
}

/// Whether another contract than `id` has this number.
pub fn number_taken(
    conn: &mut DbConnection,
    number: &str,
    id: ContractId,
) -> Result<bool, OpError> {
    let n: i64 = contracts::table
        .filter(contracts::number.eq(number))
        .filter(contracts::id.ne(id.to_string()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Applies a contract filter to a boxed query of the `contracts` table, whatever it selects.
macro_rules! filtered {
    ($q:expr, $f:expr) => {{
        let f: &ContractFilter = $f;
        let mut q = $q;
        if let Some(s) = f.status {
            q = q.filter(contracts::status.eq(s.as_str()));
        }
        if let Some(c) = f.customer_id {
            q = q.filter(contracts::customer_id.eq(c.to_string()));
        }
        if let Some(p) = f.product_id {
            q = q.filter(contracts::product_id.eq(p.to_string()));
        }
        if let Some(from) = f.from {
            q = q.filter(contracts::end_period.ge(from.to_string()));
        }
        if let Some(to) = f.to {
            q = q.filter(contracts::start_period.le(to.to_string()));
        }
        if let Some(n) = &f.number {
            q = q.filter(contracts::number.eq(n.clone()));
        }
        if let Some(e) = &f.external_ref {
            q = q.filter(contracts::external_ref.eq(e.clone()));
        }
        if let Some(t) = f.updated_since {
            q = q.filter(contracts::updated_at.ge(t.naive_utc()));
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    f: &ContractFilter,
    limit: i64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<Contract>, Option<Cursor>), OpError> {
    let q = filtered!(
        contracts::table
            .select(ContractRow::as_select())
            .into_boxed(),
        f
    );
    let rows: Vec<ContractRow> = after_cursor!(q, contracts, cursor, limit).load(conn)?;
    let (rows, next) = page_rows(rows, limit);
    Ok((with_lines(conn, rows)?, next))
}

/// One page of contracts, filtered, searched by number or external reference and sorted by any
/// column, with the count of all that match.
pub fn worklist(
    conn: &mut DbConnection,
    f: &ContractFilter,
    s: &ListSearch<ContractSort>,
) -> Result<Worklist<Contract>, OpError> {
    macro_rules! searched {
        ($q:expr) => {{
            let mut q = filtered!($q, f);
            if let Some(term) = s.term() {
                q = q.filter(
                    contracts::number
                        .like(like_prefix(&term.to_uppercase()))
                        .escape('\\')
                        .or(contracts::external_ref.like(like_prefix(term)).escape('\\')),
                );
            }
            q
        }};
    }
    let q = searched!(contracts::table
        .select(ContractRow::as_select())
        .into_boxed());
    let d = s.dir;
    let q = match s.sort {
        ContractSort::Number => sort_by!(q, d, contracts::number),
        ContractSort::Start => sort_by!(q, d, contracts::start_period),
        ContractSort::End => sort_by!(q, d, contracts::end_period),
        ContractSort::Status => sort_by!(q, d, contracts::status),
        ContractSort::Updated => sort_by!(q, d, contracts::updated_at),
        ContractSort::Customer => q.order(by_code("contracts", CodeOf::Customer, d)),
        ContractSort::Product => q.order(by_code("contracts", CodeOf::Product, d)),
    };
    let count = searched!(contracts::table.count().into_boxed());
    let (rows, total): (Vec<ContractRow>, i64) =
        numbered_page!(conn, count, q, contracts, s.paging, d);
    Ok(Worklist {
        items: with_lines(conn, rows)?,
        total,
        page: s.paging.page,
        per_page: s.paging.per_page,
    })
}

/// A contract as a choice names it: no schedule, no totals.
#[derive(Debug, Clone)]
pub struct ContractLabel {
    pub id: ContractId,
    pub number: String,
    pub customer_id: crate::domain::CustomerId,
    pub product_id: crate::domain::ProductId,
    pub start_period: crate::domain::Period,
    pub end_period: crate::domain::Period,
    pub status: ContractStatus,
    pub pricing: PricingTerms,
    pub currency: String,
}

/// The most contract labels a choice offers.
pub const MAX_LABELS: i64 = 1000;

/// Contracts by number (of one status when given), as choices name them: one query on the
/// contracts table alone.
pub fn labels(
    conn: &mut DbConnection,
    status: Option<ContractStatus>,
) -> Result<Vec<ContractLabel>, OpError> {
    let mut q = contracts::table
        .select((
            contracts::id,
            contracts::number,
            contracts::customer_id,
            contracts::product_id,
            contracts::start_period,
            contracts::end_period,
            contracts::status,
            contracts::pricing_json,
            contracts::currency,
        ))
        .order(contracts::number.asc())
        .limit(MAX_LABELS)
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(contracts::status.eq(s.as_str()));
    }
    type Label = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    );
    let rows: Vec<Label> = q.load(conn)?;
    rows.into_iter()
        .map(
            |(id, number, customer, product, start, end, status, pricing, currency)| {
                Ok(ContractLabel {
                    id: parse::id(&id, "contracts.id")?,
                    number,
                    customer_id: parse::id(&customer, "contracts.customer_id")?,
                    product_id: parse::id(&product, "contracts.product_id")?,
                    start_period: parse::period(&start, "contracts.start_period")?,
                    end_period: parse::period(&end, "contracts.end_period")?,
                    status: parse::status(&status, "contracts.status", ContractStatus::parse)?,
                    pricing: parse::json::<PricingTerms>(&pricing, "contracts.pricing_json")?,
                    currency,
                })
            },
        )
        .collect()
}

/// Records an amendment of an active contract's schedule.
pub fn insert_amendment(conn: &mut DbConnection, a: &Amendment) -> Result<(), OpError> {
    diesel::insert_into(amend::table)
        .values((
            amend::id.eq(a.id.to_string()),
            amend::contract_id.eq(a.contract_id.to_string()),
            amend::actor.eq(&a.actor),
            amend::reason.eq(&a.reason),
            amend::old_schedule_json
                .eq(serde_json::to_string(&a.old_schedule).map_err(OpError::unexpected)?),
            amend::new_schedule_json
                .eq(serde_json::to_string(&a.new_schedule).map_err(OpError::unexpected)?),
            amend::atp_override.eq(a.atp_override),
            amend::at.eq(parse::naive(a.at)),
        ))
        .execute(conn)?;
    Ok(())
}

type AmendmentRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    NaiveDateTime,
);

/// A contract's amendments, oldest first.
pub fn amendments(
    conn: &mut DbConnection,
    contract_id: ContractId,
) -> Result<Vec<Amendment>, OpError> {
    let rows: Vec<AmendmentRow> = amend::table
        .filter(amend::contract_id.eq(contract_id.to_string()))
        .order(amend::at.asc())
        .select((
            amend::id,
            amend::contract_id,
            amend::actor,
            amend::reason,
            amend::old_schedule_json,
            amend::new_schedule_json,
            amend::atp_override,
            amend::at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            Ok(Amendment {
                id: parse::uuid(&r.0, "contract_amendments.id")?,
                contract_id: parse::id(&r.1, "contract_amendments.contract_id")?,
                actor: r.2,
                reason: r.3,
                old_schedule: parse::json(&r.4, "contract_amendments.old_schedule_json")?,
                new_schedule: parse::json(&r.5, "contract_amendments.new_schedule_json")?,
                atp_override: r.6,
                at: parse::utc(r.7),
            })
        })
        .collect()
}
