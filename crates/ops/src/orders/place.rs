//! Order entry's one step: create the order and, when asked, confirm it, in one transaction
//! and at most once per idempotency key. A refused confirmation leaves nothing behind unless
//! the caller asked to keep the draft.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::NewOrder;
use crate::action::ActionRequest;
use crate::db::connection::savepoint;
use crate::db::DbConnection;
use crate::domain::OrderId;
use crate::error::{AtpRefusal, OpError};
use crate::{idempotency, Actor, Expect};

/// How a new order is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Placing {
    /// Saved as a draft.
    Draft,
    /// Confirmed through the ATP gate; a refusal leaves nothing behind.
    Confirm,
    /// Confirmed through the ATP gate; a refusal keeps the order as a draft.
    ConfirmOrKeepDraft,
    /// What fits in the order's month confirmed there, the rest confirmed as a second order in
    /// the first month that covers it (`split`); both or neither.
    Split,
}

/// What placing an order came to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Placement {
    pub order_id: OrderId,
    /// Why the confirmation was refused, when the draft was kept after a refusal.
    pub refusal: Option<AtpRefusal>,
    /// The second order of a split: the rest, in a later month.
    pub moved: Option<OrderId>,
}

/// Creates the order and confirms it as `how` says, under the idempotency key `key`. A
/// refused confirmation without `ConfirmOrKeepDraft` is the ATP refusal (409), and nothing is
/// stored, not even the key, so the same form may be sent again as a draft.
pub fn place(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &str,
    new: NewOrder,
    how: Placing,
) -> Result<Placement, OpError> {
    let digest = idempotency::digest_of(&(&new, how))?;
    idempotency::once(conn, actor, "order-entry", key, &digest, |conn| {
        let confirm = |c: &mut DbConnection, id: OrderId, version: i64| {
            super::confirm(
                c,
                actor,
                id,
                &Expect::version(version),
                &ActionRequest::default(),
            )
        };
        match how {
            Placing::Draft => Ok(Placement {
                order_id: super::create(conn, actor, new)?.id,
                refusal: None,
                moved: None,
            }),
            Placing::Split => {
                let draft = super::create(conn, actor, new)?;
                let split = super::split(
                    conn,
                    actor,
                    draft.id,
                    &Expect::version(draft.version),
                    &super::SplitRequest::default(),
                )?;
                Ok(Placement {
                    order_id: split.kept.id,
                    refusal: None,
                    moved: Some(split.moved.id),
                })
            }
            Placing::Confirm => {
                let draft = super::create(conn, actor, new)?;
                let order = confirm(conn, draft.id, draft.version)?;
                Ok(Placement {
                    order_id: order.id,
                    refusal: None,
                    moved: None,
                })
            }
            Placing::ConfirmOrKeepDraft => {
                let draft = super::create(conn, actor, new)?;
                let refusal = match savepoint(conn, |c| confirm(c, draft.id, draft.version)) {
                    Ok(_) => None,
                    Err(OpError::InsufficientAtp(r)) => Some(r),
                    Err(e) => return Err(e),
                };
                Ok(Placement {
                    order_id: draft.id,
                    refusal,
                    moved: None,
                })
            }
        }
    })
}
