//! Committed volume with its pricing terms, for the pricing exposure report.

use diesel::prelude::*;

use crate::domain::lifecycle::ContractStatus;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::reconciliation::Grams;
use crate::domain::{CustomerId, Period};
use crate::error::OpError;
use crate::parse;
use crate::schema::{contract_lines, contracts, orders};
use crate::DbConnection;

/// Committed volume of one product and month under one set of terms.
pub struct Commitment {
    pub product_id: String,
    pub period: Period,
    pub grams: Grams,
    pub pricing: PricingTerms,
    pub currency: String,
}

type Row = (String, String, Grams, String, String);

/// Committed volume in `from`–`to`, from active and suspended contracts and confirmed orders.
pub fn commitments(
    conn: &mut DbConnection,
    from: Period,
    to: Period,
    customer: Option<CustomerId>,
) -> Result<Vec<Commitment>, OpError> {
    let committed = [
        ContractStatus::Active.as_str(),
        ContractStatus::Suspended.as_str(),
    ];
    let mut contract_query = contract_lines::table
        .inner_join(contracts::table)
        .filter(contracts::status.eq_any(committed))
        .filter(contract_lines::period.ge(from.to_string()))
        .filter(contract_lines::period.le(to.to_string()))
        .into_boxed();
    let mut order_query = orders::table
        .filter(orders::status.eq_any(crate::deliveries::committed_order_statuses()))
        .filter(orders::period.ge(from.to_string()))
        .filter(orders::period.le(to.to_string()))
        .into_boxed();
    if let Some(c) = customer {
        contract_query = contract_query.filter(contracts::customer_id.eq(c.to_string()));
        order_query = order_query.filter(orders::customer_id.eq(c.to_string()));
    }
    let mut rows: Vec<Row> = contract_query
        .select((
            contracts::product_id,
            contract_lines::period,
            contract_lines::quantity_g,
            contracts::pricing_json,
            contracts::currency,
        ))
        .load(conn)?;
    let order_rows: Vec<Row> = order_query
        .select((
            orders::product_id,
            orders::period,
            orders::quantity_g,
            orders::pricing_json,
            orders::currency,
        ))
        .load(conn)?;
    rows.extend(order_rows);
    rows.into_iter()
        .map(|(product_id, period, grams, pricing, currency)| {
            Ok(Commitment {
                period: parse::period(&period, "commitment period")?,
                pricing: parse::json(&pricing, "commitment pricing_json")?,
                product_id,
                grams,
                currency,
            })
        })
        .collect()
}
