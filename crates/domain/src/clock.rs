//! The business date. Normally today's UTC date; a fixed date can be set at start
//! (`NDPR_TODAY`) so demos and tests see the same months as open, over, final or late
//! whatever day they run.

use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::Period;

static FIXED: OnceLock<NaiveDate> = OnceLock::new();

/// Fixes the business date for this process (first call wins).
pub fn fix(date: NaiveDate) {
    let _ = FIXED.set(date);
}

/// The business date.
pub fn today() -> NaiveDate {
    FIXED
        .get()
        .copied()
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// The current month.
pub fn current_period() -> Period {
    Period::of_date(today())
}
