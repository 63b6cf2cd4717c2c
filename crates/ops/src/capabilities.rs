//! What an actor may start, whatever resource it is about: the same permission each creating
//! operation requires, asked once so the desk's navigation and forms follow the operations.

use crate::domain::Permission;
use crate::Actor;

/// The kinds of work open to an actor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Enter spot and add-on orders (`ops::orders::create`).
    pub enter_orders: bool,
    /// Create and change contracts (`ops::contracts::create`).
    pub write_contracts: bool,
    /// Create production plan versions (`ops::plans::create`).
    pub write_plans: bool,
    /// Enter price quotes (`ops::quotes::upsert`).
    pub enter_quotes: bool,
    /// Create customers (`ops::master::create::<Customer>`).
    pub write_customers: bool,
    /// Create products (`ops::master::create::<Product>`).
    pub write_products: bool,
    /// Issue export licences (`ops::licences::create`).
    pub write_licences: bool,
    /// Plan and move shipments (`ops::shipments::create`).
    pub write_shipments: bool,
    /// Create users and change their roles (`ops::users`).
    pub manage_users: bool,
    /// Read the audit trail (`ops::feed::audit`).
    pub read_audit: bool,
    /// Override the ATP gate with a reason.
    pub override_atp: bool,
    /// Freeze a shipment's settlement once its price is final (`ops::settlements::finalise`).
    pub finalise_settlements: bool,
}

impl Capabilities {
    pub fn of(actor: &Actor) -> Capabilities {
        let may = |p| actor.require(p).is_ok();
        Capabilities {
            enter_orders: may(Permission::WriteOrders),
            write_contracts: may(Permission::WriteContracts),
            write_plans: may(Permission::WritePlans),
            enter_quotes: may(Permission::WritePriceQuotes),
            write_customers: may(Permission::WriteCustomers),
            write_products: may(Permission::WriteProducts),
            write_licences: may(Permission::WriteExportLicences),
            write_shipments: may(Permission::WriteShipments),
            manage_users: may(Permission::ManageUsers),
            read_audit: may(Permission::ReadAudit),
            override_atp: may(Permission::OverrideAtp),
            finalise_settlements: may(Permission::FinaliseSettlements),
        }
    }
}
