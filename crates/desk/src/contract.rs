//! The contract page: terms, a fulfilment chart with the tolerance band, the fulfilment and
//! pricing tables, amendments, add-on orders and the audit trail, with the actions the role
//! may take (lifecycle with reasons, schedule edits, draft terms, a new add-on order). It reads
//! the same operations as `GET /api/v1/contracts/{id}/…`; the forms post to `contract_actions`.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use rust_decimal::Decimal;

use super::fulfilment_chart::{fulfilment_chart, FulfilmentMonth};
use super::list_csv::desk_csv_of_one;
use super::page;
use super::view;
use crate::domain::contract::{Amendment, Contract};
use crate::domain::customer::Customer;
use crate::domain::feed::AuditEntry;
use crate::domain::lifecycle::{ContractAction, OrderType};
use crate::domain::order::Order;
use crate::domain::product::Product;
use crate::domain::ContractId;
use crate::domain::KgAmount;
use crate::error::{AtpRefusal, FieldError, OpError};
use crate::error::{DeskError, Refusal};
use crate::extract::{DeskPath, DeskSession};
use crate::layout::User;
use crate::ops::contracts::{self, ContractActions, ContractPricing, Fulfilment};
use crate::ops::feed::AuditFilter;
use crate::ops::orders::OrderFilter;
use crate::state::AppState;

pub struct ContractView {
    pub number: String,
    pub status: &'static str,
    pub customer: String,
    pub product: String,
    pub months: String,
    pub total: String,
    pub tolerance: String,
    pub pricing: String,
    pub incoterm: String,
    pub payment: String,
}

pub struct FulfilmentView {
    pub month: String,
    pub scheduled: String,
    pub addon: String,
    pub shipped: String,
    pub delivered: String,
    pub remaining: String,
    pub status: String,
}

pub struct PricingView {
    pub month: String,
    pub quantity: String,
    pub unit_price: String,
    pub status: String,
    pub basis: String,
    pub value: String,
}

pub struct EditView {
    pub payment_terms: String,
    pub incoterm_place: String,
}

pub struct AmendmentView {
    pub at: String,
    pub actor: String,
    pub reason: String,
    pub before: String,
    pub after: String,
    pub overridden: bool,
}

pub struct AddOnView {
    pub id: String,
    pub number: String,
    pub month: String,
    pub quantity: String,
    pub status: String,
}

pub struct AuditView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub reason: String,
    pub overridden: bool,
}

pub struct ActionView {
    pub name: &'static str,
    pub label: &'static str,
    /// What the action does, in words: what it releases or commits, and who hears of it.
    pub consequence: String,
    /// The action ends the contract: asked for behind a disclosure, styled as destructive.
    pub danger: bool,
    pub reason_required: bool,
    /// The role may take this action past a refusal of the ATP gate.
    pub with_override: bool,
}

/// One line of the schedule editor, as typed.
#[derive(Debug, Clone)]
pub struct ScheduleRow {
    pub index: usize,
    pub period: String,
    pub quantity_kg: String,
}

/// What the page says above everything after a refused action: an alert with its numbers.
#[derive(Default)]
pub struct Notice {
    pub title: String,
    pub lines: Vec<String>,
}

/// What a refused form hands back to the page: the alert, the field errors, and what was
/// typed (the schedule and the reason).
#[derive(Default)]
pub struct Outcome {
    pub notice: Option<Notice>,
    pub errors: Vec<FieldError>,
    pub schedule: Option<Vec<ScheduleRow>>,
    pub reason: String,
}

