//! The production side: plan versions, recorded output and opening stock.

mod actuals;
mod approve_plan;
mod create_plan;
mod impact;
mod list_plans;
mod read_plan;
mod snapshots;

/// `/production-plans`, registered in its own scope.
pub fn configure_plans(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_plans::list_production_plans)
        .service(create_plan::create_production_plan)
        .service(read_plan::get_production_plan_lines_csv)
        .service(read_plan::get_production_plan)
        .service(approve_plan::approve_production_plan)
        .service(impact::get_production_plan_impact_csv)
        .service(impact::get_production_plan_impact)
        .service(impact::get_production_plan_orders_at_risk_csv)
        .service(impact::get_production_plan_orders_at_risk);
}

/// Recorded output and opening stock.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(actuals::put_production_actual)
        .service(actuals::list_production_actuals)
        .service(snapshots::record_stock_snapshot)
        .service(snapshots::list_stock_snapshots);
}
