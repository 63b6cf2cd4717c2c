//! Shipments on the desk: the list with a form to plan one (lots with their assay, the
//! transport mode, an export licence with its remaining kg), and the shipment page that ships
//! it (with its mode's documents) and delivers it. The forms call the operations behind
//! `POST /api/v1/shipments`, `…/ship` and `…/deliver`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::desk::{user, User};
use super::form::{field, parse, renamed, Fields};
use super::list_csv::desk_csv_of_one;
use super::page;
use super::session::{self, Session};
use super::view;
use crate::domain::licence::ExportLicence;
use crate::domain::lifecycle::{ContractStatus, OrderStatus, ShipmentStatus};
use crate::domain::shipment::Shipment;
use crate::domain::ShipmentId;
use crate::domain::{KgAmount, Permission};
use crate::error::{FieldError, OpError};
use crate::ops::contracts::ContractFilter;
use crate::ops::detail_csv::ShipmentLotsCsv as _;
use crate::ops::licences::LicenceFilter;
use crate::ops::orders::OrderFilter;
use crate::ops::shipments::{DeliverRequest, NewShipment, ShipRequest, ShipmentFilter};
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

fn kg_of(k: crate::domain::Kg) -> String {
    view::kg(KgAmount::from(k).display())
}

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

fn lists(c: &mut crate::db::DbConnection) -> Result<Lists, OpError> {
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
    session: &Session,
    status: StatusCode,
    form: Fields,
    errors: Vec<FieldError>,
) -> HttpResponse {
    let l = match state.db.read(lists).await {
        Ok(l) => l,
        Err(_) => return page::database_away(),
    };
    page::render(
        status,
        &ShipmentsPage {
            user: user(session),
            rows: l.shipments.iter().rev().map(row).collect(),
            can_plan: session.actor.role.allows(Permission::WriteShipments),
            orders: l.orders,
            contracts: l.contracts,
            licences: l.licences,
            modes: MODES.to_vec(),
            lot_rows: (0..LOT_ROWS).collect(),
            idempotency_key: super::form::key_for(&form),
            form,
            errors,
        },
    )
}

#[get("/shipments")]
pub async fn shipments_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let Some(session) = session::current(&req, &state).await else {
        return page::see_other("/login").finish();
    };
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
    let opt = |name: &str| super::form::optional(f, name);
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

#[post("/shipments")]
pub async fn plan_shipment(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Form<Fields>,
) -> HttpResponse {
    let fields = body.into_inner();
    let session = match session::for_form(&req, &state, field(&fields, "csrf")).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    if !session.actor.role.allows(Permission::WriteShipments) {
        return page::forbidden("your role does not plan shipments");
    }
    let new: NewShipment = match parse(plan_body(&fields), |p, _| plan_input(p)) {
        Ok(n) => n,
        Err(e) => return refused_plan(&state, &session, fields, e).await,
    };
    let Some(key) = super::form::idempotency_key(&fields) else {
        return page::no_idempotency_key();
    };
    let actor = session.actor.clone();
    let posted = fields.clone();
    let done = state
        .db
        .write(move |c| {
            super::form::once(c, &actor, &key, &posted, |c| {
                let s = crate::ops::shipments::create(c, &actor, new)?;
                Ok(format!("/shipments/{}", s.id))
            })
        })
        .await;
    match done {
        Ok(location) => page::see_other(&location).finish(),
        Err(e) => refused_plan(&state, &session, fields, renamed(e, plan_input)).await,
    }
}

async fn refused_plan(
    state: &web::Data<AppState>,
    session: &Session,
    fields: Fields,
    e: OpError,
) -> HttpResponse {
    let (status, errors) = match e {
        OpError::Validation(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        OpError::Forbidden(why) => return page::forbidden(&why),
        OpError::Unavailable(_) => return page::database_away(),
        OpError::NotFound(why) | OpError::Unprocessable(why) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![FieldError::new("order_id", why)],
        ),
        other => (
            StatusCode::CONFLICT,
            vec![FieldError::new("quantity_kg", other.to_string())],
        ),
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
    session: &Session,
    id: ShipmentId,
    status: StatusCode,
    notice: Option<String>,
    errors: Vec<FieldError>,
) -> HttpResponse {
    let loaded = state
        .db
        .read(move |c| {
            let s = crate::ops::shipments::get(c, id)?;
            let licence = match s.export_licence_id {
                Some(l) => Some(crate::ops::licences::get(c, l)?),
                None => None,
            };
            Ok((s, licence))
        })
        .await;
    let (s, licence) = match loaded {
        Ok(x) => x,
        Err(OpError::NotFound(why)) => return page::refused(StatusCode::NOT_FOUND, &why),
        Err(_) => return page::database_away(),
    };
    let writes = session.actor.role.allows(Permission::WriteShipments);
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
    page::render(
        status,
        &ShipmentPage {
            user: user(session),
            version: s.version,
            planned: s.planned_ship_date.to_string(),
            target,
            target_href,
            lots,
            licence: licence.as_ref().map(licence_label),
            can_ship: writes && s.status == ShipmentStatus::Planned,
            can_deliver: writes && s.status == ShipmentStatus::Shipped,
            modes: MODES.to_vec(),
            mode: s.transport_mode.as_str(),
            s: row(&s),
            notice,
            errors,
        },
    )
}

#[get("/shipments/{id}")]
pub async fn shipment(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<ShipmentId>,
) -> HttpResponse {
    let Some(session) = session::current(&req, &state).await else {
        return page::see_other("/login").finish();
    };
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
        if let Some(v) = super::form::optional(f, name) {
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

/// Ships or delivers a shipment from its page.
#[post("/shipments/{id}/{step}")]
pub async fn shipment_step(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(ShipmentId, String)>,
    body: web::Form<Fields>,
) -> HttpResponse {
    let fields = body.into_inner();
    let session = match session::for_form(&req, &state, field(&fields, "csrf")).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    if !session.actor.role.allows(Permission::WriteShipments) {
        return page::forbidden("your role does not ship or deliver");
    }
    let (id, step) = path.into_inner();
    let Some(expect) = super::form::version(&fields) else {
        return page::no_version();
    };
    let actor = session.actor.clone();
    let done = match step.as_str() {
        "ship" => match parse::<ShipRequest>(ship_body(&fields), |p, _| first_member(p)) {
            Ok(req) => {
                state
                    .db
                    .write(move |c| crate::ops::shipments::ship(c, &actor, id, &expect, req))
                    .await
            }
            Err(e) => Err(e),
        },
        "deliver" => {
            let body = serde_json::json!({"delivered_on": field(&fields, "delivered_on")});
            match parse::<DeliverRequest>(body, |p, _| first_member(p)) {
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
        _ => return page::refused(StatusCode::NOT_FOUND, "there is no such shipment step"),
    };
    match done {
        Ok(_) => page::see_other(&format!("/shipments/{id}")).finish(),
        Err(OpError::Validation(errors)) => {
            shipment_page(
                &state,
                &session,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                errors,
            )
            .await
        }
        Err(OpError::Forbidden(why)) => page::forbidden(&why),
        Err(OpError::PreconditionFailed(_)) => page::refused(
            StatusCode::PRECONDITION_FAILED,
            "This shipment was changed since you opened it; nothing was overwritten. Reload it.",
        ),
        Err(OpError::Unavailable(_)) => page::database_away(),
        Err(e) => {
            shipment_page(
                &state,
                &session,
                id,
                StatusCode::CONFLICT,
                Some(e.to_string()),
                Vec::new(),
            )
            .await
        }
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