impl Outcome {
    /// What typed input the page shows again, with `refusal` said above it.
    pub fn refused(
        refusal: Refusal,
        reason: String,
        schedule: Option<Vec<ScheduleRow>>,
    ) -> Outcome {
        let mut outcome = Outcome {
            reason,
            schedule,
            ..Outcome::default()
        };
        match refusal {
            Refusal::Atp(r) => outcome.notice = Some(refusal_notice(&r)),
            Refusal::Invalid(errors) => outcome.errors = errors,
            Refusal::Conflict(why) => {
                outcome.notice = Some(Notice {
                    title: "Not saved.".into(),
                    lines: vec![why],
                })
            }
            Refusal::Stale => {
                outcome.notice = Some(Notice {
                    title: "Not saved.".into(),
                    lines: vec![crate::error::STALE.replace("It was", "This contract was")],
                })
            }
        }
        outcome
    }
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

#[derive(askama::Template)]
#[template(path = "contract.html")]
struct ContractPage {
    user: User,
    id: String,
    version: i64,
    can_edit: bool,
    can_amend: bool,
    can_override: bool,
    edit: EditView,
    c: ContractView,
    chart: String,
    fulfilment: Vec<FulfilmentView>,
    pricing: Vec<PricingView>,
    amendments: Vec<AmendmentView>,
    addons: Vec<AddOnView>,
    audit: Option<Vec<AuditView>>,
    actions: Vec<ActionView>,
    new_addon_href: Option<String>,
    /// How many add-on orders and audit entries the page (and its CSV links) carry.
    shown: i64,
    schedule: Vec<ScheduleRow>,
    outcome: Outcome,
}

/// Blank lines the schedule editor offers for new months.
const BLANK_ROWS: usize = 3;

fn label(a: ContractAction) -> &'static str {
    match a {
        ContractAction::Activate => "Activate",
        ContractAction::Suspend => "Suspend",
        ContractAction::Resume => "Resume",
        ContractAction::Complete => "Complete",
        ContractAction::Terminate => "Terminate",
    }
}

/// What an action does to this contract, said before it is taken.
fn consequence(a: ContractAction, c: &crate::domain::contract::Contract) -> String {
    let current = crate::domain::clock::current_period();
    let ahead: rust_decimal::Decimal = c
        .schedule
        .iter()
        .filter(|l| l.period >= current)
        .map(|l| l.quantity_kg.value())
        .sum();
    let ahead = view::kg(ahead);
    let heard = "The ERP hears of it through the change feed and its webhooks.";
    match a {
        ContractAction::Activate => format!(
            "Activating commits the schedule: {ahead} kg from {current} on count as demand against available-to-promise. {heard}"
        ),
        ContractAction::Suspend => format!(
            "Suspending pauses deliveries; the schedule still counts as demand, so nothing is released. {heard}"
        ),
        ContractAction::Resume => format!("Resuming makes {} active again. {heard}", c.number),
        ContractAction::Complete => format!(
            "Completing closes {} as fulfilled, for good: its schedule stops counting as demand, and {ahead} kg from {current} on become available to promise to other orders. {heard}",
            c.number
        ),
        ContractAction::Terminate => format!(
            "Terminating ends {} for good: its schedule stops counting as demand, and {ahead} kg from {current} on become available to promise to other orders. Add-on orders already confirmed stay as they are. {heard}",
            c.number
        ),
    }
}

