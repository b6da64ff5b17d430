//! The dashboard's figures through the API (scope `dashboard:read`).

use utoipa_actix_web::service_config::ServiceConfig;

/// The routes.
pub fn routes(_cfg: &mut ServiceConfig) {}
