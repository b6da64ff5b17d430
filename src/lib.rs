//! # Tellus
//!
//! Hear a complaint before the internet does. A customer taps a face on the
//! shop's tablet or scans a QR code, says what went wrong and may leave an
//! email address; staff see it at once, answer by email and track it to
//! resolution. This page is the map; each module's own doc holds its rules.
//!
//! ## The rooms
//!
//! | module | what lives there |
//! |---|---|
//! | [`config`] | settings from the environment, validated at start, secrets redacted |
//! | [`error`] | `AppError`: a user-safe kind + a logged cause and source → status and error page; `Context` (`.internal("what")?`) |
//! | [`db`] | SQLite or PostgreSQL, the read pool, the group-commit writer, migrations, `schema`, hand-written SQL (`sql`) |
//! | [`domain`] | one module per shop concept: rows, queries and rules, no HTTP; every audited change records its own entry |
//! | [`jobs`] | what happens because time passed, once however often it runs |
//! | [`mail`] | the outbox, templates, the sending worker, inbound replies and IMAP |
//! | [`web`] | routes, extractors and guards, thin handlers per area; [`web::api`]: the JSON API under `/api/v1` (keys, problem details, CORS, the OpenAPI document, `/api/docs`) |
//! | [`delivery`] | outgoing HTTP: the guard (public addresses only unless allowed, at save and at connect) and the sender of the HTTP outbox (Standard Webhooks signing, retries, delivery log) |
//! | [`views`] | maud pages, pure functions of data; SVG charts and CSV |
//! | [`i18n`] | the four languages (nl, en, fr, de) and the catalogues in `locales/` |
//! | [`tokens`] | random tokens, references, HMAC signing |
//! | [`clock`] | the injectable clock every rule asks for the time |
//! | [`demo`] | the bulk loader behind `tellus demo`: a live shop on the day it runs (this week's tickets in every status, texts that fit the face, replies, notes, gifts, satisfaction) |
//!
//! Data flows one way: `web → domain → db`, and `web → views`. The domain
//! renders mail through `mail::templates` and queues it through `mail::outbox`.
//!
//! ## A request, end to end
//!
//! `POST /f/{slug}` → [`web::public::submit`] reads the form ([`web::form`]),
//! checks the honeypot, the signed form token and the rates (a suspect goes
//! to quarantine, never the bin) → [`domain::feedback::validate`] →
//! [`db::Db::write`] queues [`domain::feedback::submit`] on the writer thread:
//! the feedback row, a ticket when it needs follow-up and the outbox rows, in
//! one group commit → only then the thank-you page. [`mail::worker`] sends the
//! outbox later, with retries. JavaScript runs only on the kiosk
//! (`static/js/kiosk.js`, `static/sw.js`: offline submissions queue in
//! IndexedDB and the kiosk thanks only once that write is complete; the
//! idempotency key makes a resend harmless, see [`web::kiosk`]) and at the
//! till (`static/js/redeem.js`).
//!
//! ## One rule, one place
//!
//! | rule | where |
//! |---|---|
//! | who may see what (a missing right reads as 404), sessions | [`web::extract`], [`domain::session`] |
//! | forms: strict decoding, `CsrfForm` on every staff form, signed form tokens and their ages | [`web::form`] |
//! | cross-site requests (`Sec-Fetch-Site`, `Origin`/`Referer` against `TELLUS_BASE_URL`), security headers | [`web::refuse_cross_site`], [`web::security_headers`] |
//! | the audit log: every action, who did it (a user, the CLI, a job, an API key) | [`domain::audit`] |
//! | throttles | [`web::throttle`] |
//! | business time: local days, months, midnights, dates (nl-NL and nl-BE, fr-BE by the `Europe/Brussels` zone), daylight saving; moments as people read them (`format_moment`, `format_day`: the business's zone on staff pages, the location's for customers, the reader's language; `iso`/`iso_utc` for `<time datetime>` and exports) | [`domain::local_time`], [`views::components::moment`] |
//! | money: amounts typed, formatted, a gift's value | [`domain::money`] |
//! | accounts, passwords, invitations, reset, two-step login | [`domain::user`], [`domain::invite`], [`domain::password_reset`], [`domain::totp`] |
//! | the ticket workflow and timeline; merges | [`domain::ticket`] |
//! | service levels (opening hours, the waiting pause) | [`domain::sla`] |
//! | the inbox at a million tickets | [`domain::inbox`], [`db::sql`] |
//! | which mail may join a ticket; duplicates per ticket and Message-ID | [`mail::inbound`], [`domain::customer_reply`] |
//! | the customer's own words in a reply: quoted history, attributions and header blocks in every language, signatures; HTML quotes removed before the text | [`mail::reply`] (fixtures with their sources in `tests/fixtures/replies/`) |
//! | which language a customer sees: the location's offered languages (default first), `Accept-Language` among them, the switch naming each language in itself, the kiosk's choice; the catalogue checks (same keys and placeholders everywhere, no unused key) | [`domain::location`] (`offered`), [`web::extract::request_lang_among`], [`views::layout::Switch`], [`i18n`] |
//! | what owners write per language (topic names, canned answers, gift texts): at least one language, the reader's language else the location's default else the first written; what is missing shown to the owner; the `TELLUS_TEXTS=longest` layout run | [`i18n::Written`], [`domain::WrittenRule`], [`views::components::written_fields`] |
//! | gifts: catalogue, budgets, codes, sending (by staff or an API key, the same rules), redemption | [`domain::gift`], [`web::gift`], [`web::api::gifts`] |
//! | the owner's dashboard (figures, the previous-range comparison, per-location rows, the hour-of-week heat map) and its rollup | [`domain::dashboard`], [`domain::rollup`] |
//! | the public address customers reach (`TELLUS_BASE_URL`), mail only saved as files | [`config`] (`address_problem`, `Config::mail_saved_as_files`) |
//! | the first-run checklist and the owner's checks (own address, test mail) | [`domain::checklist`], [`web::first_run`], [`web::self_check`], [`mail::test_mail`] |
//! | how long a change waits for the database (then "unavailable", and the change is never made later); batches the database never began run again after a reconnect; readiness (`/readyz`: a write within 3 s) | [`db::WRITE_WAIT`], `db::writer`, [`web`] (`readyz`) |
//! | sending once with several instances on one database: claims with a lease (`SKIP LOCKED` on PostgreSQL) on the mail and HTTP outboxes, each outcome recorded as soon as it is known, claims given back at a clean stop; one server per SQLite file (`<database>.lock`) | [`mail::outbox`] (`claim`), [`mail::worker`], [`domain::outbound`] (`claim_one`), `main.rs` (`sqlite_server_lock`) |
//! | events the shop's other systems and team chat hear (each emitted by the domain function that makes it happen, in its transaction); the HTTP outbox they are queued in | [`domain::events`], [`domain::outbound`] |
//! | webhook endpoints (public ids `wh_…`), their derived secrets, payloads, pausing after a day of failures | [`domain::webhook`], [`delivery::worker`] |
//! | team-chat targets and their messages (facts stored in the transaction, phrased for Slack/Teams by `chat::render` at send time) | [`domain::chat`] |
//! | which addresses Tellus may post to (`TELLUS_WEBHOOK_ALLOW_PRIVATE`), no redirects, timeouts | [`delivery::guard`] |
//! | burst alerts: the rule per location, per-minute counters on the writer, raising (mail, event, chat), holding back, acknowledging; the inbox banner and the alerts page | [`domain::alert`], [`web::alert`] |
//! | API keys: scopes, location limits, hash only, revocation at once, last use once a minute; allowed CORS origins | [`domain::api_key`], [`web::api::auth`] |
//! | API errors as RFC 9457 problem details (stable type names), strict JSON bodies; the OpenAPI document generated from the handlers | [`web::api::problem`], [`web::api::guard`], [`web::api::document`] |
//! | privacy: retention, export, erasure, consent | [`domain::privacy`], [`domain::consent`] |
//! | the page frames: customer pages; staff pages with the daily bar, the Settings area's side menu (which pages belong to it), the phone menu without JavaScript, the owners' mail banner | [`views::layout`], [`views::components`] |
//! | spreadsheet-safe CSV | [`views::csv`] |

