//! Lifecycle states of contracts, orders and plans, and the moves allowed between them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! status_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
        }
    };
}

status_enum!(
    /// draft → active ⇄ suspended; active or suspended → completed / terminated.
    ContractStatus {
        Draft => "draft",
        Active => "active",
        Suspended => "suspended",
        Completed => "completed",
        Terminated => "terminated",
    }
);

status_enum!(
    /// draft → submitted → confirmed → partially_shipped → shipped → delivered; cancelled; rejected.
    OrderStatus {
        Draft => "draft",
        Submitted => "submitted",
        Confirmed => "confirmed",
        PartiallyShipped => "partially_shipped",
        Shipped => "shipped",
        Delivered => "delivered",
        Cancelled => "cancelled",
        Rejected => "rejected",
    }
);

status_enum!(
    /// draft → approved (the current plan) → superseded.
    PlanStatus {
        Draft => "draft",
        Approved => "approved",
        Superseded => "superseded",
    }
);

status_enum!(
    /// planned → shipped → delivered; cancelled.
    ShipmentStatus {
        Planned => "planned",
        Shipped => "shipped",
        Delivered => "delivered",
        Cancelled => "cancelled",
    }
);

status_enum!(
    /// A spot order stands alone; an add-on order adds to a contract's month.
    OrderType {
        Spot => "spot",
        AddOn => "add_on",
    }
);

/// Stored state of an export licence; whether it has expired depends on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredLicenceState {
    Active,
    Revoked,
}

impl StoredLicenceState {
    pub fn as_str(self) -> &'static str {
        match self {
            StoredLicenceState::Active => "active",
            StoredLicenceState::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<StoredLicenceState> {
        match s {
            "active" => Some(StoredLicenceState::Active),
            "revoked" => Some(StoredLicenceState::Revoked),
            _ => None,
        }
    }
}

/// A lifecycle action on a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractAction {
    Activate,
    Suspend,
    Resume,
    Complete,
    Terminate,
}

impl ContractAction {
    pub const ALL: [ContractAction; 5] = [
        ContractAction::Activate,
        ContractAction::Suspend,
        ContractAction::Resume,
        ContractAction::Complete,
        ContractAction::Terminate,
    ];

    /// The action named `name` (`activate`, …).
    pub fn parse(name: &str) -> Option<ContractAction> {
        ContractAction::ALL.into_iter().find(|a| a.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            ContractAction::Activate => "activate",
            ContractAction::Suspend => "suspend",
            ContractAction::Resume => "resume",
            ContractAction::Complete => "complete",
            ContractAction::Terminate => "terminate",
        }
    }

    /// The event/audit verb.
    pub fn past(self) -> &'static str {
        match self {
            ContractAction::Activate => "activated",
            ContractAction::Suspend => "suspended",
            ContractAction::Resume => "resumed",
            ContractAction::Complete => "completed",
            ContractAction::Terminate => "terminated",
        }
    }
}

impl ContractStatus {
    /// The state `action` leads to from here, if allowed.
    pub fn apply(self, action: ContractAction) -> Option<ContractStatus> {
        use ContractAction as A;
        use ContractStatus as S;
        match (self, action) {
            (S::Draft, A::Activate) => Some(S::Active),
            (S::Active, A::Suspend) => Some(S::Suspended),
            (S::Suspended, A::Resume) => Some(S::Active),
            (S::Active | S::Suspended, A::Complete) => Some(S::Completed),
            (S::Active | S::Suspended, A::Terminate) => Some(S::Terminated),
            _ => None,
        }
    }

    /// Whether the contract's schedule counts as demand.
    pub fn is_commitment(self) -> bool {
        matches!(self, ContractStatus::Active | ContractStatus::Suspended)
    }
}

/// A lifecycle action on an order taken through the API (shipping states come from shipments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderAction {
    Submit,
    Confirm,
    Reject,
    Cancel,
}

impl OrderAction {
    pub fn name(self) -> &'static str {
        match self {
            OrderAction::Submit => "submit",
            OrderAction::Confirm => "confirm",
            OrderAction::Reject => "reject",
            OrderAction::Cancel => "cancel",
        }
    }

    pub fn past(self) -> &'static str {
        match self {
            OrderAction::Submit => "submitted",
            OrderAction::Confirm => "confirmed",
            OrderAction::Reject => "rejected",
            OrderAction::Cancel => "cancelled",
        }
    }
}

impl OrderStatus {
    pub fn apply(self, action: OrderAction) -> Option<OrderStatus> {
        use OrderAction as A;
        use OrderStatus as S;
        match (self, action) {
            (S::Draft, A::Submit) => Some(S::Submitted),
            (S::Draft | S::Submitted, A::Confirm) => Some(S::Confirmed),
            (S::Submitted, A::Reject) => Some(S::Rejected),
            (S::Draft | S::Submitted | S::Confirmed, A::Cancel) => Some(S::Cancelled),
            _ => None,
        }
    }

    /// Confirmed or later (and not cancelled): counts as demand.
    pub fn is_commitment(self) -> bool {
        matches!(
            self,
            OrderStatus::Confirmed
                | OrderStatus::PartiallyShipped
                | OrderStatus::Shipped
                | OrderStatus::Delivered
        )
    }

    /// Draft or submitted: shown as pending, not demand.
    pub fn is_pending(self) -> bool {
        matches!(self, OrderStatus::Draft | OrderStatus::Submitted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_moves() {
        use ContractAction as A;
        use ContractStatus as S;
        assert_eq!(S::Draft.apply(A::Activate), Some(S::Active));
        assert_eq!(S::Active.apply(A::Suspend), Some(S::Suspended));
        assert_eq!(S::Suspended.apply(A::Resume), Some(S::Active));
        assert_eq!(S::Suspended.apply(A::Terminate), Some(S::Terminated));
        assert_eq!(S::Draft.apply(A::Complete), None);
        assert_eq!(S::Active.apply(A::Activate), None);
        assert_eq!(S::Completed.apply(A::Resume), None);
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn order_moves() {
        use OrderAction as A;
        use OrderStatus as S;
        assert_eq!(S::Draft.apply(A::Submit), Some(S::Submitted));
        assert_eq!(S::Submitted.apply(A::Confirm), Some(S::Confirmed));
        assert_eq!(S::Confirmed.apply(A::Cancel), Some(S::Cancelled));
        assert_eq!(S::Confirmed.apply(A::Reject), None);
        assert_eq!(S::Shipped.apply(A::Cancel), None);
        assert!(S::Delivered.is_commitment() && !S::Submitted.is_commitment());
        assert!(S::Draft.is_pending() && !S::Cancelled.is_pending());
    }
}
