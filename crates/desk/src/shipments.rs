//! Shipments on the desk: the list with a form to plan one (lots with their assay, the
//! transport mode, an export licence with its remaining kg), and the shipment page that ships
//! it (with its mode's documents) and delivers it. The forms call the operations behind
//! `POST /api/v1/shipments`, `…/ship` and `…/deliver`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use super::form::parse;
use super::list_csv::desk_csv_of_one;
use super::page;
use super::view;
use crate::domain::licence::ExportLicence;
use crate::domain::lifecycle::{ContractStatus, OrderStatus};
use crate::domain::shipment::Shipment;
use crate::domain::ShipmentId;
use crate::error::{DeskError, FieldError, OpError, Refusal};
use crate::extract::{
    field, optional, DeskForm, DeskPath, DeskSession, Fields, FormInput, IdempotencyKey,
};
use crate::layout::User;
use crate::ops::contracts::ContractFilter;
use crate::ops::detail_csv::ShipmentLotsCsv as _;
use crate::ops::licences::LicenceFilter;
use crate::ops::orders::OrderFilter;
use crate::ops::shipments::{DeliverRequest, NewShipment, ShipRequest, ShipmentFilter};
use crate::ops::{Capabilities, Conn};
use crate::state::AppState;

pub struct Choice {
    pub id: String,
    pub label: String,
}

pub struct ShipmentRow {
    pub id: String,
    pub number: String,
    pub month: String,
    pub quantity: String,
    pub lots: usize,
    pub mode: &'static str,
    pub document: String,
    pub shipped: String,
    pub delivered: String,
    pub status: &'static str,
}

/// Lot lines the plan form offers.
const LOT_ROWS: usize = 3;

#[derive(askama::Template)]
#[template(path = "shipments.html")]
struct ShipmentsPage {
    user: User,
    rows: Vec<ShipmentRow>,
    can_plan: bool,
    orders: Vec<Choice>,
    contracts: Vec<Choice>,
    licences: Vec<Choice>,
    modes: Vec<&'static str>,
    lot_rows: Vec<usize>,
    form: Fields,
    errors: Vec<FieldError>,
    idempotency_key: String,
}

impl ShipmentsPage {
    /// What the form holds for `name`, as typed.
    fn typed(&self, name: &str) -> &str {
        field(&self.form, name)
    }

    fn lot_input(&self, member: &str, i: &usize) -> &str {
        field(&self.form, &format!("{member}_{i}"))
    }
}

const MODES: [&str; 4] = ["sea", "air", "rail", "road"];

/// The document a shipment travels under, in words.
fn document(x: &Shipment) -> String {
    x.bl_number
        .clone()
        .map(|b| format!("B/L {b}"))
        .or_else(|| x.air_waybill.clone().map(|a| format!("AWB {a}")))
        .or_else(|| x.consignment_note.clone().map(|n| format!("Note {n}")))
        .unwrap_or_default()
}

use view::kg_of;

fn licence_label(l: &ExportLicence) -> String {
    format!(
        "{}: {} kg remaining of {} kg, valid {} to {}",
        l.number,
        kg_of(l.remaining_kg),
        kg_of(l.quantity_kg),
        l.valid_from,
        l.valid_to
    )
}

struct Lists {
    shipments: Vec<Shipment>,
    orders: Vec<Choice>,
    contracts: Vec<Choice>,
    licences: Vec<Choice>,
}

fn lists(c: &mut Conn) -> Result<Lists, OpError> {
    let shipments = crate::ops::shipments::list(
        c,
        &ShipmentFilter {
            limit: Some(500),
            ..Default::default()
        },
    )?
    .items;
    let orders = crate::ops::orders::list(
        c,
        &OrderFilter {
            limit: Some(500),
            status: Some(OrderStatus::Confirmed),
            ..Default::default()
        },
    )?
    .items
    .iter()
    .map(|o| Choice {
        id: o.id.to_string(),
        label: format!("{} ({}, {} kg)", o.number, o.period, kg_of(o.quantity_kg)),
    })
    .collect();
    let contracts = crate::ops::contracts::list(
        c,
        &ContractFilter {
            limit: Some(500),
            status: Some(ContractStatus::Active),
            ..Default::default()
        },
    )?
    .items
    .iter()
    .map(|k| Choice {
        id: k.id.to_string(),
        label: format!("{} ({} to {})", k.number, k.start_period, k.end_period),
    })
    .collect();
    let licences = crate::ops::licences::list(
        c,
        &LicenceFilter {
            limit: Some(500),
            status: Some("active".into()),
            ..Default::default()
        },
    )?
    .items
    .iter()
    .map(|l| Choice {
        id: l.id.to_string(),
        label: licence_label(l),
    })
    .collect();
    Ok(Lists {
        shipments,
        orders,
        contracts,
        licences,
    })
}

