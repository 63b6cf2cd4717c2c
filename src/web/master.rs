//! Master data as the desk reads it: customers, products, export licences (with the kilograms
//! left), and users for admins — from the same list operations as the API. Changes go through
//! the API or the ERP import.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::desk::{user, User};
use super::page;
use super::session;
use super::view;
use crate::domain::{KgAmount, Permission};
use crate::error::OpError;
use crate::state::AppState;

#[derive(askama::Template)]
#[template(path = "table.html")]
struct TablePage {
    user: User,
    title: &'static str,
    note: &'static str,
    empty: &'static str,
    table_id: &'static str,
    /// (heading, right-aligned)
    headers: Vec<(&'static str, bool)>,
    rows: Vec<Vec<String>>,
}

type Rows = Result<Vec<Vec<String>>, OpError>;

async fn table(
    req: HttpRequest,
    state: web::Data<AppState>,
    spec: (&'static str, &'static str, &'static str, &'static str),
    headers: Vec<(&'static str, bool)>,
    admin_only: bool,
    rows: impl Fn(&mut crate::db::DbConnection, &crate::ops::Actor) -> Rows + Send + 'static,
) -> HttpResponse {
    let Some(session) = session::current(&req, &state).await else {
        return page::see_other("/login").finish();
    };
    if admin_only && !session.actor.role.allows(Permission::ManageUsers) {
        return page::forbidden("only admins see users");
    }
    let actor = session.actor.clone();
    let rows = match state.db.read(move |c| rows(c, &actor)).await {
        Ok(r) => r,
        Err(OpError::Forbidden(why)) => return page::forbidden(&why),
        Err(_) => return page::database_away(),
    };
    let (title, note, empty, table_id) = spec;
    page::render(
        StatusCode::OK,
        &TablePage {
            user: user(&session),
            title,
            note,
            empty,
            table_id,
            headers,
            rows,
        },
    )
}

#[get("/customers")]
pub async fn customers_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    table(
        req,
        state,
        (
            "Customers",
            "The first 500 in creation order.",
            "No customer yet. Create customers through the API or the ERP import.",
            "customers",
        ),
        vec![
            ("Code", false),
            ("Name", false),
            ("Country", false),
            ("ERP reference", false),
            ("Status", false),
        ],
        false,
        |c, _| {
            let page = crate::ops::master::customer::list(
                c,
                &crate::ops::master::customer::CustomerFilter {
                    limit: Some(500),
                    ..Default::default()
                },
            )?;
            Ok(page
                .items
                .into_iter()
                .map(|x| {
                    vec![
                        x.code,
                        x.name,
                        x.country,
                        x.external_ref.unwrap_or_default(),
                        view::text(&x.status),
                    ]
                })
                .collect())
        },
    )
    .await
}

#[get("/products")]
pub async fn products_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    table(
        req,
        state,
        (
            "Products",
            "The first 500 in creation order.",
            "No product yet. Create products through the API or the ERP import.",
            "products",
        ),
        vec![
            ("Code", false),
            ("Name", false),
            ("Form", false),
            ("Export-controlled", false),
            ("Status", false),
        ],
        false,
        |c, _| {
            let page = crate::ops::master::product::list(
                c,
                &crate::ops::master::product::ProductFilter {
                    limit: Some(500),
                    ..Default::default()
                },
            )?;
            Ok(page
                .items
                .into_iter()
                .map(|x| {
                    vec![
                        x.code,
                        x.name,
                        view::text(&x.form),
                        if x.export_controlled { "Yes" } else { "No" }.into(),
                        view::text(&x.status),
                    ]
                })
                .collect())
        },
    )
    .await
}

#[get("/licences")]
pub async fn licences_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    table(
        req,
        state,
        (
            "Export licences",
            "Kilograms left are what can still ship under each licence.",
            "No export licence yet.",
            "licences",
        ),
        vec![
            ("Number", false),
            ("Valid", false),
            ("Licensed kg", true),
            ("Shipped kg", true),
            ("Left kg", true),
            ("Status", false),
        ],
        false,
        |c, _| {
            let page = crate::ops::licences::list(
                c,
                &crate::ops::licences::LicenceFilter {
                    limit: Some(500),
                    cursor: None,
                    updated_since: None,
                    status: None,
                },
            )?;
            Ok(page
                .items
                .into_iter()
                .map(|x| {
                    vec![
                        x.number,
                        format!("{} to {}", x.valid_from, x.valid_to),
                        view::kg(KgAmount::from(x.quantity_kg).display()),
                        view::kg(KgAmount::from(x.shipped_kg).display()),
                        view::kg(KgAmount::from(x.remaining_kg).display()),
                        view::text(&x.status),
                    ]
                })
                .collect())
        },
    )
    .await
}

#[get("/users")]
pub async fn users_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    table(
        req,
        state,
        (
            "Users",
            "Admins manage users through the API (`/api/v1/users`).",
            "No users.",
            "users",
        ),
        vec![("Username", false), ("Role", false), ("Active", false)],
        true,
        |c, actor| {
            let page = crate::ops::users::list(
                c,
                actor,
                &crate::ops::users::UserFilter {
                    limit: Some(500),
                    cursor: None,
                    updated_since: None,
                    status: None,
                },
            )?;
            Ok(page
                .items
                .into_iter()
                .map(|u| {
                    vec![
                        u.username,
                        u.role.as_str().to_string(),
                        if u.active { "Yes" } else { "No" }.into(),
                    ]
                })
                .collect())
        },
    )
    .await
}
