//! Pricing visibility: previews and the exposure report.

mod exposure;
mod preview;
mod view;

pub use exposure::{exposure, CurrencyExposure, ExposureQuery, ExposureRow, PricingExposure};
pub use preview::{preview, PricePreviewRequest};
pub use view::{fixed, value, ConversionView, PriceView};