fn row(x: &Shipment) -> ShipmentRow {
    ShipmentRow {
        id: x.id.to_string(),
        number: x.number.clone(),
        month: view::month(x.period),
        quantity: kg_of(x.quantity_kg),
        lots: x.lots.len(),
        mode: x.transport_mode.as_str(),
        document: document(x),
        shipped: x.shipped_on.map(|d| d.to_string()).unwrap_or_default(),
        delivered: x.delivered_on.map(|d| d.to_string()).unwrap_or_default(),
        status: x.status.as_str(),
    }
}

async fn list_page(
    state: &web::Data<AppState>,
    session: &DeskSession,
    status: StatusCode,
    form: Fields,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, DeskError> {
    let l = state.db.read(lists).await?;
    Ok(page::render(
        status,
        &ShipmentsPage {
            user: User::of(session),
            rows: l.shipments.iter().rev().map(row).collect(),
            can_plan: Capabilities::of(&session.actor).write_shipments,
            orders: l.orders,
            contracts: l.contracts,
            licences: l.licences,
            modes: MODES.to_vec(),
            lot_rows: (0..LOT_ROWS).collect(),
            idempotency_key: IdempotencyKey::kept_or_fresh(&form).to_string(),
            form,
            errors,
        },
    ))
}

#[get("/shipments")]
pub async fn shipments_page(
    session: DeskSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DeskError> {
    list_page(&state, &session, StatusCode::OK, Fields::new(), Vec::new()).await
}

/// `name=value; name=value` as an assay map of decimal strings.
fn assay_of(text: &str) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = text
        .split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim().into()),
            None => (p.trim().to_string(), serde_json::Value::Null),
        })
        .collect();
    serde_json::Value::Object(map)
}

/// The shipment the plan form describes, as the API's body.
fn plan_body(f: &Fields) -> serde_json::Value {
    let opt = |name: &str| optional(f, name);
    let lots: Vec<serde_json::Value> = (0..LOT_ROWS)
        .filter(|i| !field(f, &format!("lot_number_{i}")).is_empty())
        .map(|i| {
            let mut lot = serde_json::json!({
                "lot_number": field(f, &format!("lot_number_{i}")),
                "quantity_kg": field(f, &format!("lot_kg_{i}")),
            });
            let assay = field(f, &format!("assay_{i}"));
            if !assay.is_empty() {
                lot["assay"] = assay_of(assay);
            }
            lot
        })
        .collect();
    let mut body = serde_json::json!({
        "quantity_kg": field(f, "quantity_kg"),
        "lots": lots,
        "planned_ship_date": field(f, "planned_ship_date"),
        "transport_mode": field(f, "transport_mode"),
    });
    match opt("order_id") {
        Some(order) => body["order_id"] = order.into(),
        None => {
            body["contract_id"] = field(f, "contract_id").into();
            body["period"] = field(f, "period").into();
        }
    }
    if let Some(l) = opt("export_licence_id") {
        body["export_licence_id"] = l.into();
    }
    body
}

/// The plan form's input for an API field path: `lots[1].quantity_kg` → `lot_kg_1`.
fn plan_input(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("lots[") {
        if let Some((i, member)) = rest.split_once(']') {
            let member = member.trim_start_matches('.');
            return match member.split('.').next().unwrap_or_default() {
                "quantity_kg" => format!("lot_kg_{i}"),
                "assay" => format!("assay_{i}"),
                _ => format!("lot_number_{i}"),
            };
        }
    }
    match path {
        "lots" => "lot_number_0".into(),
        "." | "" => "quantity_kg".into(),
        other => other.split('.').next().unwrap_or(other).to_string(),
    }
}

/// The plan form as typed, with its idempotency key.
pub struct PlanInput(Fields);

