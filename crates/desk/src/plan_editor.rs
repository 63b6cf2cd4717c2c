//! The draft line editor: a new plan version starts from the lines of the version it revises
//! (the latest by default), lets a planner change, add or clear lines, and saves a draft
//! through the operation behind `POST /api/v1/production-plans`. The draft's page then shows
//! the impact of approving it.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::desk::{user, User};
use super::form::{field, parse, renamed, Fields};
use super::page;
use super::session::{self, Session};
use super::view;
use crate::domain::production::ProductionPlan;
use crate::domain::reference::MasterStatus;
use crate::domain::Permission;
use crate::domain::PlanId;
use crate::error::{FieldError, OpError};
use crate::ops::master::product::ProductFilter;
use crate::ops::plans::{self, NewPlan, PlanFilter};
use crate::state::AppState;

pub struct ProductChoice {
    pub id: String,
    pub code: String,
}

pub struct LineRow {
    pub index: usize,
    pub product_id: String,
    pub period: String,
    pub planned_kg: String,
}

#[derive(askama::Template)]
#[template(path = "plan_new.html")]
struct EditorPage {
    user: User,
    from: Option<i64>,
    products: Vec<ProductChoice>,
    note: String,
    lines: Vec<LineRow>,
    errors: Vec<FieldError>,
    idempotency_key: String,
}

/// Blank lines the editor offers for new months.
const BLANK_ROWS: usize = 6;

fn rows_of(plan: Option<&ProductionPlan>) -> Vec<LineRow> {
    let mut rows: Vec<LineRow> = plan
        .map(|p| p.lines.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(index, l)| LineRow {
            index,
            product_id: l.product_id.to_string(),
            period: l.period.to_string(),
            planned_kg: view::text(&l.planned_kg),
        })
        .collect();
    let n = rows.len();
    rows.extend((n..n + BLANK_ROWS).map(|index| LineRow {
        index,
        product_id: String::new(),
        period: String::new(),
        planned_kg: String::new(),
    }));
    rows
}

/// The lines a form holds, as typed (blank lines dropped, the rest renumbered).
fn typed_lines(f: &Fields) -> Vec<LineRow> {
    (0..plans::MAX_LINES + BLANK_ROWS)
        .map_while(|i| {
            f.get(&format!("period_{i}"))?;
            Some(LineRow {
                index: i,
                product_id: field(f, &format!("product_id_{i}")).to_string(),
                period: field(f, &format!("period_{i}")).to_string(),
                planned_kg: field(f, &format!("planned_kg_{i}")).to_string(),
            })
        })
        .filter(|r| !(r.period.is_empty() && r.planned_kg.is_empty()))
        .enumerate()
        .map(|(index, r)| LineRow { index, ..r })
        .collect()
}

/// The form input of an API field path: `lines[2].planned_kg` → `planned_kg_2`.
fn input_of(path: &str) -> String {
    match path
        .strip_prefix("lines[")
        .and_then(|rest| rest.split_once("]."))
    {
        Some((i, member)) => format!("{member}_{i}"),
        None if path.starts_with("lines") => "period_0".into(),
        None => path.to_string(),
    }
}

async fn editor(
    state: &web::Data<AppState>,
    session: &Session,
    status: StatusCode,
    from: Option<ProductionPlan>,
    typed: Option<(String, Vec<LineRow>)>,
    errors: Vec<FieldError>,
    idempotency_key: String,
) -> HttpResponse {
    let products = state
        .db
        .read(|c| {
            crate::ops::master::product::list(
                c,
                &ProductFilter {
                    limit: Some(500),
                    status: Some(MasterStatus::Active),
                    ..Default::default()
                },
            )
        })
        .await;
    let Ok(products) = products else {
        return page::database_away();
    };
    let (note, lines) = typed.unwrap_or_else(|| {
        (
            from.as_ref()
                .map(|p| format!("Revision of version {}", p.version_no))
                .unwrap_or_default(),
            rows_of(from.as_ref()),
        )
    });
    page::render(
        status,
        &EditorPage {
            user: user(session),
            from: from.map(|p| p.version_no),
            products: products
                .items
                .into_iter()
                .map(|p| ProductChoice {
                    id: p.id.to_string(),
                    code: p.code,
                })
                .collect(),
            note,
            lines,
            errors,
            idempotency_key,
        },
    )
}

