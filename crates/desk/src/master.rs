//! Master data on the desk: customers, products, export licences (with the kilograms left),
//! and users for admins — listed from the same operations as the API, each page with its
//! creation form for the roles that may create (`master_forms`).

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use super::master_forms::{CreateForm, Widget};
use super::page;
use super::view;
use crate::error::{DeskError, FieldError, OpError};
use crate::extract::{DeskSession, Fields};
use crate::layout::User;
use crate::ops::{Actor, Capabilities, Conn};
use crate::state::AppState;

/// The master-data pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Customers,
    Products,
    Licences,
    Users,
}

/// What a refused creation hands back to its page: the status, what was typed, and why.
pub struct Entry {
    pub status: StatusCode,
    pub typed: Fields,
    pub errors: Vec<FieldError>,
}

impl Default for Entry {
    fn default() -> Entry {
        Entry {
            status: StatusCode::OK,
            typed: Fields::new(),
            errors: Vec::new(),
        }
    }
}

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
    rows: Vec<TableRow>,
    /// Whether any row carries an action (the table then has an Action column).
    has_actions: bool,
    create: Option<CreateForm>,
    errors: Vec<FieldError>,
    /// The API's CSV of the table, when it has one.
    csv_href: &'static str,
}

/// A row of a master-data table; its first cell links to the record's page, if it has one,
/// and it may carry one action that ends something (revoke, deactivate).
pub struct TableRow {
    pub href: Option<String>,
    pub cells: Vec<String>,
    pub action: Option<RowAction>,
}

/// An action on one row, asked for behind a disclosure that says what it does.
pub struct RowAction {
    pub id: String,
    pub path: String,
    pub label: &'static str,
    pub button: String,
    pub consequence: String,
    pub version: i64,
    /// The action records a reason, which it requires.
    pub asks_reason: bool,
}

impl TableRow {
    fn plain(cells: Vec<String>) -> TableRow {
        TableRow {
            href: None,
            cells,
            action: None,
        }
    }
}

type Rows = Vec<TableRow>;