impl FormInput for PlanInput {
    const IDEMPOTENT: bool = true;

    fn parse(fields: &Fields) -> Result<PlanInput, Vec<FieldError>> {
        Ok(PlanInput(fields.clone()))
    }
}

#[post("/shipments")]
pub async fn plan_shipment(
    state: web::Data<AppState>,
    form: DeskForm<PlanInput>,
) -> Result<HttpResponse, DeskError> {
    if !Capabilities::of(&form.session.actor).write_shipments {
        return Err(DeskError::Forbidden(
            "your role does not plan shipments".into(),
        ));
    }
    let fields = form.input.0.clone();
    let new: NewShipment = match parse(plan_body(&fields), plan_input) {
        Ok(n) => n,
        Err(e) => return refused_plan(&state, &form.session, fields, e).await,
    };
    let key = form.key.clone().map(|k| k.to_string()).unwrap_or_default();
    let actor = form.session.actor.clone();
    let done = state
        .db
        .write(move |c| crate::ops::shipments::create_once(c, &actor, &key, new))
        .await;
    match done {
        Ok(id) => Ok(page::see_other(&format!("/shipments/{id}")).finish()),
        Err(e) => refused_plan(&state, &form.session, fields, e).await,
    }
}

async fn refused_plan(
    state: &web::Data<AppState>,
    session: &DeskSession,
    fields: Fields,
    e: OpError,
) -> Result<HttpResponse, DeskError> {
    let (status, errors) = match e {
        // What the form names wrongly (an order that is not there, not confirmed) is the
        // order's problem, not the page's.
        OpError::NotFound(why) | OpError::Unprocessable(why) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![FieldError::new("order_id", why)],
        ),
        other => {
            let refusal = Refusal::of(other)?.renamed(plan_input);
            (refusal.status(), refusal.errors_for("quantity_kg"))
        }
    };
    list_page(state, session, status, fields, errors).await
}

pub struct LotView {
    pub number: String,
    pub quantity: String,
    pub assay: String,
}

#[derive(askama::Template)]
#[template(path = "shipment.html")]
struct ShipmentPage {
    user: User,
    s: ShipmentRow,
    version: i64,
    planned: String,
    target: String,
    target_href: String,
    lots: Vec<LotView>,
    licence: Option<String>,
    can_ship: bool,
    can_deliver: bool,
    modes: Vec<&'static str>,
    mode: &'static str,
    notice: Option<String>,
    errors: Vec<FieldError>,
}

