//! Pricing visibility: previews and the exposure report.

mod exposure;
mod preview;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(preview::preview_price)
        .service(exposure::get_pricing_exposure_csv)
        .service(exposure::get_pricing_exposure);
}