#[get("/plans/new")]
pub async fn new_plan(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<Fields>,
) -> HttpResponse {
    let Some(session) = session::current(&req, &state).await else {
        return page::see_other("/login").finish();
    };
    if !session.actor.role.allows(Permission::WritePlans) {
        return page::forbidden("your role does not plan production");
    }
    let from = PlanId::parse(field(&query, "from"));
    let base = state
        .db
        .read(move |c| match from {
            Some(id) => plans::get(c, id).map(Some),
            None => Ok(plans::list(
                c,
                &PlanFilter {
                    limit: Some(500),
                    ..Default::default()
                },
            )?
            .items
            .into_iter()
            .max_by_key(|p| p.version_no)),
        })
        .await;
    match base {
        Ok(base) => {
            let key = super::form::fresh_key();
            editor(
                &state,
                &session,
                StatusCode::OK,
                base,
                None,
                Vec::new(),
                key,
            )
            .await
        }
        Err(OpError::NotFound(why)) => page::refused(StatusCode::NOT_FOUND, &why),
        Err(_) => page::database_away(),
    }
}

#[post("/plans")]
pub async fn create_plan(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Form<Fields>,
) -> HttpResponse {
    let fields = body.into_inner();
    let session = match session::for_form(&req, &state, field(&fields, "csrf")).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    if !session.actor.role.allows(Permission::WritePlans) {
        return page::forbidden("your role does not plan production");
    }
    let note = field(&fields, "note").to_string();
    let lines = typed_lines(&fields);
    let body = serde_json::json!({
        "note": note,
        "lines": lines.iter().map(|l| serde_json::json!({
            "product_id": l.product_id, "period": l.period, "planned_kg": l.planned_kg,
        })).collect::<Vec<_>>(),
    });
    let Some(key) = super::form::idempotency_key(&fields) else {
        return page::no_idempotency_key();
    };
    let created = match parse::<NewPlan>(body, |p, _| input_of(p)) {
        Ok(new) => {
            let actor = session.actor.clone();
            let posted = fields.clone();
            state
                .db
                .write(move |c| {
                    super::form::once(c, &actor, &key, &posted, |c| {
                        let plan = plans::create(c, &actor, new)?;
                        Ok(format!("/plans/{}", plan.id))
                    })
                })
                .await
                .map_err(|e| renamed(e, input_of))
        }
        Err(e) => Err(e),
    };
    match created {
        Ok(location) => page::see_other(&location).finish(),
        Err(OpError::Validation(errors)) => {
            editor(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some((note, lines)),
                errors,
                super::form::key_for(&fields),
            )
            .await
        }
        Err(OpError::Forbidden(why)) => page::forbidden(&why),
        Err(_) => page::database_away(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_name_the_editor_inputs() {
        assert_eq!(input_of("lines[3].planned_kg"), "planned_kg_3");
        assert_eq!(input_of("lines"), "period_0");
        assert_eq!(input_of("note"), "note");
    }

    #[test]
    fn typed_lines_stop_at_the_form_end_and_drop_blanks() {
        let f: Fields = [
            ("period_0", "2027-01"),
            ("planned_kg_0", "10"),
            ("product_id_0", "p"),
            ("period_1", ""),
            ("planned_kg_1", ""),
            ("period_2", "2027-02"),
            ("planned_kg_2", "0"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let rows = typed_lines(&f);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].index, rows[1].planned_kg.as_str()), (1, "0"));
    }
}