async fn shipment_page(
    state: &web::Data<AppState>,
    session: &DeskSession,
    id: ShipmentId,
    status: StatusCode,
    notice: Option<String>,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, DeskError> {
    let (s, licence) = state
        .db
        .read(move |c| {
            let s = crate::ops::shipments::get(c, id)?;
            let licence = match s.export_licence_id {
                Some(l) => Some(crate::ops::licences::get(c, l)?),
                None => None,
            };
            Ok((s, licence))
        })
        .await?;
    let may = crate::ops::shipments::allowed_actions(&session.actor, &s);
    let (target, target_href) = match (s.order_id, s.contract_id) {
        (Some(o), _) => ("its order".to_string(), format!("/orders/{o}")),
        (None, Some(c)) => (
            format!("its contract's {}", view::month(s.period)),
            format!("/contracts/{c}"),
        ),
        _ => (String::new(), "/shipments".into()),
    };
    let lots = s
        .lots
        .iter()
        .map(|l| LotView {
            number: l.lot_number.clone(),
            quantity: kg_of(l.quantity_kg),
            assay: l
                .assay
                .as_ref()
                .map(|a| {
                    a.iter()
                        .map(|(k, v)| format!("{k} {}", view::text(v)))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        })
        .collect();
    Ok(page::render(
        status,
        &ShipmentPage {
            user: User::of(session),
            version: s.version,
            planned: s.planned_ship_date.to_string(),
            target,
            target_href,
            lots,
            licence: licence.as_ref().map(licence_label),
            can_ship: may.ship,
            can_deliver: may.deliver,
            modes: MODES.to_vec(),
            mode: s.transport_mode.as_str(),
            s: row(&s),
            notice,
            errors,
        },
    ))
}

#[get("/shipments/{id}")]
pub async fn shipment(
    session: DeskSession,
    state: web::Data<AppState>,
    id: DeskPath<ShipmentId>,
) -> Result<HttpResponse, DeskError> {
    shipment_page(
        &state,
        &session,
        id.into_inner(),
        StatusCode::OK,
        None,
        Vec::new(),
    )
    .await
}

/// The ship form as the API's body: the mode's documents, containers comma-separated.
fn ship_body(f: &Fields) -> serde_json::Value {
    let mut body = serde_json::json!({
        "shipped_on": field(f, "shipped_on"),
        "transport_mode": field(f, "transport_mode"),
    });
    for name in [
        "vessel",
        "voyage",
        "bl_number",
        "air_waybill",
        "flight",
        "consignment_note",
    ] {
        if let Some(v) = optional(f, name) {
            body[name] = v.into();
        }
    }
    let containers: Vec<&str> = field(f, "containers")
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    body["containers"] = containers.into();
    body
}

fn first_member(path: &str) -> String {
    path.split(['.', '[']).next().unwrap_or(path).to_string()
}

/// A step of a shipment's life from its page: the step's form as typed, with the version
/// the page was opened at.
pub struct StepInput(Fields);

impl FormInput for StepInput {
    const VERSIONED: bool = true;

    fn parse(fields: &Fields) -> Result<StepInput, Vec<FieldError>> {
        Ok(StepInput(fields.clone()))
    }
}

/// Ships or delivers a shipment from its page.
#[post("/shipments/{id}/{step}")]
pub async fn shipment_step(
    state: web::Data<AppState>,
    path: DeskPath<(ShipmentId, String)>,
    form: DeskForm<StepInput>,
) -> Result<HttpResponse, DeskError> {
    let (id, step) = path.into_inner();
    let fields = &form.input.0;
    let (actor, expect) = (form.session.actor.clone(), form.expect.clone());
    let done = match step.as_str() {
        "ship" => match parse::<ShipRequest>(ship_body(fields), first_member) {
            Ok(req) => {
                state
                    .db
                    .write(move |c| crate::ops::shipments::ship(c, &actor, id, &expect, req))
                    .await
            }
            Err(e) => Err(e),
        },
        "deliver" => {
            let body = serde_json::json!({"delivered_on": field(fields, "delivered_on")});
            match parse::<DeliverRequest>(body, first_member) {
                Ok(req) => {
                    state
                        .db
                        .write(move |c| {
                            crate::ops::shipments::deliver(c, &actor, id, &expect, &req)
                        })
                        .await
                }
                Err(e) => Err(e),
            }
        }
        _ => return Err(DeskError::NotFound("there is no such shipment step".into())),
    };
    match done {
        Ok(_) => Ok(page::see_other(&format!("/shipments/{id}")).finish()),
        Err(e) => match Refusal::of(e)? {
            Refusal::Invalid(errors) => {
                shipment_page(
                    &state,
                    &form.session,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                    errors,
                )
                .await
            }
            Refusal::Stale => Err(DeskError::Stale),
            other => {
                shipment_page(
                    &state,
                    &form.session,
                    id,
                    other.status(),
                    Some(other.text()),
                    Vec::new(),
                )
                .await
            }
        },
    }
}

desk_csv_of_one!(
    /// The shipment's lots as CSV: `GET /api/v1/shipments/{id}/lots.csv`.
    lots_csv,
    "/shipments/{id}/lots.csv",
    ShipmentId,
    |c, id| Ok(crate::ops::shipments::get(c, id)?.lots_csv())
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assay_is_read_as_named_decimal_strings() {
        assert_eq!(
            assay_of("TREO_pct = 99.5; Nd2O3_pct=75.2;"),
            serde_json::json!({"TREO_pct": "99.5", "Nd2O3_pct": "75.2"})
        );
        assert_eq!(assay_of("broken")["broken"], serde_json::Value::Null);
    }

    #[test]
    fn api_paths_name_the_plan_form_inputs() {
        assert_eq!(plan_input("lots[1].quantity_kg"), "lot_kg_1");
        assert_eq!(plan_input("lots[0].assay.TREO_pct"), "assay_0");
        assert_eq!(plan_input("lots[2].lot_number"), "lot_number_2");
        assert_eq!(plan_input("lots"), "lot_number_0");
        assert_eq!(plan_input("planned_ship_date"), "planned_ship_date");
    }
}
