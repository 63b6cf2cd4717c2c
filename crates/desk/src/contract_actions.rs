//! The contract page's forms: draft terms (version-checked, 412 on a stale tab), lifecycle
//! actions with their reasons, and schedule edits. Each calls the operation the API calls; a
//! refusal re-renders the page with the answer's status and its numbers.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};

use super::contract::{show, Notice, Outcome, ScheduleRow};
use super::form::{parse, renamed, Fields};
use super::page;
use super::session::{self, Session};
use super::view;
use crate::domain::lifecycle::ContractAction;
use crate::domain::ContractId;
use crate::domain::Permission;
use crate::error::{AtpRefusal, OpError};
use crate::ops::action::ActionRequest;
use crate::ops::contracts::{self, ScheduleReplacement};
use crate::state::AppState;

fn field(f: &Fields, name: &str) -> String {
    super::form::field(f, name).to_string()
}

/// The ATP refusal in words, with its numbers.
fn refusal_notice(r: &AtpRefusal) -> Notice {
    Notice {
        title: "Not saved: not enough available to promise.".into(),
        lines: vec![
            format!(
                "{}: requested {} kg, available {} kg.",
                view::month(r.period),
                view::kg(r.requested.display()),
                view::kg(r.available.display())
            ),
            format!(
                "It would leave {} short. A planner or admin may override with a reason.",
                view::month(r.first_short_period)
            ),
        ],
    }
}

/// A refused form's answer: the page again, with what went wrong and what was typed.
async fn refused_form(
    state: &web::Data<AppState>,
    session: &Session,
    id: ContractId,
    e: OpError,
    mut outcome: Outcome,
) -> HttpResponse {
    let status = match e {
        OpError::InsufficientAtp(r) => {
            outcome.notice = Some(refusal_notice(&r));
            StatusCode::CONFLICT
        }
        OpError::Validation(errors) => {
            outcome.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        OpError::PreconditionFailed(_) => {
            return page::refused(
                StatusCode::PRECONDITION_FAILED,
                "This contract was changed since you opened it; nothing was overwritten. Reload it to see the changes, then try again.",
            )
        }
        OpError::Forbidden(why) => return page::forbidden(&why),
        OpError::NotFound(why) => return page::refused(StatusCode::NOT_FOUND, &why),
        OpError::Unavailable(_) => return page::database_away(),
        other => {
            outcome.notice = Some(Notice {
                title: "Not saved.".into(),
                lines: vec![other.to_string()],
            });
            StatusCode::CONFLICT
        }
    };
    show(state, session, id, status, outcome).await
}

fn action_request(fields: &Fields) -> ActionRequest {
    ActionRequest {
        reason: Some(field(fields, "reason")).filter(|r| !r.is_empty()),
        atp_override: field(fields, "override") == "true",
    }
}

/// Saves a draft contract's terms from the page. The form carries the version it was opened
/// at: if someone saved in between (another tab, another user), nothing is overwritten and
/// the answer says so (412).
#[post("/contracts/{id}")]
pub async fn save_contract(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<ContractId>,
    body: web::Form<Fields>,
) -> HttpResponse {
    let fields = body.into_inner();
    let session = match session::for_form(&req, &state, &field(&fields, "csrf")).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let Some(expect) = super::form::version(&fields) else {
        return page::no_version();
    };
    let id = id.into_inner();
    let patch = contracts::ContractPatch {
        payment_terms: Some(field(&fields, "payment_terms")),
        incoterm_place: Some(field(&fields, "incoterm_place")),
        ..Default::default()
    };
    let actor = session.actor.clone();
    let saved = state
        .db
        .write(move |c| contracts::update(c, &actor, id, &expect, patch))
        .await;
    match saved {
        Ok(_) => page::see_other(&format!("/contracts/{id}")).finish(),
        Err(e) => refused_form(&state, &session, id, e, Outcome::default()).await,
    }
}

/// A lifecycle action from the page: activate (with the ATP gate), suspend, resume,
/// complete, or terminate (with a reason).
#[post("/contracts/{id}/{action}")]
pub async fn contract_action(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(ContractId, String)>,
    body: web::Form<Fields>,
) -> HttpResponse {
    let fields = body.into_inner();
    let session = match session::for_form(&req, &state, &field(&fields, "csrf")).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let role = session.actor.role;
    if !role.allows(Permission::WriteContracts) && !role.allows(Permission::OverrideAtp) {
        return page::forbidden("your role does not change contracts");
    }
    let (id, name) = path.into_inner();
    if name == "schedule" {
        return replace_schedule(&state, &session, id, &fields).await;
    }
    let Some(action) = ContractAction::parse(&name) else {
        return page::refused(StatusCode::NOT_FOUND, "there is no such contract action");
    };
    let Some(expect) = super::form::version(&fields) else {
        return page::no_version();
    };
    let cmd = action_request(&fields);
    let reason = cmd.reason.clone().unwrap_or_default();
    let actor = session.actor.clone();
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
        Ok(_) => page::see_other(&format!("/contracts/{id}")).finish(),
        Err(e) => {
            let outcome = Outcome {
                reason,
                ..Outcome::default()
            };
            refused_form(&state, &session, id, e, outcome).await
        }
    }
}

/// The most schedule lines a form may carry (the API's bound).
const MAX_LINES: usize = 240;

/// The schedule lines a form holds, as typed (blank lines dropped).
fn typed_schedule(fields: &Fields) -> Vec<ScheduleRow> {
    (0..MAX_LINES)
        .map(|i| ScheduleRow {
            index: i,
            period: field(fields, &format!("period_{i}")),
            quantity_kg: field(fields, &format!("quantity_kg_{i}")),
        })
        .filter(|r| !(r.period.is_empty() && r.quantity_kg.is_empty()))
        .enumerate()
        .map(|(index, r)| ScheduleRow { index, ..r })
        .collect()
}

/// The replacement the form describes, for the operation the API runs; a field error names
/// the form's input (`quantity_kg_2`).
fn replacement_of(
    rows: &[ScheduleRow],
    cmd: &ActionRequest,
) -> Result<ScheduleReplacement, OpError> {
    let body = serde_json::json!({
        "schedule": rows.iter().map(|r| serde_json::json!({
            "period": r.period, "quantity_kg": r.quantity_kg,
        })).collect::<Vec<_>>(),
        "reason": cmd.reason,
        "override": cmd.atp_override,
    });
    parse(body, |path, _| input_of(path))
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

async fn replace_schedule(
    state: &web::Data<AppState>,
    session: &Session,
    id: ContractId,
    fields: &Fields,
) -> HttpResponse {
    let Some(expect) = super::form::version(fields) else {
        return page::no_version();
    };
    let cmd = action_request(fields);
    let rows = typed_schedule(fields);
    let outcome = |rows: Vec<ScheduleRow>| Outcome {
        reason: cmd.reason.clone().unwrap_or_default(),
        schedule: Some(rows),
        ..Outcome::default()
    };
    let replacement = match replacement_of(&rows, &cmd) {
        Ok(r) => r,
        Err(e) => return refused_form(state, session, id, e, outcome(rows)).await,
    };
    let actor = session.actor.clone();
    let done = state
        .db
        .write(move |c| contracts::replace_schedule(c, &actor, id, &expect, replacement))
        .await;
    match done {
        Ok(_) => page::see_other(&format!("/contracts/{id}")).finish(),
        Err(e) => refused_form(state, session, id, renamed(e, input_of), outcome(rows)).await,
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