pub mod clock;
pub mod config;
pub mod db;
pub mod delivery;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod tokens;
pub mod views;
pub mod web;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{web as aweb, App, HttpServer};
use clock::Clock;
use config::Config;
use db::Db;
use domain::user::Passwords;
use error::{AppError, AppResult, Context};
use mail::MailContext;
use std::net::SocketAddr;
use std::sync::Arc;
use tokens::Signer;
use tokio::sync::Notify;
use web::cache::PublicCache;
use web::throttle::Limits;

/// Everything the handlers share.
pub struct AppState {
    /// Settings.
    pub config: Config,
    /// The database.
    pub db: Db,
    /// The time.
    pub clock: Clock,
    /// Signs form tokens.
    pub signer: Signer,
    /// Links and Message-IDs for mail.
    pub mail: MailContext,
    /// Wakes the mail worker when mail is queued.
    pub mail_wake: Arc<Notify>,
    /// Wakes the HTTP sender when a webhook or chat message is queued.
    pub http_wake: Arc<Notify>,
    /// Password hashing with a cap on concurrency.
    pub passwords: Passwords,
    /// Rate limits.
    pub limits: Limits,
    /// Public-page cache.
    pub cache: PublicCache,
    /// The ids of the consent wordings shown with the email box, resolved at start.
    pub consent: domain::consent::Wordings,
    /// The API's per-key rate limit and last-use bookkeeping.
    pub api: web::api::ApiState,
    /// This process among the instances on one database: what its senders
    /// claim carries it (random at each start).
    pub instance: String,
}

