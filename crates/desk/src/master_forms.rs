//! Creating master data from the desk: a customer or product (roles that write them), an
//! export licence and a user (admins). Each form is declared once — its inputs, the request
//! body it makes, the operation it calls — and posts through the same operations as the API.

use actix_web::{post, web, HttpResponse};

use super::form::parse;
use super::master::{page_of, Entry, Kind};
use crate::domain::customer::Customer;
use crate::domain::product::Product;
use crate::domain::reference::{MasterStatus, ProductForm};
use crate::domain::Role;
use crate::error::OpError;
use crate::error::{DeskError, Refusal};
use crate::extract::{field, DeskForm, Fields, FormInput};
use crate::ops::master::customer::{CustomerFilter, NewCustomer};
use crate::ops::master::product::{NewProduct, ProductFilter};
use crate::ops::Actor;
use crate::ops::{Capabilities, Conn};
use crate::state::AppState;

/// (value, label) of each option of a choice.
pub type Options = Vec<(String, String)>;

/// How an input is shown.
pub enum Widget {
    Text {
        pattern: &'static str,
        max: usize,
    },
    /// A quantity as people type it (`12,000`), read by `numbers::for_api`.
    Quantity {
        max: usize,
    },
    Secret,
    Date,
    Check,
    Choose(Options),
}

/// One input of a creation form, with what was typed.
pub struct Input {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub widget: Widget,
    pub value: String,
}

/// A creation form on a master-data page.
pub struct CreateForm {
    pub title: &'static str,
    pub action: &'static str,
    pub inputs: Vec<Input>,
}

fn text(name: &'static str, label: &'static str, required: bool, max: usize) -> Input {
    Input {
        name,
        label,
        required,
        widget: Widget::Text { pattern: "", max },
        value: String::new(),
    }
}

fn coded(name: &'static str, label: &'static str, pattern: &'static str) -> Input {
    Input {
        widget: Widget::Text { pattern, max: 40 },
        ..text(name, label, true, 40)
    }
}

fn choose(name: &'static str, label: &'static str, options: Options) -> Input {
    Input {
        name,
        label,
        required: true,
        widget: Widget::Choose(options),
        value: String::new(),
    }
}

fn date(name: &'static str, label: &'static str) -> Input {
    Input {
        widget: Widget::Date,
        ..text(name, label, true, 10)
    }
}

const CODE: &str = "[A-Za-z0-9._\\-]{1,40}";

/// Active customers or products as choices.
fn parties(c: &mut Conn) -> Result<(Options, Options), OpError> {
    let customers = crate::ops::master::customer::list(
        c,
        &CustomerFilter {
            limit: Some(500),
            status: Some(MasterStatus::Active),
            ..Default::default()
        },
    )?
    .items
    .into_iter()
    .map(|x: Customer| (x.id.to_string(), format!("{} — {}", x.code, x.name)))
    .collect();
    let products = crate::ops::master::product::list(
        c,
        &ProductFilter {
            limit: Some(500),
            status: Some(MasterStatus::Active),
            ..Default::default()
        },
    )?
    .items
    .into_iter()
    .map(|x: Product| (x.id.to_string(), format!("{} — {}", x.code, x.name)))
    .collect();
    Ok((customers, products))
}

impl Kind {
    /// Whether the actor may create this kind (the permission its operation requires).
    pub fn may_create(self, caps: &Capabilities) -> bool {
        match self {
            Kind::Customers => caps.write_customers,
            Kind::Products => caps.write_products,
            Kind::Licences => caps.write_licences,
            Kind::Users => caps.manage_users,
        }
    }

    /// The creation form, its inputs filled with what was typed.
    pub fn form(self, c: &mut Conn, typed: &Fields) -> Result<CreateForm, OpError> {
        let (title, action, mut inputs) = match self {
            Kind::Customers => (
                "New customer",
                "/customers",
                vec![
                    coded("code", "Code", CODE),
                    text("name", "Name", true, 200),
                    coded(
                        "country",
                        "Country (ISO 3166-1 alpha-2, e.g. JP)",
                        "[A-Za-z]{2}",
                    ),
                    text("external_ref", "ERP reference (optional)", false, 100),
                ],
            ),
            Kind::Products => (
                "New product",
                "/products",
                vec![
                    coded("code", "Code", CODE),
                    text("name", "Name", true, 200),
                    choose(
                        "form",
                        "Form",
                        [
                            ProductForm::Oxide,
                            ProductForm::Metal,
                            ProductForm::Alloy,
                            ProductForm::Carbonate,
                            ProductForm::Other,
                        ]
                        .iter()
                        .map(|f| (f.as_str().to_string(), f.as_str().to_string()))
                        .collect(),
                    ),
                    text("min_purity_pct", "Minimum purity % (optional)", false, 12),
                    text("hs_code", "HS code (optional, e.g. 2846.90)", false, 20),
                    Input {
                        widget: Widget::Check,
                        ..text(
                            "export_controlled",
                            "Export-controlled (needs a licence to ship)",
                            false,
                            5,
                        )
                    },
                    text("external_ref", "ERP reference (optional)", false, 100),
                ],
            ),
            Kind::Licences => {
                let (customers, products) = parties(c)?;
                (
                    "New export licence",
                    "/licences",
                    vec![
                        coded("number", "Licence number", CODE),
                        choose("product_id", "Product", products),
                        choose("customer_id", "Customer", customers),
                        Input {
                            widget: Widget::Quantity { max: 20 },
                            ..text("quantity_kg", "Licensed kg", true, 20)
                        },
                        date("valid_from", "Valid from"),
                        date("valid_to", "Valid to"),
                    ],
                )
            }
            Kind::Users => (
                "New user",
                "/users",
                vec![
                    Input {
                        widget: Widget::Text {
                            pattern: "[a-z][a-z0-9._\\-]{2,63}",
                            max: 64,
                        },
                        ..text(
                            "username",
                            "Username (a–z, 0–9, . _ -, starting with a letter)",
                            true,
                            64,
                        )
                    },
                    Input {
                        widget: Widget::Secret,
                        ..text("password", "Password (at least 12 characters)", true, 200)
                    },
                    choose(
                        "role",
                        "Role",
                        Role::ALL
                            .iter()
                            .map(|r| (r.as_str().to_string(), r.as_str().to_string()))
                            .collect(),
                    ),
                ],
            ),
        };
        for input in &mut inputs {
            input.value = field(typed, input.name).to_string();
        }
        Ok(CreateForm {
            title,
            action,
            inputs,
        })
    }
}

