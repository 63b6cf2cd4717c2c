//! Keyset pagination: lists run in (created_at, id) order and continue after an opaque cursor.

use base64::Engine;
use chrono::{DateTime, NaiveDateTime, Utc};

use crate::error::OpError;

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

    pub fn decode(s: &str) -> Result<Cursor, OpError> {
        let bad = || OpError::field("cursor", "is not a cursor this service gave out");
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
                $table::created_at.gt(c.created_at).or($table::created_at
                    .eq(c.created_at)
                    .and($table::id.gt(c.id.clone()))),
            );
        }
        q.order(($table::created_at.asc(), $table::id.asc()))
            .limit($limit + 1)
    }};
}
pub(crate) use after_cursor;

/// A row with the keys lists are ordered by.
pub trait Keyed {
    fn cursor(&self) -> Cursor;
}

/// Implements [`Keyed`] for a row with `id` and `created_at`.
macro_rules! keyed_row {
    ($row:ty) => {
        impl $crate::page::Keyed for $row {
            fn cursor(&self) -> $crate::page::Cursor {
                $crate::page::Cursor {
                    created_at: self.created_at,
                    id: self.id.clone(),
                }
            }
        }
    };
}
pub(crate) use keyed_row;

/// One page of rows and the cursor of the next, from `limit + 1` fetched rows.
pub fn page_rows<R: Keyed>(rows: Vec<R>, limit: i64) -> (Vec<R>, Option<Cursor>) {
    split(rows, limit, R::cursor)
}

/// One page of entities, each parsed from its row, and the cursor of the next.
pub fn page_of<R: Keyed, E>(
    rows: Vec<R>,
    limit: i64,
    to_entity: impl Fn(R) -> Result<E, crate::error::OpError>,
) -> Result<(Vec<E>, Option<Cursor>), crate::error::OpError> {
    let (rows, next) = page_rows(rows, limit);
    Ok((
        rows.into_iter().map(to_entity).collect::<Result<_, _>>()?,
        next,
    ))
}

/// The rows of one page and the cursor of the next, from `limit + 1` fetched rows.
pub fn split<R>(
    mut rows: Vec<R>,
    limit: i64,
    key: impl Fn(&R) -> Cursor,
) -> (Vec<R>, Option<Cursor>) {
    let keep = usize::try_from(limit).unwrap_or(0);
    let more = rows.len() > keep;
    rows.truncate(keep);
    let next = if more { rows.last().map(key) } else { None };
    (rows, next)
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

    #[test]
    fn split_keeps_limit_and_points_at_the_last() {
        let (rows, next) = split(vec![1, 2, 3], 2, |r| Cursor {
            created_at: NaiveDateTime::default(),
            id: r.to_string(),
        });
        assert_eq!(rows, [1, 2]);
        assert_eq!(next.map(|c| c.id), Some("2".into()));
        let (_, next) = split(vec![1, 2], 2, |r| Cursor {
            created_at: NaiveDateTime::default(),
            id: r.to_string(),
        });
        assert!(next.is_none());
    }
}