fn schedule_text(lines: &[crate::domain::contract::ScheduleLine]) -> String {
    lines
        .iter()
        .map(|l| format!("{} {} kg", l.period, view::kg_of(l.quantity_kg)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn when(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn amendment_view(a: &Amendment) -> AmendmentView {
    AmendmentView {
        at: when(&a.at),
        actor: a.actor.clone(),
        reason: a.reason.clone(),
        before: schedule_text(&a.old_schedule),
        after: schedule_text(&a.new_schedule),
        overridden: a.atp_override,
    }
}

fn audit_view(e: &AuditEntry) -> AuditView {
    let after = e.after.as_ref();
    AuditView {
        at: when(&e.at),
        actor: e.actor.clone(),
        action: e.action.replace('_', " "),
        reason: after
            .and_then(|a| a.get("reason"))
            .and_then(|r| r.as_str())
            .unwrap_or_default()
            .to_string(),
        overridden: after
            .and_then(|a| a.get("atp_override"))
            .and_then(|o| o.as_bool())
            .unwrap_or(false),
    }
}

fn addon_view(o: &Order) -> AddOnView {
    AddOnView {
        id: o.id.to_string(),
        number: o.number.clone(),
        month: view::month(o.period),
        quantity: view::kg_of(o.quantity_kg),
        status: o.status.as_str().replace('_', " "),
    }
}

/// Grams of an amount (amounts carry at most 3 dp, so this is exact).
fn grams(k: KgAmount) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (k.display() * Decimal::from(1000)).to_i64().unwrap_or(0)
}

fn chart_of(contract: &Contract, f: &Fulfilment) -> String {
    let months: Vec<FulfilmentMonth> = f
        .rows
        .iter()
        .map(|r| FulfilmentMonth {
            period: r.period.to_string(),
            scheduled: r.scheduled_kg.grams().unwrap_or(0),
            addon: grams(r.addon_kg),
            shipped: grams(r.shipped_kg),
            delivered: grams(r.delivered_kg),
        })
        .collect();
    fulfilment_chart(
        &format!("{}: due, shipped and delivered", contract.number),
        &months,
        contract.tolerance_milli_pct(),
    )
}

fn fulfilment_views(f: &Fulfilment) -> Vec<FulfilmentView> {
    f.rows
        .iter()
        .map(|r| FulfilmentView {
            month: view::month(r.period),
            scheduled: view::kg_of(r.scheduled_kg),
            addon: view::kg(r.addon_kg.display()),
            shipped: view::kg(r.shipped_kg.display()),
            delivered: view::kg(r.delivered_kg.display()),
            remaining: view::kg(r.remaining_kg.display()),
            status: view::text(&r.status).replace('_', " "),
        })
        .collect()
}

fn pricing_views(pricing: &ContractPricing) -> Vec<PricingView> {
    let currency = pricing.currency.clone();
    let money = |v: Option<Decimal>| {
        v.map(|v| view::money(&currency, v))
            .unwrap_or_else(|| "—".into())
    };
    pricing
        .rows
        .iter()
        .map(|p| PricingView {
            month: view::month(p.period),
            quantity: view::kg_of(p.quantity_kg),
            unit_price: money(p.price.unit_price.map(|u| u.value())),
            status: view::text(&p.price.status),
            basis: p.price.basis_period.map(view::month).unwrap_or_default(),
            // The API carries the value as its decimal text; it is read back exactly.
            value: money(
                p.value
                    .as_deref()
                    .and_then(|v| Decimal::from_str_exact(v).ok()),
            ),
        })
        .collect()
}

fn terms_view(contract: &Contract, customer: &Customer, product: &Product) -> ContractView {
    ContractView {
        number: contract.number.clone(),
        status: contract.status.as_str(),
        customer: format!("{} — {}", customer.code, customer.name),
        product: format!("{} — {}", product.code, product.name),
        months: format!(
            "{} to {}",
            view::month(contract.start_period),
            view::month(contract.end_period)
        ),
        total: view::kg(contract.total_kg.display()),
        tolerance: view::text(&contract.tolerance_pct),
        pricing: view::pricing_summary(&contract.pricing, &contract.currency),
        incoterm: format!("{} {}", contract.incoterm, contract.incoterm_place),
        payment: contract.payment_terms.clone(),
    }
}

/// The schedule editor's lines: the contract's months, then blank ones for new months.
fn schedule_rows(contract: &Contract) -> Vec<ScheduleRow> {
    let mut rows: Vec<ScheduleRow> = contract
        .schedule
        .iter()
        .enumerate()
        .map(|(index, l)| ScheduleRow {
            index,
            period: l.period.to_string(),
            quantity_kg: view::text(&l.quantity_kg),
        })
        .collect();
    let n = rows.len();
    rows.extend((n..n + BLANK_ROWS).map(|index| ScheduleRow {
        index,
        period: String::new(),
        quantity_kg: String::new(),
    }));
    rows
}

/// Where "New add-on order" leads: order entry filled in from the contract.
fn new_addon_href(contract: &Contract) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("order_type", "add_on")
        .append_pair("contract_id", &contract.id.to_string())
        .append_pair("customer_id", &contract.customer_id.to_string())
        .append_pair("product_id", &contract.product_id.to_string())
        .append_pair("pricing_type", "contract")
        .append_pair("currency", &contract.currency)
        .append_pair("incoterm", &contract.incoterm)
        .append_pair("incoterm_place", &contract.incoterm_place);
    format!("/orders/new?{}", q.finish())
}

struct Loaded {
    contract: Contract,
    customer: Customer,
    product: Product,
    fulfilment: Fulfilment,
    pricing: ContractPricing,
    amendments: Vec<Amendment>,
    addons: Vec<Order>,
    audit: Option<Vec<AuditEntry>>,
}

/// How many audit entries and add-on orders the page shows.
const SHOWN: i64 = 200;

fn load(
    c: &mut crate::ops::Conn,
    actor: &crate::ops::Actor,
    id: ContractId,
) -> Result<Loaded, OpError> {
    let contract = contracts::get(c, id)?;
    let customer: Customer = crate::ops::master::get(c, contract.customer_id)?;
    let product: Product = crate::ops::master::get(c, contract.product_id)?;
    let addons = crate::ops::orders::list(
        c,
        &OrderFilter {
            limit: Some(SHOWN),
            contract_id: Some(id),
            order_type: Some(OrderType::AddOn),
            ..Default::default()
        },
    )?
    .items;
    let audit = if crate::ops::Capabilities::of(actor).read_audit {
        let f = AuditFilter {
            entity_type: Some("contract".into()),
            entity_id: Some(id.to_string()),
            limit: Some(SHOWN),
            ..Default::default()
        };
        Some(crate::ops::feed::audit(c, actor, &f)?.items)
    } else {
        None
    };
    Ok(Loaded {
        fulfilment: contracts::fulfilment(c, id)?,
        pricing: contracts::pricing(c, id)?,
        amendments: contracts::amendments(c, id)?.items,
        contract,
        customer,
        product,
        addons,
        audit,
    })
}

/// The contract page, with what a refused form hands back (`outcome`) under `status`.
pub async fn show(
    state: &web::Data<AppState>,
    session: &DeskSession,
    id: ContractId,
    status: StatusCode,
    outcome: Outcome,
) -> Result<HttpResponse, DeskError> {
    let actor = session.actor.clone();
    // Fulfilment and pricing read every shipment and order of the contract: the page is kept
    // until the data changes (per contract, and per whether the reader sees the audit trail).
    let key = format!(
        "contract:{id}:{}",
        crate::ops::Capabilities::of(&actor).read_audit
    );
    let reads = state.reads.clone();
    let l = state
        .db
        .read(move |c| reads.get_or_compute(c, &key, |c| load(c, &actor, id)))
        .await?;
    let may: ContractActions = contracts::allowed_actions(&session.actor, &l.contract);
    let actions = may
        .lifecycle
        .iter()
        .copied()
        .chain(
            (may.activate_with_override && !may.lifecycle.contains(&ContractAction::Activate))
                .then_some(ContractAction::Activate),
        )
        .map(|a| ActionView {
            name: a.name(),
            label: label(a),
            consequence: consequence(a, &l.contract),
            danger: matches!(a, ContractAction::Terminate | ContractAction::Complete),
            reason_required: a == ContractAction::Terminate,
            with_override: a == ContractAction::Activate && may.activate_with_override,
        })
        .collect();
    let c = &l.contract;
    let mut body = ContractPage {
        user: User::of(session),
        id: c.id.to_string(),
        version: c.version,
        can_edit: may.edit_terms,
        can_amend: may.change_schedule || may.schedule_with_override,
        can_override: may.schedule_with_override,
        edit: EditView {
            payment_terms: c.payment_terms.clone(),
            incoterm_place: c.incoterm_place.clone(),
        },
        c: terms_view(c, &l.customer, &l.product),
        chart: chart_of(c, &l.fulfilment),
        fulfilment: fulfilment_views(&l.fulfilment),
        pricing: pricing_views(&l.pricing),
        amendments: l.amendments.iter().map(amendment_view).collect(),
        shown: SHOWN,
        addons: l.addons.iter().map(addon_view).collect(),
        audit: l.audit.as_ref().map(|a| a.iter().map(audit_view).collect()),
        actions,
        new_addon_href: may.new_addon.then(|| new_addon_href(c)),
        schedule: schedule_rows(c),
        outcome,
    };
    if let Some(typed) = body.outcome.schedule.take() {
        body.schedule = typed;
    }
    Ok(page::render(status, &body))
}

#[get("/contracts/{id}")]
pub async fn contract_page(
    session: DeskSession,
    state: web::Data<AppState>,
    id: DeskPath<ContractId>,
) -> Result<HttpResponse, DeskError> {
    show(
        &state,
        &session,
        id.into_inner(),
        StatusCode::OK,
        Outcome::default(),
    )
    .await
}

desk_csv_of_one!(
    /// The fulfilment table as CSV: `GET /api/v1/contracts/{id}/fulfilment.csv`.
    fulfilment_csv,
    "/contracts/{id}/fulfilment.csv",
    ContractId,
    |c, id| Ok(contracts::fulfilment(c, id)?.csv())
);

desk_csv_of_one!(
    /// The pricing table as CSV: `GET /api/v1/contracts/{id}/pricing.csv`.
    pricing_csv,
    "/contracts/{id}/pricing.csv",
    ContractId,
    |c, id| Ok(contracts::pricing(c, id)?.csv())
);

desk_csv_of_one!(
    /// The amendments table as CSV: `GET /api/v1/contracts/{id}/amendments.csv`.
    amendments_csv,
    "/contracts/{id}/amendments.csv",
    ContractId,
    |c, id| Ok(contracts::amendments(c, id)?.csv())
);
