//! The ids of the business entities, one type each, so a customer's id can never be passed
//! where a product's is meant. Each is a UUID underneath: JSON carries it as the UUID string,
//! the database stores it as text, and `Display`/`FromStr` are the one place it becomes and
//! comes from that text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What every entity id can do, for code that handles ids of any kind (parsing stored rows,
/// naming an entity in the audit trail).
pub trait EntityId:
    Copy + Eq + fmt::Display + FromStr + Serialize + serde::de::DeserializeOwned + Send + Sync + 'static
{
    /// What the id names, in words (`"customer"`).
    const WHAT: &'static str;
    fn from_uuid(uuid: uuid::Uuid) -> Self;
    fn uuid(self) -> uuid::Uuid;
    /// A new, random id.
    fn fresh() -> Self {
        Self::from_uuid(uuid::Uuid::new_v4())
    }
}

macro_rules! entity_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new, random id.
            pub fn fresh() -> $name {
                $name(uuid::Uuid::new_v4())
            }

            pub const fn from_uuid(uuid: uuid::Uuid) -> $name {
                $name(uuid)
            }

            pub const fn uuid(self) -> uuid::Uuid {
                self.0
            }

            /// The id in `text`, if it is one (a UUID).
            pub fn parse(text: &str) -> Option<$name> {
                uuid::Uuid::parse_str(text.trim()).ok().map($name)
            }
        }

        impl EntityId for $name {
            const WHAT: &'static str = $what;

            fn from_uuid(uuid: uuid::Uuid) -> $name {
                $name(uuid)
            }

            fn uuid(self) -> uuid::Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<$name, uuid::Error> {
                uuid::Uuid::parse_str(s).map($name)
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> uuid::Uuid {
                id.0
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
                        utoipa::openapi::schema::KnownFormat::Uuid,
                    )))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

entity_id!(
    /// A customer's id.
    CustomerId,
    "customer"
);
entity_id!(
    /// A product's id.
    ProductId,
    "product"
);
entity_id!(
    /// A long-term contract's id.
    ContractId,
    "contract"
);
entity_id!(
    /// A spot or add-on order's id.
    OrderId,
    "order"
);
entity_id!(
    /// A shipment's id.
    ShipmentId,
    "shipment"
);
entity_id!(
    /// A production plan version's id.
    PlanId,
    "production plan"
);
entity_id!(
    /// An export licence's id.
    LicenceId,
    "export licence"
);
entity_id!(
    /// A price index's id.
    PriceIndexId,
    "price index"
);
entity_id!(
    /// A user's id.
    UserId,
    "user"
);
entity_id!(
    /// A webhook subscription's id.
    WebhookId,
    "webhook"
);
entity_id!(
    /// One delivery of one event to one webhook subscription.
    DeliveryId,
    "webhook delivery"
);

impl UserId {
    /// The service itself, acting without a user (first-start bootstrap, the command line, the
    /// demo data set): the nil UUID, which no user has.
    pub const SYSTEM: UserId = UserId(uuid::Uuid::nil());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_write_as_their_uuid() {
        let text = "6aab728c-5d25-46c0-b1b1-b708c14db466";
        let id: CustomerId = text.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(id.to_string(), text);
        assert_eq!(
            serde_json::to_string(&id).unwrap_or_default(),
            format!("\"{text}\"")
        );
        let back: CustomerId =
            serde_json::from_str(&format!("\"{text}\"")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, id);
        assert!(CustomerId::parse("not-an-id").is_none());
        assert_eq!(CustomerId::parse(&format!(" {text} ")), Some(id));
        assert!(serde_json::from_str::<CustomerId>("42").is_err());
    }
}