impl Kind {
    /// Title, note, empty state and table id.
    fn texts(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Kind::Customers => (
                "Customers",
                "The first 500 in creation order.",
                "No customer yet. Create the first with the form above, or import them from the ERP.",
                "customers",
            ),
            Kind::Products => (
                "Products",
                "The first 500 in creation order.",
                "No product yet. Create the first with the form above, or import them from the ERP.",
                "products",
            ),
            Kind::Licences => (
                "Export licences",
                "Kilograms left are what can still ship under each licence.",
                "No export licence yet. Admins register them here.",
                "licences",
            ),
            Kind::Users => ("Users", "Admins create users here; roles decide what each may do.", "No users.", "users"),
        }
    }

    /// The desk's download of the table: the API's CSV twin of the same list.
    fn csv_href(self) -> &'static str {
        match self {
            Kind::Customers => "/customers.csv?limit=500",
            Kind::Products => "/products.csv?limit=500",
            Kind::Licences => "/licences.csv?limit=500",
            Kind::Users => "/users.csv?limit=500",
        }
    }

    fn headers(self) -> Vec<(&'static str, bool)> {
        match self {
            Kind::Customers => vec![
                ("Code", false),
                ("Name", false),
                ("Country", false),
                ("ERP reference", false),
                ("Status", false),
            ],
            Kind::Products => vec![
                ("Code", false),
                ("Name", false),
                ("Form", false),
                ("Export-controlled", false),
                ("Status", false),
            ],
            Kind::Licences => vec![
                ("Number", false),
                ("Valid", false),
                ("Licensed kg", true),
                ("Shipped kg", true),
                ("Left kg", true),
                ("Status", false),
            ],
            Kind::Users => vec![("Username", false), ("Role", false), ("Active", false)],
        }
    }

    fn rows(self, c: &mut Conn, actor: &Actor) -> Result<Rows, OpError> {
        let kg = view::kg_of;
        let may = Capabilities::of(actor);
        Ok(match self {
            Kind::Customers => crate::ops::master::customer::list(
                c,
                &crate::ops::master::customer::CustomerFilter {
                    limit: Some(500),
                    ..Default::default()
                },
            )?
            .items
            .into_iter()
            .map(|x| TableRow {
                action: None,
                href: Some(format!("/customers/{}", x.id)),
                cells: vec![
                    x.code,
                    x.name,
                    x.country,
                    x.external_ref.unwrap_or_default(),
                    view::text(&x.status),
                ],
            })
            .collect(),
            Kind::Products => crate::ops::master::product::list(
                c,
                &crate::ops::master::product::ProductFilter {
                    limit: Some(500),
                    ..Default::default()
                },
            )?
            .items
            .into_iter()
            .map(|x| {
                TableRow::plain(vec![
                    x.code,
                    x.name,
                    view::text(&x.form),
                    if x.export_controlled { "Yes" } else { "No" }.into(),
                    view::text(&x.status),
                ])
            })
            .collect(),
            Kind::Licences => crate::ops::licences::list(
                c,
                &crate::ops::licences::LicenceFilter {
                    limit: Some(500),
                    ..Default::default()
                },
            )?
            .items
            .into_iter()
            .map(|x| TableRow {
                href: None,
                action: (may.write_licences && !x.revoked()).then(|| RowAction {
                    id: format!("revoke-{}", x.id),
                    path: format!("/licences/{}/revoke", x.id),
                    label: "Revoke",
                    button: format!("Revoke licence {}", x.number),
                    consequence: format!(
                        "Revoking ends licence {} for good: its {} kg left can no longer ship, and shipments under it that have not shipped need another licence. The ERP hears of it through the change feed and its webhooks.",
                        x.number,
                        kg(x.remaining_kg)
                    ),
                    version: x.version,
                    asks_reason: true,
                }),
                cells: vec![
                    x.number.clone(),
                    format!("{} to {}", x.valid_from, x.valid_to),
                    kg(x.quantity_kg),
                    kg(x.shipped_kg),
                    kg(x.remaining_kg),
                    view::text(&x.status),
                ],
            })
            .collect(),
            Kind::Users => crate::ops::users::list(
                c,
                actor,
                &crate::ops::users::UserFilter {
                    limit: Some(500),
                    ..Default::default()
                },
            )?
            .items
            .into_iter()
            .map(|u| TableRow {
                href: None,
                action: (may.manage_users && u.active && u.id != actor.user_id).then(|| RowAction {
                    id: format!("deactivate-{}", u.id),
                    path: format!("/users/{}/deactivate", u.id),
                    label: "Deactivate",
                    button: format!("Deactivate {}", u.username),
                    consequence: format!(
                        "Deactivating {} ends their sessions at once and stops them logging in or using API tokens. What they did stays in the audit trail.",
                        u.username
                    ),
                    version: u.version,
                    asks_reason: false,
                }),
                cells: vec![
                    u.username.clone(),
                    u.role.as_str().to_string(),
                    if u.active { "Yes" } else { "No" }.into(),
                ],
            })
            .collect(),
        })
    }
}

/// A master-data page, with its creation form for a role that may create, and what a refused
/// creation hands back.
pub async fn page_of(
    session: &DeskSession,
    state: &web::Data<AppState>,
    kind: Kind,
    entry: Entry,
) -> Result<HttpResponse, DeskError> {
    let actor = session.actor.clone();
    let may_create = kind.may_create(&Capabilities::of(&actor));
    let typed = entry.typed.clone();
    let (rows, create) = state
        .db
        .read(move |c| {
            let rows = kind.rows(c, &actor)?;
            let form = if may_create {
                Some(kind.form(c, &typed)?)
            } else {
                None
            };
            Ok((rows, form))
        })
        .await?;
    let (title, note, empty, table_id) = kind.texts();
    Ok(page::render(
        entry.status,
        &TablePage {
            user: User::of(session),
            title,
            note,
            empty,
            table_id,
            headers: kind.headers(),
            has_actions: rows.iter().any(|r| r.action.is_some()),
            rows,
            create,
            errors: entry.errors,
            csv_href: kind.csv_href(),
        },
    ))
}

#[get("/customers")]
pub async fn customers_page(
    session: DeskSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DeskError> {
    page_of(&session, &state, Kind::Customers, Entry::default()).await
}

#[get("/products")]
pub async fn products_page(
    session: DeskSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DeskError> {
    page_of(&session, &state, Kind::Products, Entry::default()).await
}

#[get("/licences")]
pub async fn licences_page(
    session: DeskSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DeskError> {
    page_of(&session, &state, Kind::Licences, Entry::default()).await
}

#[get("/users")]
pub async fn users_page(
    session: DeskSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DeskError> {
    page_of(&session, &state, Kind::Users, Entry::default()).await
}
