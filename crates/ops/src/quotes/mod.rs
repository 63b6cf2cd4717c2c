//! Market quotes of a price index and their monthly averages.

mod averages;
mod list;
mod upsert;

pub use averages::{averages, AverageList, AverageRange};
pub use list::{list, QuoteList, QuoteRange};
pub use upsert::{record, upsert, write, QuoteBatch, QuoteUpsertResult, MAX_BATCH};
