//! The JSON API under `/api/v1`, for the shop's other systems: API keys
//! ([`auth`], [`crate::domain::api_key`]), errors as problem details
//! ([`problem`]), CORS only for the origins the owner lists, and the OpenAPI
//! 3.1 document generated from the handlers (`/api/v1/openapi.json`, shown
//! at `/api/docs` by the embedded Swagger UI). One file per resource; every
//! handler goes through the same domain functions as the staff pages.
//!
//! The API scope answers every error itself (see [`guard`]): it is not
//! under the HTML error pages, nor the cross-site refusal for browser forms
//! (it reads no cookie, so a browser's credentials grant nothing here).

pub mod auth;
pub mod dashboard;
pub mod feedback;
pub mod gifts;
pub mod locations;
pub mod problem;
pub mod settings;
pub mod tickets;
pub mod webhooks;

pub use auth::ApiState;

use crate::domain::api_key;
use crate::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::{get, web, App, HttpResponse};
use problem::{Problem, CONTENT_TYPE};
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::AppExt;

/// A stored UTC moment as the API writes it (RFC 3339, `Z`).
pub fn utc(at: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    at.and_utc()
}

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";

/// Every API resource, for the routes and the document alike.
fn resources(cfg: &mut ServiceConfig) {
    cfg.service(openapi_json)
        .configure(locations::routes)
        .configure(feedback::routes)
        .configure(tickets::routes)
        .configure(dashboard::routes)
        .configure(gifts::routes)
        .configure(webhooks::routes);
}

/// Registers the API scope and the docs page.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope(PREFIX)
            .configure(resources)
            .default_service(web::to(unknown_path))
            .wrap(from_fn(guard)),
    )
    .configure(settings::routes)
    .route("/api/docs", web::get().to(docs_redirect))
    .route("/api/problems/{name}", web::get().to(problem_page))
    .service(
        utoipa_swagger_ui::SwaggerUi::new("/api/docs/{_:.*}")
            .config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json")),
    );
}

async fn unknown_path() -> Result<HttpResponse, Problem> {
    Err(Problem::new("not-found", "no such API path"))
}

/// `GET /api/problems/{name}`: what a problem `type` means, for people.
async fn problem_page(name: web::Path<String>) -> HttpResponse {
    let found = problem::NAMES
        .iter()
        .find(|(n, _, _)| *n == name.as_str())
        .and_then(|(n, status, title)| {
            problem::EXPLANATIONS
                .iter()
                .find(|(e, _)| e == n)
                .map(|(_, text)| (*n, *status, *title, *text))
        });
    let Some((name, status, title, text)) = found else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("No such problem type.\n");
    };
    let page = maud::html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Tellus API" }
                (crate::views::layout::app_stylesheets())
            }
            body {
                main.api-problem {
                    h1 { (title) }
                    p { "Problem type " code { (name) } ", HTTP status " (status) "." }
                    p { (text) }
                    p { a href="/api/docs/" { "The API's documentation" } }
                }
            }
        }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/api/docs/"))
        .finish()
}

/// The OpenAPI document of this API.
#[utoipa::path(
    tag = "meta",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", body = serde_json::Value, content_type = "application/json"))
)]
#[get("/openapi.json")]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document_json().to_owned())
}

/// The document as JSON, made once.
pub fn document_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| serde_json::to_string_pretty(&document()).unwrap_or_default())
}

/// The error answers every operation may give, as `components.responses`.
const ERRORS: &[(&str, &str, &str)] = &[
    ("400", "BadRequest", "The body or query cannot be read"),
    ("401", "Unauthorized", "No API key, or not a live one"),
    ("403", "MissingScope", "The API key lacks the scope"),
    ("404", "NotFound", "Not found, or not visible to this key"),
    ("413", "PayloadTooLarge", "The body is too large"),
    ("415", "UnsupportedMediaType", "The body is not JSON"),
    ("422", "InvalidFields", "Some fields are not valid"),
    ("429", "RateLimited", "Too many requests; see Retry-After"),
    ("500", "Internal", "Internal error"),
];

