//! A shipment's page: its lots and assay, its documents, and the forms that ship it (with its
//! mode's documents) and deliver it, calling the operations behind `…/ship` and `…/deliver`.
//! The list is in `shipment_list`, planning in `shipment_plan`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use super::form::parse;
use super::list_csv::desk_csv_of_one;
use super::page;
use super::view;
use crate::domain::licence::ExportLicence;
use crate::domain::shipment::Shipment;
use crate::domain::ShipmentId;
use crate::error::{DeskError, FieldError, Refusal};
use crate::extract::{field, optional, DeskForm, DeskPath, DeskSession, Fields, FormInput};
use crate::flash;
use crate::layout::User;
use crate::ops::detail_csv::ShipmentLotsCsv as _;
use crate::ops::shipments::{DeliverRequest, ShipRequest};
use crate::state::AppState;
use view::kg_of;

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

pub const MODES: [&str; 4] = ["sea", "air", "rail", "road"];

/// The document a shipment travels under, in words.
fn document(x: &Shipment) -> String {
    x.bl_number
        .clone()
        .map(|b| format!("B/L {b}"))
        .or_else(|| x.air_waybill.clone().map(|a| format!("AWB {a}")))
        .or_else(|| x.consignment_note.clone().map(|n| format!("Note {n}")))
        .unwrap_or_default()
}

pub fn licence_label(l: &ExportLicence) -> String {
    format!(
        "{}: {} kg remaining of {} kg, valid {} to {}",
        l.number,
        kg_of(l.remaining_kg),
        kg_of(l.quantity_kg),
        l.valid_from,
        l.valid_to
    )
}

pub fn row(x: &Shipment) -> ShipmentRow {
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
    settlement: Option<super::settlement::SettlementSummary>,
}

async fn shipment_page(
    state: &web::Data<AppState>,
    session: &DeskSession,
    id: ShipmentId,
    status: StatusCode,
    notice: Option<String>,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, DeskError> {
    let (s, licence, delivers, settlement) = state
        .db
        .read(move |c| {
            let s = crate::ops::shipments::get(c, id)?;
            // Settled when it ships: none before.
            let settlement = match crate::ops::settlements::get(c, id) {
                Ok(x) => Some(x),
                Err(crate::error::OpError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            let licence = match s.export_licence_id {
                Some(l) => Some(crate::ops::licences::get(c, l)?),
                None => None,
            };
            let mut names = crate::ops::names::Names::default();
            let delivers = match (s.order_id, s.contract_id) {
                (Some(o), _) => names.order(c, o)?,
                (None, Some(k)) => names.contract(c, k)?,
                (None, None) => String::new(),
            };
            Ok((s, licence, delivers, settlement))
        })
        .await?;
    let may = crate::ops::shipments::allowed_actions(&session.actor, &s);
    // What it delivers, by number: an order, or a contract's month.
    let (target, target_href) = match (s.order_id, s.contract_id) {
        (Some(o), _) => (format!("Order {delivers}"), format!("/orders/{o}")),
        (None, Some(c)) => (format!("Contract {delivers}"), format!("/contracts/{c}")),
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
            settlement: settlement.as_ref().map(|x| {
                super::settlement::summary(
                    x,
                    crate::ops::Capabilities::of(&session.actor).finalise_settlements,
                )
            }),
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
        Ok(_) => Ok(flash::done(
            &format!("/shipments/{id}"),
            if step == "ship" {
                "Shipped: the shipment is on its way and counts as shipped for its month."
            } else {
                "Delivered: the shipment counts as delivered for its month."
            },
        )),
        Err(e) => refused(&state, &form.session, id, e).await,
    }
}

/// The shipment page again after a refusal: the fields named when the input was wrong, the
/// reason otherwise; a stale version is the desk's "changed meanwhile" page.
async fn refused(
    state: &web::Data<AppState>,
    session: &DeskSession,
    id: ShipmentId,
    e: crate::error::OpError,
) -> Result<HttpResponse, DeskError> {
    match Refusal::of(e)? {
        Refusal::Invalid(errors) => {
            shipment_page(
                state,
                session,
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
                state,
                session,
                id,
                other.status(),
                Some(other.text()),
                Vec::new(),
            )
            .await
        }
    }
}

/// Freezes the shipment's settlement from its page, at the version the page showed.
#[post("/shipments/{id}/settlement/finalise")]
pub async fn finalise_settlement(
    state: web::Data<AppState>,
    id: DeskPath<ShipmentId>,
    form: DeskForm<StepInput>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let (actor, expect) = (form.session.actor.clone(), form.expect.clone());
    match state
        .db
        .write(move |c| crate::ops::settlements::finalise(c, &actor, id, &expect))
        .await
    {
        Ok(s) => Ok(flash::done(
            &format!("/shipments/{id}"),
            format!(
                "Settlement of {} finalised: later price corrections no longer change it.",
                s.shipment_number
            ),
        )),
        Err(e) => refused(&state, &form.session, id, e).await,
    }
}

desk_csv_of_one!(
    /// The shipment's lots as CSV: `GET /api/v1/shipments/{id}/lots.csv`.
    lots_csv,
    "/shipments/{id}/lots.csv",
    ShipmentId,
    |c, id| Ok(crate::ops::shipments::get(c, id)?.lots_csv())
);
