//! Price indices as master data.

pub use crate::domain::price_index::PriceIndexFilter;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::MasterData;
use crate::db::{price_indices, DbConnection};
use crate::domain::price_index::{IndexUnit, PriceIndex};
use crate::domain::reference::MasterStatus;
use crate::domain::Percent;
use crate::domain::Permission;
use crate::domain::PriceIndexId;
use crate::error::{FieldError, OpError};
use crate::page::{Page, PageRequest};
use crate::patch::{double_option, set};

/// A new price index.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "NDPR-OXIDE-CN-VAT", "name": "NdPr oxide, China domestic, incl. 13 % VAT", "currency": "CNY", "unit": "t", "vat_pct": "13", "source": "Shanghai Metals Market"}))]
pub struct NewPriceIndex {
    #[schema(max_length = 40)]
    pub code: String,
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(min_length = 3, max_length = 3)]
    pub currency: String,
    /// What one quote is for (default `kg`).
    pub unit: Option<IndexUnit>,
    /// The VAT the quotes include, 0–30 % (default 0).
    pub vat_pct: Option<Percent>,
    #[schema(max_length = 200)]
    pub source: Option<String>,
}

/// Changes to a price index; absent members stay as they are, `source: null` clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"source": "Shanghai Metals Market"}))]
pub struct PriceIndexPatch {
    #[schema(max_length = 40)]
    pub code: Option<String>,
    #[schema(max_length = 200)]
    pub name: Option<String>,
    #[schema(min_length = 3, max_length = 3)]
    pub currency: Option<String>,
    pub unit: Option<IndexUnit>,
    pub vat_pct: Option<Percent>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub source: Option<Option<String>>,
}

impl MasterData for PriceIndex {
    const WRITE: Permission = Permission::WritePriceIndices;
    const LABEL: &'static str = "price index";
    type New = NewPriceIndex;
    type Patch = PriceIndexPatch;

    fn build(new: NewPriceIndex, id: PriceIndexId, at: DateTime<Utc>) -> PriceIndex {
        PriceIndex {
            id,
            code: new.code,
            name: new.name.trim().to_string(),
            currency: new.currency,
            unit: new.unit.unwrap_or_default(),
            vat_pct: new.vat_pct.unwrap_or_else(Percent::zero),
            source: new.source,
            status: MasterStatus::Active,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    fn apply(&mut self, p: PriceIndexPatch) {
        set(&mut self.code, p.code);
        set(&mut self.name, p.name.map(|n| n.trim().to_string()));
        set(&mut self.currency, p.currency);
        set(&mut self.unit, p.unit);
        set(&mut self.vat_pct, p.vat_pct);
        set(&mut self.source, p.source);
    }

    fn problems(&self) -> Vec<FieldError> {
        PriceIndex::problems(self)
    }

    fn keys(&self) -> (&str, Option<&str>) {
        (&self.code, None)
    }

    fn by_code(conn: &mut DbConnection, code: &str) -> Result<Option<Self>, OpError> {
        price_indices::find_by_code(conn, code)
    }

    fn by_ref(conn: &mut DbConnection, external_ref: &str) -> Result<Option<Self>, OpError> {
        let _ = (conn, external_ref);
        Ok(None)
    }

    fn code_taken(conn: &mut DbConnection, code: &str, id: PriceIndexId) -> Result<bool, OpError> {
        price_indices::code_taken(conn, code, id)
    }

    fn ref_taken(
        conn: &mut DbConnection,
        external_ref: &str,
        id: PriceIndexId,
    ) -> Result<bool, OpError> {
        let _ = (conn, external_ref, id);
        Ok(false)
    }

    fn status(&self) -> MasterStatus {
        self.status
    }

    fn set_status(&mut self, status: MasterStatus) {
        self.status = status;
    }
}

pub fn list(conn: &mut DbConnection, f: &PriceIndexFilter) -> Result<Page<PriceIndex>, OpError> {
    let page = PageRequest::parse(f.limit, f.cursor.as_deref())?;
    let (items, next) = price_indices::list(conn, f, page.limit, page.cursor.as_ref())?;
    Ok(Page::new(items, next))
}
