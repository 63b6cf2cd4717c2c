//! Products as master data.

pub use crate::domain::product::ProductFilter;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::MasterData;
use crate::db::{products, DbConnection};
use crate::domain::product::Product;
use crate::domain::reference::{MasterStatus, ProductForm};
use crate::domain::ProductId;
use crate::domain::{Percent, Permission};
use crate::error::{FieldError, OpError};
use crate::page::{Page, PageRequest};
use crate::patch::{double_option, set};

/// A new product.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "NDPR-OXIDE", "name": "NdPr oxide 99.5 %", "form": "oxide", "min_purity_pct": "99.5", "hs_code": "2846.90", "export_controlled": false}))]
pub struct NewProduct {
    #[schema(max_length = 40)]
    pub code: String,
    #[schema(max_length = 200)]
    pub name: String,
    pub form: ProductForm,
    pub min_purity_pct: Option<Percent>,
    #[schema(max_length = 13)]
    pub hs_code: Option<String>,
    #[serde(default)]
    pub export_controlled: bool,
    #[schema(max_length = 100)]
    pub external_ref: Option<String>,
}

/// Changes to a product; absent members stay as they are, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"export_controlled": true}))]
pub struct ProductPatch {
    #[schema(max_length = 40)]
    pub code: Option<String>,
    #[schema(max_length = 200)]
    pub name: Option<String>,
    pub form: Option<ProductForm>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Percent>)]
    pub min_purity_pct: Option<Option<Percent>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 13)]
    pub hs_code: Option<Option<String>>,
    pub export_controlled: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub external_ref: Option<Option<String>>,
}

impl MasterData for Product {
    const WRITE: Permission = Permission::WriteProducts;
    const LABEL: &'static str = "product";
    type New = NewProduct;
    type Patch = ProductPatch;

    fn build(new: NewProduct, id: ProductId, at: DateTime<Utc>) -> Product {
        Product {
            id,
            code: new.code,
            name: new.name.trim().to_string(),
            form: new.form,
            min_purity_pct: new.min_purity_pct,
            hs_code: new.hs_code,
            export_controlled: new.export_controlled,
            external_ref: new.external_ref,
            status: MasterStatus::Active,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    fn apply(&mut self, p: ProductPatch) {
        set(&mut self.code, p.code);
        set(&mut self.name, p.name.map(|n| n.trim().to_string()));
        set(&mut self.form, p.form);
        set(&mut self.min_purity_pct, p.min_purity_pct);
        set(&mut self.hs_code, p.hs_code);
        set(&mut self.export_controlled, p.export_controlled);
        set(&mut self.external_ref, p.external_ref);
    }

    fn problems(&self) -> Vec<FieldError> {
        Product::problems(self)
    }

    fn keys(&self) -> (&str, Option<&str>) {
        (&self.code, self.external_ref.as_deref())
    }

    fn by_code(conn: &mut DbConnection, code: &str) -> Result<Option<Self>, OpError> {
        products::find_by_code(conn, code)
    }

    fn by_ref(conn: &mut DbConnection, external_ref: &str) -> Result<Option<Self>, OpError> {
        products::find_by_ref(conn, external_ref)
    }

    fn code_taken(conn: &mut DbConnection, code: &str, id: ProductId) -> Result<bool, OpError> {
        products::code_taken(conn, code, id)
    }

    fn ref_taken(
        conn: &mut DbConnection,
        external_ref: &str,
        id: ProductId,
    ) -> Result<bool, OpError> {
        products::ref_taken(conn, external_ref, id)
    }

    fn status(&self) -> MasterStatus {
        self.status
    }

    fn set_status(&mut self, status: MasterStatus) {
        self.status = status;
    }
}

pub fn list(conn: &mut DbConnection, f: &ProductFilter) -> Result<Page<Product>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let (items, next) = products::list(conn, f, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}

impl super::Referenced for Product {
    fn find_by_ref(conn: &mut DbConnection, external_ref: &str) -> Result<Option<Self>, OpError> {
        products::find_by_ref(conn, external_ref)
    }

    fn find_by_code(conn: &mut DbConnection, code: &str) -> Result<Option<Self>, OpError> {
        products::find_by_code(conn, code)
    }

    fn code_of(new: &NewProduct) -> &str {
        &new.code
    }

    fn body_ref(new: &NewProduct) -> Option<&str> {
        new.external_ref.as_deref()
    }

    fn with_ref(new: NewProduct, external_ref: &str) -> NewProduct {
        NewProduct {
            external_ref: Some(external_ref.to_string()),
            ..new
        }
    }

    fn as_patch(new: &NewProduct) -> ProductPatch {
        ProductPatch {
            code: Some(new.code.clone()),
            name: Some(new.name.clone()),
            form: Some(new.form),
            min_purity_pct: Some(new.min_purity_pct),
            hs_code: Some(new.hs_code.clone()),
            export_controlled: Some(new.export_controlled),
            external_ref: Some(new.external_ref.clone()),
        }
    }
}
