//! Reconciliation and available-to-promise (docs/business-rules.md), as pure functions over plain data.
//!
//! All quantities are integer grams, so sums are exact and fast; every sum saturates at the
//! ends of the 64-bit range instead of wrapping, so no input, however large, panics or
//! silently turns a surplus into a shortfall. For one product:
//!
//! - `supply(t)` = actual output of month t if recorded, else the current plan's, else 0;
//! - `demand(t)` = contracted schedule (active and suspended contracts) + confirmed add-on and
//!   spot orders; draft and submitted orders are only `pending`;
//! - `projected_stock(t)` = the latest stock snapshot at or before t (taken at the start of its
//!   month) plus supply − demand of every month from the snapshot's to t; zero before the
//!   product's first month without a snapshot;
//! - `shortfall(t)` = max(0, −projected_stock(t));
//! - `atp(t)` = max(0, min of projected_stock(k) for t ≤ k ≤ the last month with supply or demand),
//!   because taking stock in month t also reduces every later month.

use std::collections::BTreeMap;

use super::period::Period;
use crate::ids::OrderId;

/// Quantities in grams (kg × 1000).
pub type Grams = i64;

/// What kind of order a demand line comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OrderKind {
    Spot,
    AddOn,
}

/// An order of the product, as far as reconciliation cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    pub id: OrderId,
    pub kind: OrderKind,
    pub period: Period,
    pub grams: Grams,
    /// Confirmed (or later): counts as demand. Otherwise the order is only pending.
    pub confirmed: bool,
    /// Orders confirmed later carry larger numbers; the latest are put at risk first.
    pub confirmation_rank: i64,
}

/// Everything known about one product's supply and demand, month by month. Demand is kept
/// as totals per month, so the rules cost what the months cost, not what the order book
/// holds; individual orders are needed only to name the orders at risk of short months.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductPosition {
    /// The current plan: for each month, the line of the latest approved plan version.
    pub planned: BTreeMap<Period, Grams>,
    /// Recorded output, replacing the plan for its month.
    pub actual: BTreeMap<Period, Grams>,
    /// Stock at the start of a month.
    pub snapshots: BTreeMap<Period, Grams>,
    /// Scheduled quantity of active and suspended contracts.
    pub contracted: BTreeMap<Period, Grams>,
    /// Confirmed (or later) add-on orders per month.
    pub addon: BTreeMap<Period, Grams>,
    /// Confirmed (or later) spot orders per month.
    pub spot: BTreeMap<Period, Grams>,
    /// Draft and submitted orders per month: shown, never demand.
    pub pending: BTreeMap<Period, Grams>,
    /// Confirmed orders that may be put at risk: all of them, or at least those of the months
    /// [`ProductPosition::risk_window`] names. Without them no month names its orders at risk.
    pub orders: Vec<OrderLine>,
}

fn add(map: &mut BTreeMap<Period, Grams>, period: Period, grams: Grams) {
    let e = map.entry(period).or_insert(0);
    *e = e.saturating_add(grams);
    if *e == 0 {
        map.remove(&period);
    }
}

impl ProductPosition {
    /// Counts an order: into the month's totals, and a confirmed one as a candidate to put at
    /// risk.
    pub fn add_order(&mut self, o: OrderLine) {
        let bucket = match (o.confirmed, o.kind) {
            (false, _) => &mut self.pending,
            (true, OrderKind::AddOn) => &mut self.addon,
            (true, OrderKind::Spot) => &mut self.spot,
        };
        add(bucket, o.period, o.grams);
        if o.confirmed {
            self.orders.push(o);
        }
    }

    /// Takes orders out again (as if cancelled).
    pub fn remove_orders(&mut self, ids: &[OrderId]) {
        let gone: Vec<OrderLine> = self
            .orders
            .iter()
            .filter(|o| ids.contains(&o.id))
            .cloned()
            .collect();
        for o in gone {
            let bucket = match o.kind {
                OrderKind::AddOn => &mut self.addon,
                OrderKind::Spot => &mut self.spot,
            };
            add(bucket, o.period, o.grams.saturating_neg());
        }
        self.orders.retain(|o| !ids.contains(&o.id));
    }

    /// The months whose confirmed orders the orders at risk of `from`–`to` are chosen from:
    /// from the earliest month a shortfall reaches back to (its stock snapshot) to the last
    /// short month. `None` when nothing is short.
    pub fn risk_window(
        &self,
        from: Option<Period>,
        to: Option<Period>,
    ) -> Option<(Period, Period)> {
        let (first, last) = bounds(self, from, to)?;
        let s = series(
            self,
            first.min(from.unwrap_or(first)),
            last.max(to.unwrap_or(last)),
        );
        let short: Vec<usize> = s
            .projected
            .iter()
            .enumerate()
            .filter(|(_, p)| **p < 0)
            .map(|(i, _)| i)
            .collect();
        let lo = short.iter().map(|i| s.base[*i]).min()?;
        let hi = short
            .iter()
            .map(|i| s.start.plus(i32::try_from(*i).unwrap_or(0)))
            .max()?;
        Some((lo, hi))
    }
}

