//! What the worklist queries share: sorting a boxed query by any column either way, by the code
//! of a referenced customer or product, and a numbered page with its total.

use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::sql_types::Text;

use crate::domain::worklist::{Direction, Paging};

/// What a worklist asks beyond its list's filter: a search by number or external reference,
/// the column and direction to sort by, and the page.
#[derive(Debug, Clone, Default)]
pub struct ListSearch<S> {
    /// The start of a number (any case) or of an external reference.
    pub q: Option<String>,
    pub sort: S,
    pub dir: Direction,
    pub paging: Paging,
}

impl<S> ListSearch<S> {
    /// The search term, trimmed, if any.
    pub fn term(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
}

/// Sorts a boxed query by a column, in the direction asked.
macro_rules! sort_by {
    ($query:expr, $dir:expr, $column:expr) => {
        match $dir {
            $crate::domain::worklist::Direction::Asc => $query.order($column.asc()),
            $crate::domain::worklist::Direction::Desc => $query.order($column.desc()),
        }
    };
}
pub(crate) use sort_by;

/// Breaks ties of a sorted boxed query by a further column, the same way round.
macro_rules! then_by {
    ($query:expr, $dir:expr, $column:expr) => {
        match $dir {
            $crate::domain::worklist::Direction::Asc => $query.then_order_by($column.asc()),
            $crate::domain::worklist::Direction::Desc => $query.then_order_by($column.desc()),
        }
    };
}
pub(crate) use then_by;

/// Which code a row is sorted by: its customer's or its product's.
#[derive(Debug, Clone, Copy)]
pub enum CodeOf {
    Customer,
    Product,
}

/// An ordering by the code of the customer or product a row of `table` refers to (a subselect,
/// the same on SQLite and PostgreSQL). `table` is a name this crate passes, never input.
pub fn by_code(table: &'static str, of: CodeOf, dir: Direction) -> SqlLiteral<Text> {
    let (other, key) = match of {
        CodeOf::Customer => ("customers", "customer_id"),
        CodeOf::Product => ("products", "product_id"),
    };
    sql::<Text>(&format!(
        "(SELECT code FROM {other} WHERE {other}.id = {table}.{key}) {}",
        dir.as_str()
    ))
}

/// Sorts, pages and counts: the page's rows (ties broken by id the same way round, so pages
/// never overlap and an index on the sort column and id serves the order) and the total.
macro_rules! numbered_page {
    ($conn:expr, $count:expr, $query:expr, $table:ident, $paging:expr, $dir:expr) => {{
        let total: i64 = $count.get_result($conn)?;
        let rows = then_by!($query, $dir, $table::id)
            .offset($paging.offset())
            .limit($paging.per_page)
            .load($conn)?;
        (rows, total)
    }};
}
pub(crate) use numbered_page;
