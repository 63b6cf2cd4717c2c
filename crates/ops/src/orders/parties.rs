//! Who and what an order refers to: its customer, its product and, for an add-on, its contract.

use crate::db::{contracts, DbConnection};
use crate::domain::contract::Contract;
use crate::domain::lifecycle::ContractStatus;
use crate::domain::Period;
use crate::domain::{ContractId, CustomerId, ProductId};
use crate::error::{FieldError, OpError};
use crate::references::{customer_problem, product_problem};

/// What an order refers to.
pub struct Parties {
    pub customer_id: CustomerId,
    pub product_id: ProductId,
    pub contract_id: Option<ContractId>,
    pub period: Period,
}

/// Checks the customer and product, and for an add-on order its contract: active, same
/// customer and product, term covering the month. Hands back the contract when it fits.
pub fn check(
    conn: &mut DbConnection,
    p: &Parties,
) -> Result<(Vec<FieldError>, Option<Contract>), OpError> {
    let mut errors = Vec::new();
    errors.extend(customer_problem(conn, p.customer_id, "customer_id")?);
    errors.extend(product_problem(conn, p.product_id, "product_id")?);
    let Some(contract_id) = p.contract_id else {
        return Ok((errors, None));
    };
    let c = match contracts::find(conn, contract_id) {
        Err(OpError::NotFound(_)) => {
            errors.push(FieldError::new("contract_id", "no such contract"));
            return Ok((errors, None));
        }
        other => other?,
    };
    let before = errors.len();
    if c.status != ContractStatus::Active {
        errors.push(FieldError::new(
            "contract_id",
            format!("the contract is {}, not active", c.status.as_str()),
        ));
    }
    if c.customer_id != p.customer_id || c.product_id != p.product_id {
        errors.push(FieldError::new(
            "contract_id",
            "the contract is for another customer or product",
        ));
    }
    let contract_fits = errors.len() == before;
    if !c.covers(p.period) {
        errors.push(FieldError::new(
            "period",
            format!(
                "must lie within the contract term {}–{}",
                c.start_period, c.end_period
            ),
        ));
    }
    Ok((errors, contract_fits.then_some(c)))
}

impl Parties {
    pub fn of(o: &crate::domain::order::Order) -> Parties {
        Parties {
            customer_id: o.customer_id,
            product_id: o.product_id,
            contract_id: o.contract_id,
            period: o.period,
        }
    }
}
