//! What every worklist page shares: its state in the address (filters, search, sort, page) so a
//! view can be bookmarked and shared, column headers that sort (and say how they sort), and
//! numbered pages.

use crate::domain::reference::MasterStatus;
use crate::domain::worklist::{Direction, Paging, PER_PAGE};
use crate::error::OpError;
use crate::extract::{field, Fields};
use crate::ops::Conn;

/// A worklist's state, as its address holds it: the filters and search that are set, the sort
/// and the page.
#[derive(Debug, Clone)]
pub struct ListState {
    path: &'static str,
    /// The filters and search as typed, in a fixed order, blanks left out.
    filters: Vec<(&'static str, String)>,
    pub sort: String,
    pub dir: Direction,
    pub paging: Paging,
}

/// One sortable column header.
pub struct SortHeader {
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or `none` (the header's `aria-sort`).
    pub aria_sort: &'static str,
    /// What following the link does, for the screen reader and the tooltip.
    pub hint: String,
    pub numeric: bool,
}

/// A worklist's numbered pages.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
}

/// A column: its sort key, its heading, whether it holds numbers.
pub type Column = (&'static str, &'static str, bool);

impl ListState {
    /// The state in `query`: the filters named in `filters` (blanks left out), the sort (one of
    /// `columns`, else `default_sort`), the direction and the page.
    pub fn read(
        path: &'static str,
        query: &Fields,
        filters: &[&'static str],
        columns: &[Column],
        default_sort: (&'static str, Direction),
    ) -> ListState {
        let sort = field(query, "sort");
        let (sort, dir) = match columns.iter().find(|c| c.0 == sort) {
            Some(c) => (
                c.0.to_string(),
                Direction::parse(field(query, "dir")).unwrap_or(Direction::Asc),
            ),
            None => (default_sort.0.to_string(), default_sort.1),
        };
        ListState {
            path,
            filters: filters
                .iter()
                .map(|name| (*name, field(query, name).to_string()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            sort,
            dir,
            paging: Paging::new(field(query, "page").parse().unwrap_or(1), PER_PAGE),
        }
    }

    /// The value of a filter, as typed (empty when not set).
    pub fn get(&self, name: &str) -> &str {
        self.filters
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// Whether any filter or search is set.
    pub fn filtered(&self) -> bool {
        !self.filters.is_empty()
    }

    /// The address of this view with another sort and page.
    pub fn href_with(&self, sort: &str, dir: Direction, page: i64) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.filters {
            q.append_pair(name, value);
        }
        q.append_pair("sort", sort).append_pair("dir", dir.as_str());
        if page > 1 {
            q.append_pair("page", &page.to_string());
        }
        format!("{}?{}", self.path, q.finish())
    }

    /// The filters as query pairs, for a download of the same rows.
    pub fn filter_pairs(&self) -> &[(&'static str, String)] {
        &self.filters
    }

    /// The column headers: each sorts by its column (the current one the other way round),
    /// from the first page.
    pub fn headers(&self, columns: &[Column]) -> Vec<SortHeader> {
        columns
            .iter()
            .map(|(key, label, numeric)| {
                let current = *key == self.sort;
                let next = if current {
                    self.dir.reversed()
                } else {
                    Direction::Asc
                };
                SortHeader {
                    label,
                    href: self.href_with(key, next, 1),
                    aria_sort: match (current, self.dir) {
                        (false, _) => "none",
                        (true, Direction::Asc) => "ascending",
                        (true, Direction::Desc) => "descending",
                    },
                    hint: format!(
                        "Sort by {} {}",
                        label.to_lowercase(),
                        match next {
                            Direction::Asc => "ascending",
                            Direction::Desc => "descending",
                        }
                    ),
                    numeric: *numeric,
                }
            })
            .collect()
    }

    /// The pages of a list of `total` rows in `pages` pages.
    pub fn pager(&self, total: i64, pages: i64) -> Pager {
        let page = self.paging.page.min(pages).max(1);
        let to = |p: i64| Some(self.href_with(&self.sort, self.dir, p));
        Pager {
            page,
            pages,
            total,
            first: (page > 1).then(|| to(1)).flatten(),
            prev: (page > 1).then(|| to(page - 1)).flatten(),
            next: (page < pages).then(|| to(page + 1)).flatten(),
            last: (page < pages).then(|| to(pages)).flatten(),
        }
    }
}

/// An option of a filter's choice: (value, label, selected).
pub type Choice = (String, String, bool);

/// The options of a choice filter, the one set marked.
pub fn choices(options: impl IntoIterator<Item = (String, String)>, set: &str) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| {
            let selected = value == set;
            (value, label, selected)
        })
        .collect()
}

/// A filter's options as (value, label) pairs.
pub type Options = Vec<(String, String)>;

/// What the customer and product filters offer: active customers by code and name, products by
/// code (at most 500 of each).
pub fn parties(c: &mut Conn) -> Result<(Options, Options), OpError> {
    use crate::ops::master::customer::CustomerFilter;
    use crate::ops::master::product::ProductFilter;
    let customers = crate::ops::master::customer::list(
        c,
        &CustomerFilter {
            limit: Some(500),
            status: Some(MasterStatus::Active),
            ..Default::default()
        },
    )?
    .items
    .into_iter()
    .map(|x| (x.id.to_string(), format!("{} — {}", x.code, x.name)))
    .collect();
    let products = crate::ops::master::product::list(
        c,
        &ProductFilter {
            limit: Some(500),
            ..Default::default()
        },
    )?
    .items
    .into_iter()
    .map(|x| (x.id.to_string(), x.code))
    .collect();
    Ok((customers, products))
}

/// The address of a download of the list's rows: the filters the API knows (`api_filters`),
/// then `extra` (a page size, the months shown).
pub fn csv_href(
    path: &str,
    list: &ListState,
    api_filters: &[&str],
    extra: &[(&str, &str)],
) -> String {
    let mut csv = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in list.filter_pairs() {
        if api_filters.contains(name) {
            csv.append_pair(name, value);
        }
    }
    for (name, value) in extra {
        csv.append_pair(name, value);
    }
    format!("{path}?{}", csv.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [Column; 2] = [("number", "Number", false), ("quantity", "Quantity", true)];

    fn state(query: &[(&str, &str)]) -> ListState {
        let q: Fields = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ListState::read(
            "/orders",
            &q,
            &["status", "q"],
            &COLUMNS,
            ("number", Direction::Desc),
        )
    }

    #[test]
    fn the_address_holds_the_view() {
        let s = state(&[
            ("status", "draft"),
            ("q", ""),
            ("sort", "quantity"),
            ("dir", "desc"),
            ("page", "3"),
        ]);
        assert_eq!(
            s.href_with(&s.sort, s.dir, s.paging.page),
            "/orders?status=draft&sort=quantity&dir=desc&page=3"
        );
        let h = s.headers(&COLUMNS);
        assert_eq!(h[1].aria_sort, "descending");
        assert_eq!(h[1].href, "/orders?status=draft&sort=quantity&dir=asc");
        assert_eq!(h[0].aria_sort, "none");
        let p = s.pager(120, 3);
        assert_eq!(
            (p.next.is_none(), p.prev.as_deref()),
            (
                true,
                Some("/orders?status=draft&sort=quantity&dir=desc&page=2")
            )
        );
    }

    #[test]
    fn an_unknown_sort_falls_back_and_a_bad_page_is_the_first() {
        let s = state(&[("sort", "nonsense"), ("page", "x")]);
        assert_eq!(
            (s.sort.as_str(), s.dir, s.paging.page),
            ("number", Direction::Desc, 1)
        );
        assert!(!s.filtered());
    }
}
