//! The contract page's forms: draft terms (version-checked, 412 on a stale tab), lifecycle
//! actions with their reasons, and schedule edits. Each calls the operation the API calls; a
//! refusal shows the page again with the answer's status, its numbers and what was typed.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};

use super::contract::{show, Outcome, ScheduleRow};
use crate::domain::lifecycle::ContractAction;
use crate::domain::ContractId;
use crate::error::{DeskError, FieldError, OpError, Refusal};
use crate::extract::{field, optional, ActionInput, DeskForm, DeskPath, Fields, FormInput};
use crate::flash;
use crate::ops::action::ActionRequest;
use crate::ops::contracts::{self, ContractPatch, ScheduleReplacement};
use crate::state::AppState;

/// The answer to a refused form: the contract page again, with the refusal and what was
/// typed; a refusal no form can show (a role, a missing contract, no database) is its page.
async fn refused(
    state: &web::Data<AppState>,
    form: &DeskForm<impl FormInput>,
    id: ContractId,
    e: OpError,
    reason: String,
    schedule: Option<Vec<ScheduleRow>>,
) -> Result<HttpResponse, DeskError> {
    let refusal = Refusal::of(e)?;
    let status = refusal.status();
    show(
        state,
        &form.session,
        id,
        status,
        Outcome::refused(refusal, reason, schedule),
    )
    .await
}

/// A draft's terms as the page edits them.
pub struct TermsInput(ContractPatch);

impl FormInput for TermsInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<TermsInput, Vec<FieldError>> {
        Ok(TermsInput(ContractPatch {
            payment_terms: Some(field(fields, "payment_terms").to_string()),
            incoterm_place: Some(field(fields, "incoterm_place").to_string()),
            ..Default::default()
        }))
    }
}

/// Saves a draft contract's terms from the page. The form carries the version it was opened
/// at: if someone saved in between (another tab, another user), nothing is overwritten and
/// the answer says so (412).
#[post("/contracts/{id}")]
pub async fn save_contract(
    state: web::Data<AppState>,
    id: DeskPath<ContractId>,
    form: DeskForm<TermsInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let (actor, expect) = (form.session.actor.clone(), form.expect.clone());
    let patch = ContractPatch {
        payment_terms: form.input.0.payment_terms.clone(),
        incoterm_place: form.input.0.incoterm_place.clone(),
        ..Default::default()
    };
    match state
        .db
        .write(move |c| contracts::update(c, &actor, id, &expect, patch))
        .await
    {
        Ok(c) => Ok(flash::done(
            &format!("/contracts/{id}"),
            format!("Terms of {} saved.", c.number),
        )),
        Err(e) => refused(&state, &form, id, e, String::new(), None).await,
    }
}

/// A lifecycle action from the page: activate (with the ATP gate), suspend, resume,
/// complete, or terminate (with a reason).
#[post("/contracts/{id}/{action}")]
pub async fn contract_action(
    state: web::Data<AppState>,
    path: DeskPath<(ContractId, String)>,
    form: DeskForm<ActionInput>,
) -> Result<HttpResponse, DeskError> {
    let (id, name) = path.into_inner();
    let action = ContractAction::parse(&name)
        .ok_or_else(|| DeskError::NotFound("there is no such contract action".into()))?;
    let cmd = form.input.0.clone();
    let (actor, expect) = (form.session.actor.clone(), form.expect.clone());
    let reason = cmd.reason.clone().unwrap_or_default();
    let done = state
        .db
        .write(move |c| {
            let run = match action {
                ContractAction::Activate => contracts::activate,
                ContractAction::Suspend => contracts::suspend,
                ContractAction::Resume => contracts::resume,
                ContractAction::Complete => contracts::complete,
                ContractAction::Terminate => contracts::terminate,
            };
            run(c, &actor, id, &expect, &cmd)
        })
        .await;
    match done {
        Ok(c) => Ok(flash::done(
            &format!("/contracts/{id}"),
            format!("Contract {} {}.", c.number, action.past()),
        )),
        Err(e) => refused(&state, &form, id, e, reason, None).await,
    }
}

/// The most schedule lines a form may carry (the API's bound).
const MAX_LINES: usize = 240;

