//! `/api/v1/shipments`: what leaves, against an order or a contract month.

mod cancel;
mod create;
mod deliver;
mod list;
mod read;
mod settlement;
mod ship;
mod update;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list::list_shipments)
        .service(create::create_shipment)
        .service(read::get_shipment_lots_csv)
        .service(read::get_shipment)
        .service(update::update_shipment)
        .service(ship::ship_shipment)
        .service(deliver::deliver_shipment)
        .service(cancel::cancel_shipment)
        .service(settlement::get_settlement)
        .service(settlement::finalise_settlement);
}
