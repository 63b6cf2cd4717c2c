//! The draft line editor: a new plan version starts from the lines of the version it revises
//! (the latest by default), lets a planner change, add or clear lines, and saves a draft
//! through the operation behind `POST /api/v1/production-plans`. The draft's page then shows
//! the impact of approving it.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use super::form::parse;
use super::page;
use super::view;
use crate::domain::production::ProductionPlan;
use crate::domain::reference::MasterStatus;
use crate::domain::PlanId;
use crate::error::{DeskError, FieldError, Refusal};
use crate::extract::{field, DeskForm, DeskQuery, DeskSession, Fields, FormInput, IdempotencyKey};
use crate::layout::User;
use crate::ops::master::product::ProductFilter;
use crate::ops::plans::{self, NewPlan, PlanFilter};
use crate::ops::Capabilities;
use crate::state::AppState;

pub struct ProductChoice {
    pub id: String,
    pub code: String,
}

#[derive(Debug, Clone)]
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
    session: &DeskSession,
    status: StatusCode,
    from: Option<ProductionPlan>,
    typed: Option<(String, Vec<LineRow>)>,
    errors: Vec<FieldError>,
    idempotency_key: IdempotencyKey,
) -> Result<HttpResponse, DeskError> {
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
        .await?;
    let (note, lines) = typed.unwrap_or_else(|| {
        (
            from.as_ref()
                .map(|p| format!("Revision of version {}", p.version_no))
                .unwrap_or_default(),
            rows_of(from.as_ref()),
        )
    });
    Ok(page::render(
        status,
        &EditorPage {
            user: User::of(session),
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
            idempotency_key: idempotency_key.to_string(),
        },
    ))
}

#[get("/plans/new")]
pub async fn new_plan(
    session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    if !Capabilities::of(&session.actor).write_plans {
        return Err(DeskError::Forbidden(
            "your role does not plan production".into(),
        ));
    }
    let from = PlanId::parse(field(&query.0, "from"));
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
        .await?;
    editor(
        &state,
        &session,
        StatusCode::OK,
        base,
        None,
        Vec::new(),
        IdempotencyKey::fresh(),
    )
    .await
}

/// The editor as posted: the note and lines as typed.
pub struct PlanInput {
    note: String,
    lines: Vec<LineRow>,
}

impl FormInput for PlanInput {
    const IDEMPOTENT: bool = true;

    fn parse(fields: &Fields) -> Result<PlanInput, Vec<FieldError>> {
        Ok(PlanInput {
            note: field(fields, "note").to_string(),
            lines: typed_lines(fields),
        })
    }
}

#[post("/plans")]
pub async fn create_plan(
    state: web::Data<AppState>,
    form: DeskForm<PlanInput>,
) -> Result<HttpResponse, DeskError> {
    let (note, lines) = (form.input.note.clone(), form.input.lines.clone());
    let body = serde_json::json!({
        "note": note,
        "lines": lines.iter().map(|l| serde_json::json!({
            "product_id": l.product_id, "period": l.period, "planned_kg": crate::numbers::for_api(&l.planned_kg),
        })).collect::<Vec<_>>(),
    });
    let key = form
        .key
        .clone()
        .unwrap_or_else(|| IdempotencyKey::kept_or_fresh(&form.fields));
    let created = match parse::<NewPlan>(body, input_of) {
        Ok(new) => {
            let actor = form.session.actor.clone();
            let k = key.to_string();
            state
                .db
                .write(move |c| plans::create_once(c, &actor, &k, new))
                .await
        }
        Err(e) => Err(e),
    };
    match created {
        Ok(id) => Ok(crate::flash::done(
            &format!("/plans/{id}"),
            "Draft plan saved. Review its impact below before approving it.",
        )),
        Err(e) => {
            let refusal = Refusal::of(e)?.renamed(input_of);
            editor(
                &state,
                &form.session,
                refusal.status(),
                None,
                Some((note, lines)),
                refusal.errors_for("note"),
                key,
            )
            .await
        }
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
