//! The order page's actions: submit, confirm (with a planner's override), reject and cancel
//! with a reason, edit a draft, move it to a month that fits, split it. Each calls the operation
//! behind its API twin (`POST /api/v1/orders/{id}/…`, `PATCH /api/v1/orders/{id}`) and ends on
//! the order page with a message saying what happened, or with why not.

use actix_web::{post, web, HttpResponse};

use crate::domain::order::Order;
use crate::domain::{OrderId, Period};
use crate::error::{DeskError, FieldError, OpError, Refusal};
use crate::extract::{
    field, optional, ActionInput, DeskForm, DeskPath, DeskSession, Fields, FormInput,
};
use crate::flash;
use crate::ops::action::ActionRequest;
use crate::ops::orders::{self, MoveRequest, SplitRequest};
use crate::ops::{Actor, Conn, Expect};
use crate::order_page::show;
use crate::page;
use crate::state::AppState;
use crate::view;

/// Where the browser goes after a confirmation was refused: the order page, with the
/// refusal's numbers.
pub fn refused_location(id: OrderId, r: &crate::error::AtpRefusal) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("refused", "1")
        .append_pair("requested", &r.requested.display().to_string())
        .append_pair("available", &r.available.display().to_string())
        .append_pair("first_short", &r.first_short_period.to_string());
    format!("/orders/{id}?{}", q.finish())
}

/// The answer to a refused action: the ATP refusal's numbers on the order page, a stale page's
/// 412, field errors shown on the page; what no form can show is the desk's error page.
async fn refused(
    state: &web::Data<AppState>,
    session: &DeskSession,
    id: OrderId,
    e: OpError,
) -> Result<HttpResponse, DeskError> {
    match Refusal::of(e)? {
        Refusal::Atp(r) => Ok(page::see_other(&refused_location(id, &r)).finish()),
        Refusal::Stale => Err(DeskError::Stale),
        other => {
            let status = other.status();
            show(
                state,
                session,
                id,
                &Fields::new(),
                status,
                other.errors_for("order"),
            )
            .await
        }
    }
}

/// Runs an order operation for a posted form (as its user, at the version the page was opened
/// at), then goes back to the order saying what happened (`said`), or shows why not.
async fn act<R: Send + 'static>(
    state: &web::Data<AppState>,
    (session, expect): (&DeskSession, Expect),
    id: OrderId,
    op: impl FnOnce(&mut Conn, &Actor, &Expect) -> Result<R, OpError> + Send + 'static,
    said: impl FnOnce(R) -> String,
) -> Result<HttpResponse, DeskError> {
    let actor = session.actor.clone();
    match state.db.write(move |c| op(c, &actor, &expect)).await {
        Ok(done) => Ok(flash::done(&format!("/orders/{id}"), said(done))),
        Err(e) => refused(state, session, id, e).await,
    }
}

/// The lifecycle actions of the order page: submit, confirm, reject and cancel.
#[post("/orders/{id}/{action}")]
pub async fn order_action(
    state: web::Data<AppState>,
    path: DeskPath<(OrderId, String)>,
    form: DeskForm<ActionInput>,
) -> Result<HttpResponse, DeskError> {
    let (id, action) = path.into_inner();
    type Run = fn(&mut Conn, &Actor, OrderId, &Expect, &ActionRequest) -> Result<Order, OpError>;
    let (run, said): (Run, &str) = match action.as_str() {
        "submit" => (
            orders::submit,
            "submitted: ready for confirmation, still not promised",
        ),
        "confirm" => (
            orders::confirm,
            "confirmed: the quantity is promised and counts as demand",
        ),
        "reject" => (orders::reject, "rejected; the customer's request is closed"),
        "cancel" => (
            orders::cancel,
            "cancelled; any confirmed quantity is available to promise again",
        ),
        _ => return Err(DeskError::NotFound("there is no such order action".into())),
    };
    let cmd = form.input.0;
    act(
        &state,
        (&form.session, form.expect),
        id,
        move |c, actor, expect| run(c, actor, id, expect, &cmd),
        |o| format!("Order {} {said}.", o.number),
    )
    .await
}

/// A draft's month, quantity, Incoterm and reference as the page edits them.
pub struct EditInput(orders::OrderPatch);

impl FormInput for EditInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<EditInput, Vec<FieldError>> {
        let body = serde_json::json!({
            "period": field(fields, "period"),
            "quantity_kg": crate::numbers::for_api(field(fields, "quantity_kg")),
            "incoterm": field(fields, "incoterm"),
            "incoterm_place": field(fields, "incoterm_place"),
            "external_ref": optional(fields, "external_ref"),
        });
        crate::form::parse(body, |f| f.to_string())
            .map(EditInput)
            .map_err(|e| match e {
                OpError::Validation(errors) => errors,
                other => vec![FieldError::new("order", other.to_string())],
            })
    }
}

#[post("/orders/{id}/edit")]
pub async fn edit_order(
    state: web::Data<AppState>,
    id: DeskPath<OrderId>,
    form: DeskForm<EditInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let patch = form.input.0;
    act(
        &state,
        (&form.session, form.expect),
        id,
        move |c, actor, expect| orders::update(c, actor, id, expect, patch),
        |o| {
            format!(
                "Draft {} saved: {} kg in {}.",
                o.number,
                view::kg_of(o.quantity_kg),
                view::month(o.period)
            )
        },
    )
    .await
}

/// Move: the month to confirm the order in (by default the first that takes it).
pub struct MoveInput(MoveRequest);

impl FormInput for MoveInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<MoveInput, Vec<FieldError>> {
        Ok(MoveInput(MoveRequest {
            period: Period::parse(field(fields, "period")),
            reason: optional(fields, "reason"),
        }))
    }
}

#[post("/orders/{id}/move")]
pub async fn move_order(
    state: web::Data<AppState>,
    id: DeskPath<OrderId>,
    form: DeskForm<MoveInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let req = form.input.0;
    act(
        &state,
        (&form.session, form.expect),
        id,
        move |c, actor, expect| orders::move_and_confirm(c, actor, id, expect, &req),
        |o| {
            format!(
                "Order {} moved to {} and confirmed.",
                o.number,
                view::month(o.period)
            )
        },
    )
    .await
}

/// Split: what fits stays in the month, the rest goes to the first month that takes it.
pub struct SplitInput(SplitRequest);

impl FormInput for SplitInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<SplitInput, Vec<FieldError>> {
        Ok(SplitInput(SplitRequest {
            reason: optional(fields, "reason"),
            ..SplitRequest::default()
        }))
    }
}

#[post("/orders/{id}/split")]
pub async fn split_order(
    state: web::Data<AppState>,
    id: DeskPath<OrderId>,
    form: DeskForm<SplitInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let req = form.input.0;
    act(
        &state,
        (&form.session, form.expect),
        id,
        move |c, actor, expect| orders::split(c, actor, id, expect, &req),
        |s| {
            format!(
                "Split and confirmed: {} kg in {} on {}, {} kg in {} on the new order {}.",
                view::kg_of(s.kept.quantity_kg),
                view::month(s.kept.period),
                s.kept.number,
                view::kg_of(s.moved.quantity_kg),
                view::month(s.moved.period),
                s.moved.number
            )
        },
    )
    .await
}
