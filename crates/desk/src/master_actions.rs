//! Actions that end a master record, from its row: revoking an export licence and deactivating
//! a user. Each is asked for behind a disclosure that says what it does, calls the operation
//! behind `POST /api/v1/export-licences/{id}/revoke` or `/users/{id}/deactivate`, and ends with
//! a message saying what happened.

use actix_web::{post, web, HttpResponse};

use crate::domain::{LicenceId, UserId};
use crate::error::{DeskError, FieldError};
use crate::extract::{optional, DeskForm, DeskPath, Fields, FormInput};
use crate::flash;
use crate::ops::action::ActionBody;
use crate::state::AppState;

/// The reason typed (if the action asks for one), with the version the row was shown at.
pub struct ReasonInput(ActionBody);

impl FormInput for ReasonInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<ReasonInput, Vec<FieldError>> {
        Ok(ReasonInput(ActionBody {
            reason: optional(fields, "reason"),
        }))
    }
}

#[post("/licences/{id}/revoke")]
pub async fn revoke_licence(
    state: web::Data<AppState>,
    id: DeskPath<LicenceId>,
    form: DeskForm<ReasonInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let (actor, expect, body) = (
        form.session.actor.clone(),
        form.expect.clone(),
        form.input.0.clone(),
    );
    let licence = state
        .db
        .write(move |c| crate::ops::licences::revoke(c, &actor, id, &expect, &body))
        .await?;
    Ok(flash::done(
        "/licences",
        format!(
            "Licence {} revoked: nothing more ships under it.",
            licence.number
        ),
    ))
}

#[post("/users/{id}/deactivate")]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    id: DeskPath<UserId>,
    form: DeskForm<ReasonInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let (actor, expect) = (form.session.actor.clone(), form.expect.clone());
    let user = state
        .db
        .write(move |c| crate::ops::users::deactivate(c, &actor, id, &expect))
        .await?;
    Ok(flash::done(
        "/users",
        format!("{} deactivated: their sessions have ended.", user.username),
    ))
}
