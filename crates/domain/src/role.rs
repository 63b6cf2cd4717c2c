//! Who may do what: the roles and their permissions (docs/business-rules.md, "Roles").

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Sales,
    Planner,
    Viewer,
    Integration,
}

/// A kind of change that needs a role's permission. Reading business resources needs none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ManageUsers,
    WriteCustomers,
    WriteProducts,
    WritePriceIndices,
    WritePriceQuotes,
    /// FX fixings: admin, planner, integration.
    WriteFxRates,
    ReadAudit,
    WriteContracts,
    WriteOrders,
    OverrideAtp,
    WritePlans,
    WriteActuals,
    WriteStock,
    WriteShipments,
    WriteExportLicences,
    /// Freezing a shipment's settlement once its price is final: admin, sales.
    FinaliseSettlements,
    /// Webhook subscriptions: admin only.
    ManageWebhooks,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Sales,
        Role::Planner,
        Role::Viewer,
        Role::Integration,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Sales => "sales",
            Role::Planner => "planner",
            Role::Viewer => "viewer",
            Role::Integration => "integration",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role may perform changes of the given kind.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Sales => matches!(
                permission,
                WriteCustomers
                    | WritePriceQuotes
                    | ReadAudit
                    | WriteContracts
                    | WriteOrders
                    | WriteShipments
                    | FinaliseSettlements
            ),
            Role::Planner => matches!(
                permission,
                WriteProducts
                    | WritePriceIndices
                    | WritePriceQuotes
                    | WriteFxRates
                    | ReadAudit
                    | OverrideAtp
                    | WritePlans
                    | WriteActuals
                    | WriteStock
            ),
            Role::Integration => matches!(
                permission,
                WriteCustomers
                    | WriteProducts
                    | WritePriceQuotes
                    | WriteFxRates
                    | WriteOrders
                    | WriteShipments
                    | ManageWebhooks
            ),
            Role::Viewer => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_manages_users() {
        for role in Role::ALL {
            assert_eq!(role.allows(Permission::ManageUsers), role == Role::Admin);
        }
    }

    #[test]
    fn viewer_changes_nothing() {
        use Permission::*;
        for p in [
            WriteCustomers,
            WriteProducts,
            WritePriceIndices,
            WritePriceQuotes,
            ReadAudit,
        ] {
            assert!(!Role::Viewer.allows(p));
        }
    }

    #[test]
    fn admin_planner_and_integration_write_fx_rates() {
        for role in Role::ALL {
            assert_eq!(
                role.allows(Permission::WriteFxRates),
                matches!(role, Role::Admin | Role::Planner | Role::Integration)
            );
        }
    }

    #[test]
    fn only_planners_and_admins_override_atp() {
        for role in Role::ALL {
            assert_eq!(
                role.allows(Permission::OverrideAtp),
                matches!(role, Role::Admin | Role::Planner)
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
