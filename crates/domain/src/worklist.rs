//! A worklist: a list a person works through on the desk — filtered, searched, sorted by any
//! column, and paged by number so a view can be bookmarked and shared.

use serde::Serialize;

/// Which way a column sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "asc" => Some(Direction::Asc),
            "desc" => Some(Direction::Desc),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        }
    }

    pub fn reversed(self) -> Direction {
        match self {
            Direction::Asc => Direction::Desc,
            Direction::Desc => Direction::Asc,
        }
    }
}

/// Which page of a worklist: 1-based, with its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

/// Rows a worklist page shows by default, and at most.
pub const PER_PAGE: i64 = 50;
pub const MAX_PER_PAGE: i64 = 200;

impl Paging {
    /// Page `page` (at least 1) of `per_page` rows (1–200).
    pub fn new(page: i64, per_page: i64) -> Paging {
        Paging {
            page: page.max(1),
            per_page: per_page.clamp(1, MAX_PER_PAGE),
        }
    }

    /// The rows before this page.
    pub fn offset(self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

impl Default for Paging {
    fn default() -> Paging {
        Paging::new(1, PER_PAGE)
    }
}

/// One page of a worklist, and how many rows the whole list has.
#[derive(Debug, Clone, Serialize)]
pub struct Worklist<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Worklist<T> {
    /// How many pages the list has (at least one, even when empty).
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }

    /// The same page with each row turned into another, or the first error.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Worklist<U>, E> {
        Ok(Worklist {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        })
    }

    /// Sorts, counts and pages rows held in memory (short lists: contracts, deliveries).
    pub fn of_all(
        mut all: Vec<T>,
        paging: Paging,
        order: impl FnMut(&T, &T) -> std::cmp::Ordering,
    ) -> Worklist<T> {
        all.sort_by(order);
        let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
        let start = usize::try_from(paging.offset())
            .unwrap_or(usize::MAX)
            .min(all.len());
        let end = start
            .saturating_add(usize::try_from(paging.per_page).unwrap_or(0))
            .min(all.len());
        let items = all.drain(start..end).collect();
        Worklist {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        }
    }
}

/// The keys and words of a worklist's sort columns, as the address spells them.
macro_rules! sort_keys {
    ($name:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $key),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|x| x.as_str() == s)
            }
        }
    };
}

/// The columns an order worklist sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderSort {
    Number,
    Type,
    Customer,
    Product,
    Month,
    Quantity,
    Status,
    #[default]
    Created,
    Updated,
}

sort_keys!(OrderSort {
    Number => "number",
    Type => "type",
    Customer => "customer",
    Product => "product",
    Month => "month",
    Quantity => "quantity",
    Status => "status",
    Created => "created",
    Updated => "updated",
});

/// The columns a contract worklist sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContractSort {
    #[default]
    Number,
    Customer,
    Product,
    Start,
    End,
    Status,
    Updated,
}

sort_keys!(ContractSort {
    Number => "number",
    Customer => "customer",
    Product => "product",
    Start => "start",
    End => "end",
    Status => "status",
    Updated => "updated",
});

/// The columns a shipment worklist sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShipmentSort {
    Number,
    Customer,
    Product,
    #[default]
    Month,
    Quantity,
    Mode,
    Status,
    Updated,
}

sort_keys!(ShipmentSort {
    Number => "number",
    Customer => "customer",
    Product => "product",
    Month => "month",
    Quantity => "quantity",
    Mode => "mode",
    Status => "status",
    Updated => "updated",
});

/// The columns the delivery worklist sorts by (in memory: a schedule of a few months).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeliverySort {
    #[default]
    Month,
    Number,
    Customer,
    Product,
    Due,
    Shipped,
    Delivered,
    Status,
}

sort_keys!(DeliverySort {
    Month => "month",
    Number => "number",
    Customer => "customer",
    Product => "product",
    Due => "due",
    Shipped => "shipped",
    Delivered => "delivered",
    Status => "status",
});

/// What to escape in a search term before it goes into a `LIKE` pattern.
pub fn like_prefix(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 1);
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_count_and_slice() {
        let w = Worklist::of_all((1..=7).collect::<Vec<i32>>(), Paging::new(2, 3), |a, b| {
            b.cmp(a)
        });
        assert_eq!((w.total, w.pages()), (7, 3));
        assert_eq!(w.items, vec![4, 3, 2]);
        let empty = Worklist::of_all(Vec::<i32>::new(), Paging::new(5, 50), |a, b| a.cmp(b));
        assert_eq!((empty.items.len(), empty.pages()), (0, 1));
        assert_eq!(Paging::new(0, 10_000), Paging::new(1, MAX_PER_PAGE));
        assert_eq!(Paging::new(3, 50).offset(), 100);
    }

    #[test]
    fn sort_keys_read_back() {
        for s in OrderSort::ALL {
            assert_eq!(OrderSort::parse(s.as_str()), Some(*s));
        }
        for s in ContractSort::ALL {
            assert_eq!(ContractSort::parse(s.as_str()), Some(*s));
        }
        for s in ShipmentSort::ALL {
            assert_eq!(ShipmentSort::parse(s.as_str()), Some(*s));
        }
        for s in DeliverySort::ALL {
            assert_eq!(DeliverySort::parse(s.as_str()), Some(*s));
        }
        assert_eq!(OrderSort::parse("nonsense"), None);
    }

    #[test]
    fn search_terms_are_literal() {
        assert_eq!(like_prefix("ORD-2027"), "ORD-2027%");
        assert_eq!(like_prefix("50%_off"), "50\\%\\_off%");
    }
}
