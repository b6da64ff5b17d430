//! (being written)

/// Registers this area's routes.
pub fn routes(_cfg: &mut actix_web::web::ServiceConfig) {}
