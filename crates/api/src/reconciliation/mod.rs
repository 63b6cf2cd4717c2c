//! `/api/v1/reconciliation` and `/api/v1/atp`: supply against demand per product and month.

mod atp;
mod report;
mod summary;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(report::get_reconciliation_csv)
        .service(report::get_reconciliation)
        .service(summary::get_reconciliation_summary_csv)
        .service(summary::get_reconciliation_summary)
        .service(atp::get_orders_at_risk_csv)
        .service(atp::get_orders_at_risk)
        .service(atp::get_atp_horizon)
        .service(atp::get_atp);
}