/// The schedule editor's form: its lines as typed (blank lines dropped), a reason and the
/// override.
pub struct ScheduleInput {
    rows: Vec<ScheduleRow>,
    cmd: ActionRequest,
}

impl FormInput for ScheduleInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<ScheduleInput, Vec<FieldError>> {
        Ok(ScheduleInput {
            rows: typed_schedule(fields),
            cmd: ActionRequest {
                reason: optional(fields, "reason"),
                atp_override: field(fields, "override") == "true",
            },
        })
    }
}

/// The schedule lines a form holds, as typed (blank lines dropped).
fn typed_schedule(fields: &Fields) -> Vec<ScheduleRow> {
    (0..MAX_LINES)
        .map(|i| ScheduleRow {
            index: i,
            period: field(fields, &format!("period_{i}")).to_string(),
            quantity_kg: field(fields, &format!("quantity_kg_{i}")).to_string(),
        })
        .filter(|r| !(r.period.is_empty() && r.quantity_kg.is_empty()))
        .enumerate()
        .map(|(index, r)| ScheduleRow { index, ..r })
        .collect()
}

/// The replacement the form describes, for the operation the API runs, read by the API's
/// own types; a field error names the form's input (`quantity_kg_2`).
fn replacement_of(
    rows: &[ScheduleRow],
    cmd: &ActionRequest,
) -> Result<ScheduleReplacement, OpError> {
    let body = serde_json::json!({
        "schedule": rows.iter().map(|r| serde_json::json!({
            "period": r.period, "quantity_kg": crate::numbers::for_api(&r.quantity_kg),
        })).collect::<Vec<_>>(),
        "reason": cmd.reason,
        "override": cmd.atp_override,
    });
    crate::form::parse(body, input_of)
}

/// The form input of an API field path: `schedule[2].quantity_kg` → `quantity_kg_2`.
fn input_of(path: &str) -> String {
    let Some(rest) = path.strip_prefix("schedule[") else {
        return path.to_string();
    };
    match rest.split_once("].") {
        Some((i, member)) => format!("{member}_{i}"),
        None => "schedule".into(),
    }
}

/// Saves a draft's schedule, or amends an active contract's with a reason; growth above ATP
/// is refused with its numbers and nothing changes.
#[post("/contracts/{id}/schedule")]
pub async fn replace_schedule(
    state: web::Data<AppState>,
    id: DeskPath<ContractId>,
    form: DeskForm<ScheduleInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let rows = form.input.rows.clone();
    let reason = form.input.cmd.reason.clone().unwrap_or_default();
    let replacement = match replacement_of(&rows, &form.input.cmd) {
        Ok(r) => r,
        Err(e) => return refused(&state, &form, id, e, reason, Some(rows)).await,
    };
    let (actor, expect) = (form.session.actor.clone(), form.expect.clone());
    let done = state
        .db
        .write(move |c| contracts::replace_schedule(c, &actor, id, &expect, replacement))
        .await;
    match done {
        Ok(c) => Ok(flash::done(
            &format!("/contracts/{id}"),
            format!(
                "Schedule of {} saved: {} months, {} kg in all.",
                c.number,
                c.schedule.len(),
                crate::view::kg(c.total_kg.display())
            ),
        )),
        Err(e) => {
            let refusal = Refusal::of(e)?.renamed(input_of);
            let status: StatusCode = refusal.status();
            show(
                &state,
                &form.session,
                id,
                status,
                Outcome::refused(refusal, reason, Some(rows)),
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_name_the_form_inputs() {
        assert_eq!(input_of("schedule[2].quantity_kg"), "quantity_kg_2");
        assert_eq!(input_of("schedule[0].period"), "period_0");
        assert_eq!(input_of("schedule"), "schedule");
        assert_eq!(input_of("reason"), "reason");
    }

    #[test]
    fn blank_schedule_lines_are_dropped_and_the_rest_renumbered() {
        let f: Fields = [
            ("period_0", "2027-01"),
            ("quantity_kg_0", "10"),
            ("period_1", ""),
            ("quantity_kg_1", ""),
            ("period_2", "2027-02"),
            ("quantity_kg_2", "5"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let rows = typed_schedule(&f);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].index, rows[1].period.as_str()), (1, "2027-02"));
    }
}
