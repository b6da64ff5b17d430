//! Gifts through the API (scopes `gifts:read`, `gifts:write`).

use utoipa_actix_web::service_config::ServiceConfig;

/// The routes.
pub fn routes(_cfg: &mut ServiceConfig) {}
