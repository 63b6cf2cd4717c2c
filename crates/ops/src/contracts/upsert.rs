//! `PUT /contracts/by-ref/{external_ref}`: the ERP's contract under its own reference.

use super::create::{create, NewContract};
use super::update::{update, ContractPatch};
use crate::db::{contracts, DbConnection};
use crate::domain::contract::{Contract, ContractTerms};
use crate::domain::Permission;
use crate::error::OpError;
use crate::upsert::{self, check_body_ref, check_path_ref, same, ByRef, Outcome};
use crate::{Actor, Expect};

/// Creates the contract as a draft under this reference, or brings the stored contract's
/// terms in line while it is a draft. Once active, a request that would change its terms is
/// refused (409): its schedule changes through `PUT /contracts/{id}/schedule` as an amendment,
/// and its status through the lifecycle actions. Roles: admin, sales.
pub fn upsert(
    conn: &mut DbConnection,
    actor: &Actor,
    external_ref: &str,
    expect: &Expect,
    new: NewContract,
) -> Result<(Contract, Outcome), OpError> {
    actor.require(Permission::WriteContracts)?;
    check_path_ref(external_ref)?;
    check_body_ref(new.external_ref.as_deref(), external_ref)?;
    let new = NewContract {
        external_ref: Some(external_ref.to_string()),
        ..new
    };
    let (number, wanted) = new.clone().terms();
    upsert::upsert(
        conn,
        ByRef {
            expect,
            find: |c: &mut DbConnection| contracts::find_by_ref(c, external_ref),
            create: |c: &mut DbConnection| create(c, actor, new),
            update: |c: &mut DbConnection, stored: &Contract| {
                if number.as_ref().is_some_and(|n| *n != stored.number) {
                    return Err(OpError::conflict(format!(
                        "the contract under this reference is numbered {}; a number never changes",
                        stored.number
                    )));
                }
                let mut candidate = stored.clone();
                candidate.set_terms(wanted.clone());
                if same(stored, &candidate) {
                    return Ok(None);
                }
                update(
                    c,
                    actor,
                    stored.id,
                    &Expect::version(stored.version),
                    patch(wanted),
                )
                .map(Some)
            },
        },
    )
}

fn patch(t: ContractTerms) -> ContractPatch {
    ContractPatch {
        customer_id: Some(t.customer_id),
        product_id: Some(t.product_id),
        start_period: Some(t.start_period),
        end_period: Some(t.end_period),
        schedule: Some(t.schedule),
        tolerance_pct: Some(t.tolerance_pct),
        incoterm: Some(t.incoterm),
        incoterm_place: Some(t.incoterm_place),
        currency: Some(t.currency),
        payment_terms: Some(t.payment_terms),
        pricing: Some(t.pricing),
        addon_premium: Some(t.addon_premium),
        priority: Some(t.priority),
        external_ref: Some(t.external_ref),
        quality_terms: Some(t.quality_terms),
        provisional_payment_pct: Some(t.provisional_payment_pct),
    }
}
