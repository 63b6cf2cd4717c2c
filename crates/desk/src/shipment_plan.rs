//! Planning a shipment from the desk: the form (lots with their assay, the transport mode, an
//! export licence with its remaining kg), opened from the shipment list, an order or a contract
//! month, and posted to the operation behind `POST /api/v1/shipments`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use super::form::parse;
use super::page;
use super::shipments::{licence_label, MODES};
use crate::domain::lifecycle::{ContractStatus, OrderStatus};
use crate::error::{DeskError, FieldError, OpError, Refusal};
use crate::extract::{
    field, optional, DeskForm, DeskQuery, DeskSession, Fields, FormInput, IdempotencyKey,
};
use crate::flash;
use crate::layout::User;
use crate::numbers::for_api;
use crate::ops::licences::LicenceFilter;
use crate::ops::orders::OrderFilter;
use crate::ops::shipments::NewShipment;
use crate::ops::{Capabilities, Conn};
use crate::state::AppState;
use crate::view::kg_of;

pub struct Choice {
    pub id: String,
    pub label: String,
}

/// Lot lines the plan form offers.
const LOT_ROWS: usize = 3;

#[derive(askama::Template)]
#[template(path = "shipment_new.html")]
struct PlanPage {
    user: User,
    orders: Vec<Choice>,
    contracts: Vec<Choice>,
    licences: Vec<Choice>,
    modes: Vec<&'static str>,
    lot_rows: Vec<usize>,
    form: Fields,
    errors: Vec<FieldError>,
    idempotency_key: String,
}

impl PlanPage {
    /// What the form holds for `name`, as typed.
    fn typed(&self, name: &str) -> &str {
        field(&self.form, name)
    }

    fn lot_input(&self, member: &str, i: &usize) -> &str {
        field(&self.form, &format!("{member}_{i}"))
    }
}

/// What the form offers: confirmed orders, active contracts, active licences.
struct Lists {
    orders: Vec<Choice>,
    contracts: Vec<Choice>,
    licences: Vec<Choice>,
}

fn lists(c: &mut Conn) -> Result<Lists, OpError> {
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
    let contracts = crate::ops::contracts::labels(c, Some(ContractStatus::Active))?
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
        orders,
        contracts,
        licences,
    })
}

async fn plan_page(
    state: &web::Data<AppState>,
    session: &DeskSession,
    status: StatusCode,
    form: Fields,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, DeskError> {
    if !Capabilities::of(&session.actor).write_shipments {
        return Err(DeskError::Forbidden(
            "your role does not plan shipments".into(),
        ));
    }
    let l = state.db.read(lists).await?;
    Ok(page::render(
        status,
        &PlanPage {
            user: User::of(session),
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

/// The plan form, filled in from the address (`?order_id=…`, or `?contract_id=…&period=…`).
#[get("/shipments/new")]
pub async fn new_shipment(
    session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    let mut form = query.0;
    form.retain(|k, _| k != "idempotency_key");
    plan_page(&state, &session, StatusCode::OK, form, Vec::new()).await
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
                "quantity_kg": for_api(field(f, &format!("lot_kg_{i}"))),
            });
            let assay = field(f, &format!("assay_{i}"));
            if !assay.is_empty() {
                lot["assay"] = assay_of(assay);
            }
            lot
        })
        .collect();
    let mut body = serde_json::json!({
        "quantity_kg": for_api(field(f, "quantity_kg")),
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
        Ok(id) => Ok(flash::done(
            &format!("/shipments/{id}"),
            "Shipment planned: its lots are recorded and it counts against its licence.",
        )),
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
    plan_page(state, session, status, fields, errors).await
}

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
