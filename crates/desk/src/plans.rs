//! Production plans: the versions, and a plan's lines with — for a draft — the impact of
//! approving it (months newly short, the orders at risk with their customers, projected stock
//! and shortfall before and after) and the approval, which asks for confirmation. The same
//! operations as `GET /api/v1/production-plans…/impact` and `…/approve`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use super::list_csv::desk_csv_of_one;
use super::page;
use super::view;
use crate::domain::lifecycle::PlanStatus;
use crate::domain::product::Product;
use crate::domain::KgAmount;
use crate::domain::PlanId;
use crate::domain::ProductId;
use crate::error::OpError;
use crate::error::{DeskError, FieldError};
use crate::extract::{field, optional, DeskForm, DeskPath, DeskSession, Fields, FormInput};
use crate::layout::User;
use crate::ops::action::ActionBody;
use crate::ops::detail_csv::PlanLinesCsv as _;
use crate::ops::plans::{self, PlanFilter, PlanImpact};
use crate::ops::reconciliation::OrderAtRisk;
use crate::ops::{Capabilities, Conn};
use crate::state::AppState;

pub struct PlanRow {
    pub id: String,
    pub version_no: i64,
    pub status: String,
    pub note: String,
    pub lines: usize,
    pub approved: String,
}

#[derive(askama::Template)]
#[template(path = "plans.html")]
struct PlansPage {
    user: User,
    plans: Vec<PlanRow>,
    can_plan: bool,
}