/// One month of the reconciliation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthRow {
    pub period: Period,
    pub planned: Option<Grams>,
    pub actual: Option<Grams>,
    pub supply: Grams,
    pub contract: Grams,
    pub addon: Grams,
    pub spot: Grams,
    pub pending: Grams,
    pub demand: Grams,
    pub projected_stock: Grams,
    pub shortfall: Grams,
    pub atp: Grams,
    /// Confirmed orders that would have to go to clear this month's shortfall.
    pub orders_at_risk: Vec<OrderId>,
}

/// Why a new commitment is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The month of the commitment that does not fit.
    pub period: Period,
    /// What was asked for in that month.
    pub requested: Grams,
    /// What was available to promise in that month.
    pub available: Grams,
    /// The first month whose shortfall the commitment would create or deepen.
    pub first_short_period: Period,
}

impl ProductPosition {
    fn supply(&self, t: Period) -> Grams {
        self.actual
            .get(&t)
            .or_else(|| self.planned.get(&t))
            .copied()
            .unwrap_or(0)
    }

    /// The first and last month with any data, and the last month with supply or demand.
    fn horizon(&self) -> Option<(Period, Period)> {
        let supply_or_demand = self
            .planned
            .keys()
            .chain(self.actual.keys())
            .chain(self.contracted.keys())
            .chain(self.addon.keys())
            .chain(self.spot.keys());
        let last = supply_or_demand.clone().max().copied();
        let first = supply_or_demand
            .chain(self.snapshots.keys())
            .chain(self.pending.keys())
            .min()
            .copied()?;
        Some((first, last.unwrap_or(first)))
    }
}

/// Dense per-month series from `start`.
struct Series {
    start: Period,
    supply: Vec<Grams>,
    contract: Vec<Grams>,
    addon: Vec<Grams>,
    spot: Vec<Grams>,
    pending: Vec<Grams>,
    projected: Vec<Grams>,
    /// The month whose snapshot the projection of each month starts from (`start` if none).
    base: Vec<Period>,
}

fn index(start: Period, t: Period) -> Option<usize> {
    usize::try_from(start.months_until(t)).ok()
}

fn series(pos: &ProductPosition, start: Period, end: Period) -> Series {
    let n = usize::try_from(start.months_until(end) + 1).unwrap_or(0);
    let mut s = Series {
        start,
        supply: vec![0; n],
        contract: vec![0; n],
        addon: vec![0; n],
        spot: vec![0; n],
        pending: vec![0; n],
        projected: vec![0; n],
        base: vec![start; n],
    };
    let month = |m: &BTreeMap<Period, Grams>, t: Period| m.get(&t).copied().unwrap_or(0);
    for (i, t) in start.through(end).enumerate() {
        s.supply[i] = pos.supply(t);
        s.contract[i] = month(&pos.contracted, t);
        s.addon[i] = month(&pos.addon, t);
        s.spot[i] = month(&pos.spot, t);
        s.pending[i] = month(&pos.pending, t);
    }
    let mut running: Grams = 0;
    let mut base = start;
    for (i, t) in start.through(end).enumerate() {
        if let Some(snap) = pos.snapshots.get(&t) {
            running = *snap;
            base = t;
        }
        running = running
            .saturating_add(s.supply[i])
            .saturating_sub(s.contract[i])
            .saturating_sub(s.addon[i])
            .saturating_sub(s.spot[i]);
        s.projected[i] = running;
        s.base[i] = base;
    }
    s
}

/// How short a projected stock is: max(0, −stock), saturating.
fn shortfall(projected: Grams) -> Grams {
    projected.saturating_neg().max(0)
}

/// ATP per month: the suffix minimum of projected stock up to `last`, never negative.
fn atp_series(projected: &[Grams], last_index: usize) -> Vec<Grams> {
    let mut atp = vec![0; projected.len()];
    let mut min = Grams::MAX;
    for i in (0..projected.len()).rev() {
        if i <= last_index || min == Grams::MAX {
            min = min.min(projected[i]);
        }
        // Months past the last with supply or demand look only at themselves.
        let m = if i > last_index { projected[i] } else { min };
        atp[i] = m.max(0);
    }
    atp
}

/// The first and last month of data, or of the range asked for when there is none.
fn bounds(
    pos: &ProductPosition,
    from: Option<Period>,
    to: Option<Period>,
) -> Option<(Period, Period)> {
    match (pos.horizon(), from, to) {
        (Some(h), _, _) => Some(h),
        (None, Some(f), Some(t)) => Some((f, t)),
        (None, Some(f), None) => Some((f, f)),
        (None, None, Some(t)) => Some((t, t)),
        (None, None, None) => None,
    }
}

