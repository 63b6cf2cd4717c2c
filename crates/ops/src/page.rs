//! One page of a list: `limit` + opaque `cursor` → `{items, next_cursor}`.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::page::Cursor;
use crate::error::OpError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[schema(example = json!(null))]
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> Page<T> {
    pub fn new(items: Vec<T>, next: Option<Cursor>) -> Page<T> {
        Page {
            items,
            next_cursor: next.map(|c| c.encode()),
        }
    }
}

/// Which page of a list to read.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: i64,
    pub cursor: Option<Cursor>,
}

impl PageRequest {
    /// The validated `limit` (1–500, default 50) and decoded `cursor`.
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<PageRequest, OpError> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(_) => {
                return Err(OpError::field(
                    "limit",
                    format!("must be between 1 and {MAX_LIMIT}"),
                ))
            }
        };
        let cursor = cursor.map(Cursor::decode).transpose()?;
        Ok(PageRequest { limit, cursor })
    }

    pub fn first(limit: i64) -> PageRequest {
        PageRequest {
            limit,
            cursor: None,
        }
    }
}