/// The body a creation form describes: blank optional inputs left out, a box as a boolean.
fn body_of(form: &CreateForm, typed: &Fields) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    for input in &form.inputs {
        let v = field(typed, input.name);
        match input.widget {
            Widget::Check => {
                body.insert(input.name.into(), (v == "true").into());
            }
            _ if v.is_empty() && !input.required => {}
            Widget::Quantity { .. } => {
                body.insert(input.name.into(), crate::numbers::for_api(v).into());
            }
            _ => {
                body.insert(input.name.into(), v.into());
            }
        }
    }
    serde_json::Value::Object(body)
}

/// "New export licence" → "Export licence created."
fn created_message(title: &str) -> String {
    let what = title.trim_start_matches("New ");
    let mut chars = what.chars();
    match chars.next() {
        Some(first) => format!("{}{} created.", first.to_uppercase(), chars.as_str()),
        None => "Created.".into(),
    }
}

fn first_member(path: &str) -> String {
    path.split(['.', '[']).next().unwrap_or(path).to_string()
}

/// Creates what the form describes, through the API's operation.
async fn create(
    state: &web::Data<AppState>,
    kind: Kind,
    actor: Actor,
    body: serde_json::Value,
) -> Result<(), OpError> {
    match kind {
        Kind::Customers => {
            let new: NewCustomer = parse(body, first_member)?;
            state
                .db
                .write(move |c| crate::ops::master::create::<Customer>(c, &actor, new).map(drop))
                .await
        }
        Kind::Products => {
            let new: NewProduct = parse(body, first_member)?;
            state
                .db
                .write(move |c| crate::ops::master::create::<Product>(c, &actor, new).map(drop))
                .await
        }
        Kind::Licences => {
            let new: crate::ops::licences::NewLicence = parse(body, first_member)?;
            state
                .db
                .write(move |c| crate::ops::licences::create(c, &actor, new).map(drop))
                .await
        }
        Kind::Users => {
            let new: crate::ops::users::NewUserRequest = parse(body, first_member)?;
            let who = actor.clone();
            // Hashing the password is slow on purpose: off the event loop.
            let prepared = web::block(move || crate::ops::users::prepare(&who, new))
                .await
                .map_err(OpError::unexpected)??;
            state
                .db
                .write(move |c| crate::ops::users::create(c, &actor, prepared).map(drop))
                .await
        }
    }
}

/// A creation form as typed: the operation's own types read it.
pub struct Typed(Fields);

impl FormInput for Typed {
    fn parse(fields: &Fields) -> Result<Typed, Vec<crate::error::FieldError>> {
        Ok(Typed(fields.clone()))
    }
}

async fn submit(
    state: web::Data<AppState>,
    kind: Kind,
    form: DeskForm<Typed>,
) -> Result<HttpResponse, DeskError> {
    let typed = form.input.0;
    let create_form = {
        let typed = typed.clone();
        state.db.read(move |c| kind.form(c, &typed)).await?
    };
    let body = body_of(&create_form, &typed);
    let entry = match create(&state, kind, form.session.actor.clone(), body).await {
        Ok(()) => {
            return Ok(crate::flash::done(
                create_form.action,
                created_message(create_form.title),
            ))
        }
        Err(e) => {
            let refusal = Refusal::of(e)?;
            Entry {
                status: refusal.status(),
                errors: refusal.errors_for(create_form.inputs[0].name),
                typed,
            }
        }
    };
    page_of(&form.session, &state, kind, entry).await
}

#[post("/customers")]
pub async fn create_customer(
    state: web::Data<AppState>,
    form: DeskForm<Typed>,
) -> Result<HttpResponse, DeskError> {
    submit(state, Kind::Customers, form).await
}

#[post("/products")]
pub async fn create_product(
    state: web::Data<AppState>,
    form: DeskForm<Typed>,
) -> Result<HttpResponse, DeskError> {
    submit(state, Kind::Products, form).await
}

#[post("/licences")]
pub async fn create_licence(
    state: web::Data<AppState>,
    form: DeskForm<Typed>,
) -> Result<HttpResponse, DeskError> {
    submit(state, Kind::Licences, form).await
}

#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    form: DeskForm<Typed>,
) -> Result<HttpResponse, DeskError> {
    submit(state, Kind::Users, form).await
}