#[get("/plans")]
pub async fn plans_page(
    session: DeskSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DeskError> {
    let f = PlanFilter {
        limit: Some(100),
        ..Default::default()
    };
    let found = state.db.read(move |c| plans::list(c, &f)).await?;
    let mut rows: Vec<PlanRow> = found
        .items
        .iter()
        .map(|p| PlanRow {
            id: p.id.to_string(),
            version_no: p.version_no,
            status: view::text(&p.status),
            note: p.note.clone(),
            lines: p.lines.len(),
            approved: match (&p.approved_at, &p.approved_by) {
                (Some(at), Some(by)) => format!("{} by {by}", at.format("%Y-%m-%d %H:%M UTC")),
                _ => String::new(),
            },
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.version_no));
    Ok(page::render(
        StatusCode::OK,
        &PlansPage {
            can_plan: Capabilities::of(&session.actor).write_plans,
            user: User::of(&session),
            plans: rows,
        },
    ))
}

pub struct AtRisk {
    pub id: String,
    pub number: String,
    pub customer: String,
    /// The short month that puts it at risk.
    pub short_month: String,
    pub month: String,
    pub kg: String,
}

pub struct MonthRow {
    pub month: String,
    pub newly_short: bool,
    pub stock_before: String,
    pub stock_after: String,
    pub short_before: String,
    pub short_after: String,
}

pub struct ProductView {
    pub code: String,
    pub new_short: String,
    pub at_risk: Vec<AtRisk>,
    pub rows: Vec<MonthRow>,
}

pub struct LineView {
    pub product: String,
    pub month: String,
    pub kg: String,
}

#[derive(askama::Template)]
#[template(path = "plan.html")]
struct PlanPage {
    user: User,
    id: String,
    version_no: i64,
    version: i64,
    status: String,
    note: String,
    is_draft: bool,
    can_approve: bool,
    /// What approving does, in words.
    approval: String,
    products: Vec<ProductView>,
    lines: Vec<LineView>,
}

type Loaded = (
    crate::domain::production::ProductionPlan,
    Option<PlanImpact>,
    HashMap<ProductId, Product>,
    Vec<OrderAtRisk>,
);

fn load(conn: &mut Conn, id: PlanId) -> Result<Loaded, OpError> {
    let plan = plans::get(conn, id)?;
    let draft = plan.status == PlanStatus::Draft;
    let impact = if draft {
        Some(plans::impact(conn, id)?)
    } else {
        None
    };
    let mut products = HashMap::new();
    for l in &plan.lines {
        if let std::collections::hash_map::Entry::Vacant(slot) = products.entry(l.product_id) {
            let p: Product = crate::ops::master::get(conn, l.product_id)?;
            slot.insert(p);
        }
    }
    let orders = match &impact {
        Some(i) => plans::named_orders_at_risk(conn, &plan, i)?.items,
        None => Vec::new(),
    };
    Ok((plan, impact, products, orders))
}

#[get("/plans/{id}")]
pub async fn plan_page(
    session: DeskSession,
    state: web::Data<AppState>,
    id: DeskPath<PlanId>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let (plan, impact, products, orders) = state.db.read(move |c| load(c, id)).await?;
    let may = plans::allowed_actions(&session.actor, &plan);
    let code = |pid: ProductId| {
        products
            .get(&pid)
            .map(|p| p.code.clone())
            .unwrap_or_else(|| pid.to_string())
    };
    let product_views: Vec<ProductView> = impact
        .iter()
        .flat_map(|i| i.products.iter())
        .map(|p| {
            let before: HashMap<String, &crate::ops::reconciliation::ReconciliationRow> = p
                .rows_before
                .iter()
                .map(|r| (r.period.to_string(), r))
                .collect();
            let zero = KgAmount::from_grams(0);
            ProductView {
                code: code(p.product_id),
                new_short: p
                    .new_shortfall_periods
                    .iter()
                    .map(|m| view::month(*m))
                    .collect::<Vec<_>>()
                    .join(", "),
                at_risk: orders
                    .iter()
                    .filter(|o| o.product_id == p.product_id)
                    .map(|o| AtRisk {
                        id: o.order_id.to_string(),
                        number: o.number.clone(),
                        customer: format!("{} — {}", o.customer_code, o.customer_name),
                        short_month: view::month(o.short_period),
                        month: view::month(o.period),
                        kg: view::kg(o.quantity_kg.display()),
                    })
                    .collect(),
                rows: p
                    .rows
                    .iter()
                    .map(|after| {
                        let b = before.get(&after.period.to_string());
                        MonthRow {
                            month: view::month(after.period),
                            newly_short: p.new_shortfall_periods.contains(&after.period),
                            stock_before: view::kg(
                                b.map_or(zero, |r| r.projected_stock_kg).display(),
                            ),
                            stock_after: view::kg(after.projected_stock_kg.display()),
                            short_before: view::kg(b.map_or(zero, |r| r.shortfall_kg).display()),
                            short_after: view::kg(after.shortfall_kg.display()),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let is_draft = impact.is_some();
    let approval = approval_consequence(plan.version_no, &product_views, orders.len());
    Ok(page::render(
        StatusCode::OK,
        &PlanPage {
            user: User::of(&session),
            id: plan.id.to_string(),
            version_no: plan.version_no,
            version: plan.version,
            status: view::text(&plan.status),
            note: plan.note.clone(),
            is_draft,
            can_approve: may.approve,
            approval,
            products: product_views,
            lines: plan
                .lines
                .iter()
                .map(|l| LineView {
                    product: code(l.product_id),
                    month: view::month(l.period),
                    kg: view::kg(KgAmount::from(l.planned_kg).display()),
                })
                .collect(),
        },
    ))
}

/// What approving a draft does, said before it is done: the supply it replaces, the months it
/// makes short and the orders it puts at risk, and who hears of it.
fn approval_consequence(version_no: i64, products: &[ProductView], at_risk: usize) -> String {
    let codes: Vec<&str> = products.iter().map(|p| p.code.as_str()).collect();
    let newly_short: Vec<String> = products
        .iter()
        .filter(|p| !p.new_short.is_empty())
        .map(|p| format!("{} ({})", p.code, p.new_short))
        .collect();
    let risk = if newly_short.is_empty() {
        "No month becomes short.".to_string()
    } else {
        format!(
            "Months become short: {}; {} confirmed order-month{} would be at risk.",
            newly_short.join("; "),
            at_risk,
            if at_risk == 1 { "" } else { "s" }
        )
    };
    format!(
        "Approving makes version {version_no} the plan of record for {}: its months replace the supply of the versions before it, and available-to-promise changes at once for every order entered from now on. {risk} Planners and sales see it on the desk; the ERP hears of it through the change feed and its webhooks.",
        if codes.is_empty() { "its products".to_string() } else { codes.join(", ") }
    )
}

/// The approval form: the tick that says the impact was reviewed, and an optional reason.
pub struct ApprovalInput(ActionBody);

impl FormInput for ApprovalInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<ApprovalInput, Vec<FieldError>> {
        if field(fields, "confirm") != "yes" {
            return Err(vec![FieldError::new(
                "confirm",
                "tick the box to confirm you reviewed the impact before approving",
            )]);
        }
        Ok(ApprovalInput(ActionBody {
            reason: optional(fields, "reason"),
        }))
    }
}

#[post("/plans/{id}/approve")]
pub async fn approve_plan(
    state: web::Data<AppState>,
    id: DeskPath<PlanId>,
    form: DeskForm<ApprovalInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let (actor, expect, body) = (
        form.session.actor.clone(),
        form.expect.clone(),
        form.input.0.clone(),
    );
    state
        .db
        .write(move |c| plans::approve(c, &actor, id, &expect, &body))
        .await?;
    Ok(crate::flash::done(
        &format!("/plans/{id}"),
        "Plan approved: it is now the plan of record, and available-to-promise follows it.",
    ))
}

desk_csv_of_one!(
    /// The impact table as CSV: `GET /api/v1/production-plans/{id}/impact.csv`.
    impact_csv,
    "/plans/{id}/impact.csv",
    PlanId,
    |c, id| Ok(plans::impact(c, id)?.csv())
);

desk_csv_of_one!(
    /// The orders at risk after approval as CSV:
    /// `GET /api/v1/production-plans/{id}/orders-at-risk.csv`.
    orders_at_risk_csv,
    "/plans/{id}/orders-at-risk.csv",
    PlanId,
    |c, id| Ok(plans::orders_at_risk(c, id)?.csv())
);

desk_csv_of_one!(
    /// The plan's lines as CSV: `GET /api/v1/production-plans/{id}/lines.csv`.
    lines_csv,
    "/plans/{id}/lines.csv",
    PlanId,
    |c, id| Ok(plans::get(c, id)?.lines_csv())
);