impl AppState {
    /// Wakes the mail worker and the HTTP sender after a change that may
    /// have queued mail, webhook deliveries or chat messages (an idle look
    /// costs each a read, never the writer).
    pub fn wake_senders(&self) {
        self.mail_wake.notify_one();
        self.http_wake.notify_one();
    }

    /// State for a configuration and an open database.
    pub fn new(config: Config, db: Db, clock: Clock) -> AppState {
        let signer = Signer::new(&config.secret_key);
        AppState {
            mail: MailContext::new(&config.base_url, &config.mail_from, signer.clone()),
            signer,
            db,
            clock,
            mail_wake: Arc::new(Notify::new()),
            http_wake: Arc::new(Notify::new()),
            passwords: Passwords::new(2),
            limits: Limits::new(config.public_rate_limit),
            cache: PublicCache::default(),
            consent: domain::consent::Wordings::default(),
            api: web::api::ApiState::new(config.api_rate_limit),
            instance: format!("i-{}", &tokens::random_token()[..16]),
            config,
        }
    }
}

/// The application: routes, guards and error pages over shared state.
pub fn build_app(
    state: aweb::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(state)
        .configure(web::routes)
        .wrap(from_fn(web::refuse_cross_site))
        .wrap(web::error_pages())
        .wrap(from_fn(web::security_headers))
        .wrap(tracing_actix_web::TracingLogger::default())
}

/// A running server.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The server future; await it to run until stopped.
    pub server: actix_web::dev::Server,
    /// Shared state (tests move the clock or read the database through it).
    pub state: aweb::Data<AppState>,
    /// The one-time setup link, while no owner exists.
    pub setup_link: Option<String>,
}

/// Opens the database (applying migrations), starts the mail worker, the
/// HTTP sender and the HTTP server. Call inside an actix/tokio runtime.
pub async fn start(config: Config, clock: Clock) -> AppResult<Running> {
    let db = Db::open(&config.database_url)?;
    let now = clock.now();
    let setup_token = db
        .write(move |c| domain::setup::issue_link_token(c, now))
        .await?;
    let setup_link = setup_token.map(|t| format!("{}/setup/{t}", config.base_url));
    let consent = db.write(move |c| domain::consent::register(c, now)).await?;
    let listener = std::net::TcpListener::bind(config.bind)
        .internal(&format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr().internal("listener address")?;
    let workers = config.workers;
    let mut state = AppState::new(config, db, clock);
    state.consent = consent;
    let state = aweb::Data::new(state);
    let worker = mail::worker::Worker::new(
        &state.config,
        state.db.clone(),
        state.clock.clone(),
        Arc::clone(&state.mail_wake),
        &state.instance,
    )?;
    // On the runtime itself, not actix's per-thread task set: at shutdown the
    // worker is then dropped inside the runtime, even in the middle of a send.
    tokio::spawn(worker.run());
    let sender = delivery::worker::Sender::new(
        &state.config,
        state.db.clone(),
        state.clock.clone(),
        Arc::clone(&state.http_wake),
        state.mail.clone(),
        Arc::clone(&state.mail_wake),
    )?;
    tokio::spawn(sender.run());
    if let Some(url) = &state.config.imap_url {
        let source = mail::imap::ImapSource::parse(url).map_err(AppError::internal)?;
        let inbox =
            mail::inbound::Inbox::new(&state.config, state.mail.clone(), state.clock.clone());
        tokio::spawn(mail::imap::run(
            source,
            state.db.clone(),
            inbox,
            std::time::Duration::from_secs(u64::from(state.config.imap_poll_seconds)),
            Arc::clone(&state.mail_wake),
        ));
    }
    jobs::spawn(
        state.db.clone(),
        state.clock.clone(),
        state.mail.clone(),
        Arc::clone(&state.mail_wake),
    );
    let app_state = state.clone();
    let server = HttpServer::new(move || build_app(app_state.clone()))
        .workers(workers)
        .backlog(2048)
        .listen(listener)
        .internal("cannot serve")?
        .run();
    Ok(Running {
        addr,
        server,
        state,
        setup_link,
    })
}
