//! The CSV twins of the lists: `/api/v1/customers.csv`, `/products.csv`,
//! `/export-licences.csv`, `/shipments.csv`, `/contracts.csv`, `/production-plans.csv`,
//! `/orders.csv`, `/users.csv` and `/audit.csv` — the same filters and page as the JSON list,
//! as a spreadsheet. The desk's tables download these.

use actix_web::{get, web, HttpResponse};

use crate::csv_twin::csv_twin;
use crate::domain::contract::Contract;
use crate::domain::customer::Customer;
use crate::domain::licence::ExportLicence;
use crate::domain::order::Order;
use crate::domain::product::Product;
use crate::domain::production::ProductionPlan;
use crate::domain::shipment::Shipment;
use crate::domain::user::User;
use crate::ops::contracts::ContractFilter;
use crate::ops::feed::{AuditFilter, AuditPage};
use crate::ops::licences::LicenceFilter;
use crate::ops::master::customer::CustomerFilter;
use crate::ops::master::product::ProductFilter;
use crate::ops::orders::OrderFilter;
use crate::ops::page::Page;
use crate::ops::plans::PlanFilter;
use crate::ops::shipments::ShipmentFilter;
use crate::ops::users::UserFilter;
use crate::problem::{ApiError, ReadErrors};
use crate::respond;
use crate::state::AppState;

/// Registered before the resources' scopes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_customers_csv)
        .service(list_products_csv)
        .service(list_export_licences_csv)
        .service(list_shipments_csv)
        .service(list_contracts_csv)
        .service(list_production_plans_csv)
        .service(list_orders_csv)
        .service(list_users_csv)
        .service(list_audit_entries_csv);
}

csv_twin!(
    name: list_customers_csv,
    path: "/customers.csv",
    tag: "customers",
    query: CustomerFilter,
    op: crate::ops::master::customer::list,
    csv: Page::<Customer>::csv,
    summary: "List customers, as CSV",
);

csv_twin!(
    name: list_products_csv,
    path: "/products.csv",
    tag: "products",
    query: ProductFilter,
    op: crate::ops::master::product::list,
    csv: Page::<Product>::csv,
    summary: "List products, as CSV",
);

csv_twin!(
    name: list_export_licences_csv,
    path: "/export-licences.csv",
    tag: "export-licences",
    query: LicenceFilter,
    op: crate::ops::licences::list,
    csv_named: Page::<ExportLicence>::csv,
    summary: "List export licences, as CSV",
);

csv_twin!(
    name: list_shipments_csv,
    path: "/shipments.csv",
    tag: "shipments",
    query: ShipmentFilter,
    op: crate::ops::shipments::list,
    csv_named: Page::<Shipment>::csv,
    summary: "List shipments, as CSV",
);

csv_twin!(
    name: list_contracts_csv,
    path: "/contracts.csv",
    tag: "contracts",
    query: ContractFilter,
    op: crate::ops::contracts::list,
    csv_named: Page::<Contract>::csv,
    summary: "List contracts, as CSV",
);

csv_twin!(
    name: list_production_plans_csv,
    path: "/production-plans.csv",
    tag: "production",
    query: PlanFilter,
    op: crate::ops::plans::list,
    csv: Page::<ProductionPlan>::csv,
    summary: "List production plans, as CSV",
);

csv_twin!(
    name: list_orders_csv,
    path: "/orders.csv",
    tag: "orders",
    query: OrderFilter,
    op: crate::ops::orders::list,
    csv_named: Page::<Order>::csv,
    summary: "List orders, as CSV",
);

csv_twin!(
    name: list_users_csv,
    path: "/users.csv",
    tag: "users",
    query: UserFilter,
    op_for_actor: crate::ops::users::list,
    forbidden: "Admin only",
    csv: Page::<User>::csv,
    summary: "List users, as CSV",
);

csv_twin!(
    name: list_audit_entries_csv,
    path: "/audit.csv",
    tag: "audit",
    query: AuditFilter,
    op_for_actor: crate::ops::feed::audit,
    forbidden: "Not allowed for this role",
    csv: AuditPage::csv,
    summary: "List audit entries, as CSV",
);
