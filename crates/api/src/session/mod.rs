//! `POST /auth/token` and `GET /me`.

mod me;
mod token;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(token::issue_token).service(me::get_me);
}
