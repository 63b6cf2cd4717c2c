//! Customers as master data.

pub use crate::domain::customer::CustomerFilter;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::MasterData;
use crate::db::{customers, DbConnection};
use crate::domain::customer::Customer;
use crate::domain::reference::MasterStatus;
use crate::domain::CustomerId;
use crate::domain::Permission;
use crate::error::{FieldError, OpError};
use crate::page::{Page, PageRequest};
use crate::patch::{double_option, set};

/// A new customer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "JP-MAGNETICS", "name": "Nippon Magnetics K.K.", "country": "JP", "external_ref": "SAP-100234"}))]
pub struct NewCustomer {
    #[schema(max_length = 40)]
    pub code: String,
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(min_length = 2, max_length = 2)]
    pub country: String,
    #[schema(max_length = 100)]
    pub external_ref: Option<String>,
}

/// Changes to a customer; absent members stay as they are, `external_ref: null` clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Nippon Magnetics Corporation"}))]
pub struct CustomerPatch {
    #[schema(max_length = 40)]
    pub code: Option<String>,
    #[schema(max_length = 200)]
    pub name: Option<String>,
    #[schema(min_length = 2, max_length = 2)]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub external_ref: Option<Option<String>>,
}

impl MasterData for Customer {
    const WRITE: Permission = Permission::WriteCustomers;
    const LABEL: &'static str = "customer";
    type New = NewCustomer;
    type Patch = CustomerPatch;

    fn build(new: NewCustomer, id: CustomerId, at: DateTime<Utc>) -> Customer {
        Customer {
            id,
            code: new.code,
            name: new.name.trim().to_string(),
            country: new.country,
            external_ref: new.external_ref,
            status: MasterStatus::Active,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    fn apply(&mut self, p: CustomerPatch) {
        set(&mut self.code, p.code);
        set(&mut self.name, p.name.map(|n| n.trim().to_string()));
        set(&mut self.country, p.country);
        set(&mut self.external_ref, p.external_ref);
    }

    fn problems(&self) -> Vec<FieldError> {
        Customer::problems(self)
    }

    fn keys(&self) -> (&str, Option<&str>) {
        (&self.code, self.external_ref.as_deref())
    }

    fn by_code(conn: &mut DbConnection, code: &str) -> Result<Option<Self>, OpError> {
        customers::find_by_code(conn, code)
    }

    fn by_ref(conn: &mut DbConnection, external_ref: &str) -> Result<Option<Self>, OpError> {
        customers::find_by_ref(conn, external_ref)
    }

    fn code_taken(conn: &mut DbConnection, code: &str, id: CustomerId) -> Result<bool, OpError> {
        customers::code_taken(conn, code, id)
    }

    fn ref_taken(
        conn: &mut DbConnection,
        external_ref: &str,
        id: CustomerId,
    ) -> Result<bool, OpError> {
        customers::ref_taken(conn, external_ref, id)
    }

    fn status(&self) -> MasterStatus {
        self.status
    }

    fn set_status(&mut self, status: MasterStatus) {
        self.status = status;
    }
}

pub fn list(conn: &mut DbConnection, f: &CustomerFilter) -> Result<Page<Customer>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let (items, next) = customers::list(conn, f, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}

impl super::Referenced for Customer {
    fn find_by_ref(conn: &mut DbConnection, external_ref: &str) -> Result<Option<Self>, OpError> {
        customers::find_by_ref(conn, external_ref)
    }

    fn find_by_code(conn: &mut DbConnection, code: &str) -> Result<Option<Self>, OpError> {
        customers::find_by_code(conn, code)
    }

    fn code_of(new: &NewCustomer) -> &str {
        &new.code
    }

    fn body_ref(new: &NewCustomer) -> Option<&str> {
        new.external_ref.as_deref()
    }

    fn with_ref(new: NewCustomer, external_ref: &str) -> NewCustomer {
        NewCustomer {
            external_ref: Some(external_ref.to_string()),
            ..new
        }
    }

    fn as_patch(new: &NewCustomer) -> CustomerPatch {
        CustomerPatch {
            code: Some(new.code.clone()),
            name: Some(new.name.clone()),
            country: Some(new.country.clone()),
            external_ref: Some(new.external_ref.clone()),
        }
    }
}
