//! The desk's tables as CSV: the same documents as the API's twins
//! (`GET /api/v1/customers.csv` and the rest), read with the same filters and the same rules
//! about who may read them.

use actix_web::{get, web, HttpResponse};

use crate::error::{DeskError, OpError};
use crate::extract::DeskSession;
use crate::ops::contracts::ContractFilter;
use crate::ops::feed::AuditFilter;
use crate::ops::licences::LicenceFilter;
use crate::ops::master::customer::CustomerFilter;
use crate::ops::master::product::ProductFilter;
use crate::ops::orders::OrderFilter;
use crate::ops::plans::PlanFilter;
use crate::ops::report::Csv;
use crate::ops::shipments::ShipmentFilter;
use crate::ops::users::UserFilter;
use crate::ops::{Actor, Conn};
use crate::state::AppState;

/// Reads one CSV document as the logged-in user: a filter the API would refuse is refused
/// the same way, a table the role may not read is 403, an unknown resource 404.
pub(super) async fn download(
    session: DeskSession,
    state: web::Data<AppState>,
    read: impl Fn(&mut Conn, &Actor) -> Result<Csv, OpError> + Send + Sync + 'static,
) -> Result<HttpResponse, DeskError> {
    let actor = session.actor;
    let doc = state.db.read(move |c| read(c, &actor)).await?;
    Ok(crate::api::respond::csv(doc))
}

/// A desk download of one resource's table: the API's `/{id}/….csv` twin, read by `read`
/// (connection, id) as the logged-in user.
macro_rules! desk_csv_of_one {
    ($(#[$doc:meta])* $name:ident, $path:literal, $key:ty, $read:expr) => {
        $(#[$doc])*
        #[actix_web::get($path)]
        pub async fn $name(
            session: crate::extract::DeskSession,
            state: actix_web::web::Data<crate::state::AppState>,
            id: crate::extract::DeskPath<$key>,
        ) -> Result<actix_web::HttpResponse, crate::error::DeskError> {
            let id = id.into_inner();
            let read: fn(
                &mut crate::ops::Conn,
                $key,
            ) -> Result<crate::ops::report::Csv, crate::error::OpError> = $read;
            super::list_csv::download(session, state, move |c, _| read(c, id)).await
        }
    };
}
pub(super) use desk_csv_of_one;

/// A desk download of a list: the API's list twin, read by `read` (connection, logged-in user,
/// filter) with the same filter as the JSON list. `named` lists read the codes and names they
/// put beside ids as they write.
macro_rules! desk_list_csv {
    (named $name:ident, $path:literal, $filter:ty, $read:expr) => {
        desk_list_csv!(@ $name, $path, $filter, $read, |c, page| page.csv(c));
    };
    ($name:ident, $path:literal, $filter:ty, $read:expr) => {
        desk_list_csv!(@ $name, $path, $filter, $read, |_c, page| Ok(page.csv()));
    };
    (@ $name:ident, $path:literal, $filter:ty, $read:expr, |$c:ident, $page:ident| $write:expr) => {
        #[get($path)]
        pub async fn $name(
            session: DeskSession,
            state: web::Data<AppState>,
            f: web::Query<$filter>,
        ) -> Result<HttpResponse, DeskError> {
            let f = f.into_inner();
            let read: fn(&mut Conn, &Actor, &$filter) -> Result<_, OpError> = $read;
            download(session, state, move |$c, actor| {
                let $page = read($c, actor, &f)?;
                $write
            })
            .await
        }
    };
}

desk_list_csv!(
    customers_csv,
    "/customers.csv",
    CustomerFilter,
    |c, _, f| { crate::ops::master::customer::list(c, f) }
);
desk_list_csv!(products_csv, "/products.csv", ProductFilter, |c, _, f| {
    crate::ops::master::product::list(c, f)
});
desk_list_csv!(named licences_csv, "/licences.csv", LicenceFilter, |c, _, f| {
    crate::ops::licences::list(c, f)
});
desk_list_csv!(
    named shipments_csv,
    "/shipments.csv",
    ShipmentFilter,
    |c, _, f| { crate::ops::shipments::list(c, f) }
);
desk_list_csv!(
    named contracts_csv,
    "/contracts.csv",
    ContractFilter,
    |c, _, f| { crate::ops::contracts::list(c, f) }
);
desk_list_csv!(plans_csv, "/plans.csv", PlanFilter, |c, _, f| {
    crate::ops::plans::list(c, f)
});
desk_list_csv!(named orders_csv, "/orders.csv", OrderFilter, |c, _, f| {
    crate::ops::orders::list(c, f)
});
desk_list_csv!(users_csv, "/users.csv", UserFilter, crate::ops::users::list);
desk_list_csv!(
    audit_csv,
    "/audit.csv",
    AuditFilter,
    crate::ops::feed::audit
);