/// The OpenAPI document: the handlers' paths and schemas, the bearer
/// scheme, and every error answer as problem details.
pub fn document() -> OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .service(utoipa_actix_web::scope(PREFIX).configure(resources))
        .split_for_parts();
    api.info = utoipa::openapi::InfoBuilder::new()
        .title("Tellus API")
        .version("1")
        .description(Some(
            "Feedback, tickets, gifts, locations, the dashboard's figures and webhook endpoints for the shop's other systems. \
             Authenticate with `Authorization: Bearer <API key>`; errors are \
             RFC 9457 problem details.",
        ))
        .build();
    let components = api.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "bearer".into(),
        RefOr::T(SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("An API key made under Settings → API"))
                .build(),
        )),
    );
    components.schemas.insert(
        "ProblemBody".into(),
        <problem::ProblemBody as PartialSchema>::schema(),
    );
    let mut schemas = Vec::new();
    <problem::ProblemBody as ToSchema>::schemas(&mut schemas);
    for (name, schema) in schemas {
        components.schemas.entry(name).or_insert(schema);
    }
    for (_, name, description) in ERRORS {
        components.responses.insert(
            (*name).to_owned(),
            RefOr::T(
                ResponseBuilder::new()
                    .description(*description)
                    .content(
                        CONTENT_TYPE,
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ProblemBody")))
                            .build(),
                    )
                    .build(),
            ),
        );
    }
    api.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
        "bearer",
        Vec::<String>::new(),
    )]);
    for (path, item) in api.paths.paths.iter_mut() {
        let public = path.ends_with("/openapi.json");
        let has_params = path.contains('{');
        for (method, operation) in [
            ("get", item.get.as_mut()),
            ("post", item.post.as_mut()),
            ("put", item.put.as_mut()),
            ("delete", item.delete.as_mut()),
            ("patch", item.patch.as_mut()),
        ] {
            let Some(operation) = operation else { continue };
            let writes = method != "get";
            for (status, name, _) in ERRORS {
                let applies = match *status {
                    "401" | "403" | "429" => !public,
                    "404" => has_params || writes,
                    "413" | "415" => writes,
                    "422" | "400" => !public,
                    _ => true,
                };
                if applies {
                    operation
                        .responses
                        .responses
                        .entry((*status).to_owned())
                        .or_insert_with(|| {
                            RefOr::Ref(Ref::new(format!("#/components/responses/{name}")))
                        });
                }
            }
        }
    }
    api
}

/// The API scope's guard: answers CORS preflights for the listed origins,
/// turns every error answer into problem details (with `WWW-Authenticate`
/// on a 401 and `Retry-After` on a 429), and adds the CORS headers for a
/// listed origin. No listed origin: no CORS header at all.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let app = req.app_data::<web::Data<AppState>>().cloned();
    let base = app
        .as_ref()
        .map(|a| a.config.base_url.clone())
        .unwrap_or_default();
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let allowed = match (&app, &origin) {
        (Some(app), Some(origin)) => {
            let origin = origin.clone();
            app.db
                .read(move |c| Ok(api_key::cors_origins(c)?.contains(&origin)))
                .await
                .unwrap_or(false)
        }
        _ => false,
    }
    .then_some(origin)
    .flatten();
    if let Some(origin) = &allowed {
        if req.method() == Method::OPTIONS
            && req
                .headers()
                .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
        {
            let mut res = HttpResponse::NoContent();
            res.insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.as_str()))
                .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, DELETE"))
                .insert_header((
                    header::ACCESS_CONTROL_ALLOW_HEADERS,
                    "Authorization, Content-Type, Idempotency-Key",
                ))
                .insert_header((header::ACCESS_CONTROL_MAX_AGE, "600"))
                .insert_header((header::VARY, "Origin"));
            return Ok(req.into_response(res.finish()));
        }
    }
    let res = next.call(req).await?.map_into_boxed_body();
    let mut res = if res.status().is_client_error() || res.status().is_server_error() {
        as_problem(res, &base)
    } else {
        res
    };
    if let Some(origin) = allowed {
        let headers = res.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&origin) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        }
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("Retry-After, Location"),
        );
    }
    Ok(res)
}

/// The error answer as problem details.
fn as_problem(res: ServiceResponse<BoxBody>, base: &str) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let problem = res
        .response()
        .error()
        .and_then(|e| {
            e.as_error::<Problem>()
                .cloned()
                .or_else(|| e.as_error::<crate::error::AppError>().map(Problem::from))
        })
        .unwrap_or_else(|| Problem::from_status(status));
    let body = serde_json::to_string(&problem.body(base)).unwrap_or_default();
    let (req, _) = res.into_parts();
    let mut out = HttpResponse::build(problem.status);
    out.insert_header((header::CONTENT_TYPE, CONTENT_TYPE));
    if problem.status == StatusCode::UNAUTHORIZED {
        out.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"tellus\""));
    }
    if let Some(seconds) = problem.retry_after {
        out.insert_header((HeaderName::from_static("retry-after"), seconds.to_string()));
    }
    ServiceResponse::new(req, out.body(body))
}
