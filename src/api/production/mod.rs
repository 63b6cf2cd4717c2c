//! The production side: plan versions, recorded output and opening stock.

mod actuals;
mod impact;
mod plans;
mod snapshots;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(plans::list_production_plans)
        .service(plans::create_production_plan)
        .service(plans::get_production_plan)
        .service(plans::approve_production_plan)
        .service(impact::get_production_plan_impact)
        .service(actuals::put_production_actual)
        .service(actuals::list_production_actuals)
        .service(snapshots::record_stock_snapshot)
        .service(snapshots::list_stock_snapshots);
}