/// Reconciles one product month by month. Rows run from `from` (default: the first month with
/// data) to `to` (default: the last month with data); empty when there is neither data nor a range.
pub fn reconcile(pos: &ProductPosition, from: Option<Period>, to: Option<Period>) -> Vec<MonthRow> {
    let Some((first, last)) = bounds(pos, from, to) else {
        return Vec::new();
    };
    let start = from.map_or(first, |f| f.min(first));
    let end = to.map_or(last, |t| t.max(last)).max(start);
    let s = series(pos, start, end);
    let last_index = index(start, last).unwrap_or(0);
    let atp = atp_series(&s.projected, last_index);
    let at_risk = orders_at_risk(pos, &s);
    let (row_from, row_to) = (from.unwrap_or(first), to.unwrap_or(last));
    start
        .through(end)
        .enumerate()
        .filter(|(_, t)| *t >= row_from && *t <= row_to)
        .map(|(i, t)| {
            let demand = s.contract[i]
                .saturating_add(s.addon[i])
                .saturating_add(s.spot[i]);
            MonthRow {
                period: t,
                planned: pos.planned.get(&t).copied(),
                actual: pos.actual.get(&t).copied(),
                supply: s.supply[i],
                contract: s.contract[i],
                addon: s.addon[i],
                spot: s.spot[i],
                pending: s.pending[i],
                demand,
                projected_stock: s.projected[i],
                shortfall: shortfall(s.projected[i]),
                atp: atp[i],
                orders_at_risk: at_risk.get(&t).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

/// For each month short of stock, the confirmed orders to give up to cover the shortfall:
/// orders delivering from the month's stock snapshot up to it, lowest priority first (spot
/// before add-on, the latest confirmed first).
fn orders_at_risk(pos: &ProductPosition, s: &Series) -> BTreeMap<Period, Vec<OrderId>> {
    let mut candidates: Vec<&OrderLine> = pos.orders.iter().filter(|o| o.confirmed).collect();
    candidates.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.confirmation_rank.cmp(&a.confirmation_rank))
            .then(a.id.cmp(&b.id))
    });
    let mut out = BTreeMap::new();
    for (i, projected) in s.projected.iter().enumerate() {
        if *projected >= 0 {
            continue;
        }
        let t = s.start.plus(i32::try_from(i).unwrap_or(0));
        let base = s.base[i];
        let mut freed: Grams = 0;
        let mut marked = Vec::new();
        for o in &candidates {
            if freed >= shortfall(*projected) {
                break;
            }
            if o.period >= base && o.period <= t {
                freed = freed.saturating_add(o.grams);
                marked.push(o.id);
            }
        }
        out.insert(t, marked);
    }
    out
}

/// Available to promise in month `t` (without working out the orders at risk).
pub fn available_to_promise(pos: &ProductPosition, t: Period) -> Grams {
    let (first, last) = pos.horizon().unwrap_or((t, t));
    let start = first.min(t);
    let end = last.max(t);
    let s = series(pos, start, end);
    let last_index = index(start, last).unwrap_or(0);
    let atp = atp_series(&s.projected, last_index);
    index(start, t)
        .and_then(|i| atp.get(i).copied())
        .unwrap_or(0)
}

/// Checks whether `extra` demand (grams per month) fits: refused when it would create or
/// deepen a shortfall in any month. Months are checked in order, so the refusal names the
/// first month of the commitment that does not fit.
pub fn check_commitment(
    pos: &ProductPosition,
    extra: &BTreeMap<Period, Grams>,
) -> Result<(), Refusal> {
    let (Some(first_extra), Some(last_extra)) = (extra.keys().next(), extra.keys().next_back())
    else {
        return Ok(());
    };
    let (first, last) = pos.horizon().unwrap_or((*first_extra, *last_extra));
    let start = first.min(*first_extra);
    let end = last.max(*last_extra);
    let before = series(pos, start, end);
    // The last month with supply or demand once the commitment is counted.
    let last_index = index(start, last.max(*last_extra)).unwrap_or(0);
    // Demand added so far, as it lowers each month's projected stock: extra demand in month m
    // lowers every later month down to the next stock snapshot, which is a measured fact.
    let mut projected = before.projected.clone();
    for (period, grams) in extra {
        let Some(m) = index(start, *period) else {
            continue;
        };
        let available = atp_series(&projected, last_index)
            .get(m)
            .copied()
            .unwrap_or(0);
        for (stock, base) in projected.iter_mut().zip(&before.base).skip(m) {
            if base <= period {
                *stock = stock.saturating_sub(*grams);
            }
        }
        let deepened = before
            .projected
            .iter()
            .zip(&projected)
            .position(|(b, a)| shortfall(*a) > shortfall(*b));
        if let Some(i) = deepened {
            return Err(Refusal {
                period: *period,
                requested: *grams,
                available,
                first_short_period: start.plus(i32::try_from(i).unwrap_or(0)),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "reconciliation_tests.rs"]
mod tests;
