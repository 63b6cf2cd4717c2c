//! Cursor pagination shared by every list: `limit` + opaque `cursor` → `{items, next_cursor}`.

use base64::Engine;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

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

/// A position in a list ordered by (created_at, id).
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub created_at: NaiveDateTime,
    pub id: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = format!(
            "{}|{}",
            self.created_at.and_utc().timestamp_micros(),
            self.id
        );
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(s: &str) -> Result<Cursor, ApiError> {
        let bad = || ApiError::field("cursor", "is not a cursor this service gave out");
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| bad())?;
        let raw = String::from_utf8(raw).map_err(|_| bad())?;
        let (micros, id) = raw.split_once('|').ok_or_else(bad)?;
        let micros: i64 = micros.parse().map_err(|_| bad())?;
        let created_at = DateTime::<Utc>::from_timestamp_micros(micros)
            .ok_or_else(bad)?
            .naive_utc();
        Ok(Cursor {
            created_at,
            id: id.to_string(),
        })
    }
}

/// Continues a boxed query after `cursor`, in (created_at, id) order, fetching one row more
/// than `limit` to learn whether another page follows.
macro_rules! after_cursor {
    ($query:expr, $table:ident, $cursor:expr, $limit:expr) => {{
        let mut q = $query;
        if let Some(c) = $cursor {
            q = q.filter(
                $table::created_at
                    .gt(c.created_at)
                    .or($table::created_at.eq(c.created_at).and($table::id.gt(c.id))),
            );
        }
        q.order(($table::created_at.asc(), $table::id.asc()))
            .limit($limit + 1)
    }};
}
pub(crate) use after_cursor;

/// The validated `limit`.
pub fn limit(requested: Option<i64>) -> Result<i64, ApiError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::field(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// Cuts one extra row fetched to learn whether another page follows.
pub fn paginate<R: crate::db::models::Versioned, T: ToSchema + for<'a> From<&'a R>>(
    mut rows: Vec<R>,
    limit: i64,
) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        rows.last().map(|r| cursor_of(r).encode())
    } else {
        None
    };
    Page {
        items: rows.iter().map(T::from).collect(),
        next_cursor,
    }
}

/// Filters every list accepts.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only items changed at or after this instant (RFC 3339), for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    /// Only items with this status.
    pub status: Option<String>,
}

/// The cursor positioned at a row.
pub fn cursor_of<R: crate::db::models::Versioned>(r: &R) -> Cursor {
    Cursor {
        created_at: r.created_at(),
        id: r.id().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips() {
        let c = Cursor {
            created_at: DateTime::<Utc>::from_timestamp_micros(1_700_000_000_123_456)
                .map(|d| d.naive_utc())
                .unwrap_or_default(),
            id: "abc".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()).ok(), Some(c));
        assert!(Cursor::decode("!!").is_err());
    }
}
