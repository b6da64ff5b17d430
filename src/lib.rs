//! # Tellus
//!
//! Hear a complaint before the internet does. A customer taps a face on the
//! shop's tablet or scans a QR code, says what went wrong and may leave an
//! email address; staff see it at once, answer by email and track it to
//! resolution.
//!
//! ## The rooms
//!
//! | module | what lives there |
//! |---|---|
//! | [`config`] | settings from the environment, validated at start, secrets redacted |
//! | [`error`] | `AppError`: a user-safe message key + a logged cause → status and error page |
//! | [`db`] | `DbConnection` over SQLite or PostgreSQL, the read pool, the group-commit writer, pragmas, embedded migrations, `schema.rs`, and `sql` (hand-written inbox SQL: placeholders, index hints, full-text match per backend) |
//! | [`domain`] | one file per concept (feedback, ticket, inbox, canned, audit, sla, workflow, satisfaction, dashboard, location, category, kiosk, profile, qr, user, session, invite, password_reset, totp, setup, demo, customer_reply, attachment, privacy, consent, gift, …): rows, queries and rules; no HTTP |
//! | [`jobs`] | what happens because time passed: escalations, the waiting reminder, auto-close, the satisfaction survey, the daily digest, the dashboard rollup, the daily retention run; a loop on the app's clock, [`jobs::run_now`] for tests |
//! | [`mail`] | the outbox (rows written with the change that causes them), templates (text + HTML, nl + en, put into the business's frame at send time; account mails in `account_mail`, follow-up mails in `followup_mail`, gift mails in `gift_mail`), the sending worker (which adds the signed Reply-To on customer mail), inbound replies (`inbound`: reply addresses, parsing, quote stripping, `ingest`) and IMAP polling (`imap`) |
//! | [`web`] | the routes table, extractors (`CurrentUser`, `Owner`, language, strict `Form`), guards (CSRF, cross-site, headers), the public-page cache, rate limits, thin handlers per area: `public`, `satisfaction`, `staff`, `inbox`, `ticket`, `canned`, `owner`, `workflow`, `account`, `attachments`, `posters`, `kiosk`, `setup`, `dashboard`, `privacy`, `gift` (catalogue, budgets, approvals, sending, the till `/staff/redeem`, the customer's `/v/{token}`) |
//! | [`views`] | maud pages, pure functions of data; never touch the database; SVG charts (`chart`) and spreadsheet-safe CSV (`csv`) |
//! | [`i18n`] | `Lang` and the nl/en catalogues in `locales/` |
//! | [`tokens`] | random tokens (only their SHA-256 stored), references, HMAC signing |
//! | [`clock`] | the injectable clock every rule asks for the time |
//!
//! Data flows one way: `web → domain → db`, and `web → views`. The domain
//! renders mail through `mail::templates` and queues it through `mail::outbox`.
//!
//! ## A request, end to end
//!
//! `POST /f/{slug}` → [`web::public::submit`] parses the form, checks the
//! honeypot, the signed time token and the per-IP rate (a suspect goes to
//! quarantine, never the bin) → [`domain::feedback::validate`] →
//! [`db::Db::write`] queues [`domain::feedback::submit`] on the writer thread,
//! which runs it in a savepoint of a shared transaction: the feedback row, a
//! ticket when it needs follow-up, and outbox rows for the acknowledgement and
//! the staff alerts → one commit for the whole batch (group commit) → only then
//! the thank-you page ([`views::public::thanks`]) with the reference and the
//! review invitation. The mail worker ([`mail::worker`]) sends the outbox later,
//! with retries.
//!
//! The kiosk (`/kiosk`) is the one place with JavaScript: `static/js/kiosk.js`
//! switches its screens, keeps submissions in the browser while the shop's
//! Wi-Fi is down and sends them later with their idempotency keys, and
//! `static/sw.js` keeps the kiosk shell loadable offline. Its handlers
//! ([`web::kiosk`]) take the location from the device cookie only. The till
//! (`/staff/redeem`) adds `static/js/redeem.js`, which scans a gift's QR code
//! where the browser has `BarcodeDetector`; typing the code always works.
//!
//! ## Where each rule lives
//!
//! - who may see what: [`web::extract`] (`CurrentUser`, `Owner`; a missing
//!   right reads as 404), ticket pages by token hash in [`domain::ticket`]
//! - sessions (absolute lifetime, idle timeout, disabled users, the pending
//!   two-factor step, new token on password change): [`domain::session`],
//!   checked on every request in [`web::extract`]
//! - accounts: roles, disabling (ends sessions), never without an active
//!   owner, password change in [`domain::user`]; invitations (one use, 72 h)
//!   in [`domain::invite`]; password reset (one use, 30 min, same answer for
//!   every address) in [`domain::password_reset`]; TOTP two-factor (RFC 6238,
//!   no code twice, mandatory for owners when the owner says so) in
//!   [`domain::totp`]; their pages in [`web::account`]
//! - the audit log (append-only, enforced by the database; owners read it at
//!   `/staff/audit`): [`domain::audit`]
//! - CSRF: the session's token on every staff form
//!   ([`web::extract::CurrentUser::check_csrf`]), signed form tokens on
//!   anonymous forms, `Sec-Fetch-Site: cross-site` refused in
//!   [`web::refuse_cross_site`]
//! - security headers and `no-store`: [`web::security_headers`]
//! - passwords (argon2id, capped concurrency, decoy hash): [`domain::user`]
//! - the ticket workflow (statuses, reopening on a customer reply, notes,
//!   assignment, priority, merge) and the staff timeline: [`domain::ticket`];
//!   internal notes live in `ticket_events`, which the customer's page never
//!   reads ([`views::public::ticket_page`] shows `ticket_messages` only)
//! - canned responses and their placeholders: [`domain::canned`]
//! - the audit log, append-only by database triggers: [`domain::audit`]
//! - throttling (public form per IP and per location, kiosk per device, login,
//!   two-factor codes, password reset, pairing): [`web::throttle`]
//! - kiosk pairing, binding and revocation: [`domain::kiosk`], [`web::kiosk`]
//! - opening hours (kiosk closed screen): [`domain::location::is_open`]
//! - uploaded logos checked by content: [`domain::profile`]; mail attachments
//!   by content, served to staff only as downloads: [`domain::attachment`],
//!   [`web::attachments`]
//! - which mail may join a ticket (signed reply address, never a number in
//!   the subject; auto-replies ignored; one copy per Message-ID):
//!   [`mail::inbound`], [`domain::customer_reply`]
//! - SLA: due moments counted in opening hours, the waiting pause, the
//!   `due_at` invariant: [`domain::sla`] (hooks called by [`domain::ticket`]);
//!   targets per location in [`domain::location`]; the time left shown to
//!   staff: [`views::sla`]
//! - once per breach / once per reminder / once per survey / once per day:
//!   conditional updates and `job_runs` in [`jobs`]
//! - workflow settings (auto-close, reminder, survey delay, digest hour, time
//!   zone) and who hears about what: [`domain::workflow`]
//! - a satisfaction answer is recorded only by POST with a signed form token:
//!   [`web::satisfaction`]; an unhappy one reopens: [`domain::satisfaction`]
//! - uploaded logos checked by content: [`domain::profile`]
//! - input limits and validation: [`domain::feedback::validate`], [`web::MAX_FORM_BYTES`],
//!   strict UTF-8 form decoding in [`web::form`]
//! - durability settings checked at start: `db::connection::verify_settings`
//! - privacy: the retention period, the daily anonymisation (what is blanked,
//!   what stays for the numbers), export and erasure per customer address
//!   (owner page `/staff/privacy`, CLI `tellus export-customer` /
//!   `tellus erase-customer`; audited with counts, never the address):
//!   [`domain::privacy`], its daily run in [`jobs::retention`], its page in
//!   [`web::privacy`]; the consent wording stored with each submission
//!   (resolved once at start into [`AppState::consent`]): [`domain::consent`]
//! - thank-you gifts: [`domain::gift`], pages in [`web::gift`]. Codes: drawn
//!   when a gift is sent, derived from a 128-bit page token with HMAC under
//!   the server secret, 10 characters without look-alikes, stored only as
//!   HMAC(secret, code) (`code_hash`, unique) and the token as SHA-256; the
//!   gift mail's body is emptied in the outbox once delivered
//!   ([`mail::gift_mail`]). Redemption exactly once: one conditional update
//!   in [`domain::gift::redeem`]; unknown codes throttled per user and per IP
//!   ([`web::throttle`]). Budget and approval: [`domain::gift::send`] (the
//!   location row locked on PostgreSQL, calendar month in the business time
//!   zone; staff over the approval amount or the budget wait, owners send
//!   past the budget only with "send anyway"); a doubled send form makes one
//!   gift (signed request key, `gift_requests`)
//! - the staff inbox at a million tickets (which index each filter and sort
//!   walks, keyset cursors, capped counts, full-text search kept in step by
//!   triggers): [`domain::inbox`], its SQL in [`db::sql`], the indexes and
//!   triggers in the `inbox_search` migration
//! - the owner's dashboard (`/staff/dashboard`, owners only): figures per
//!   local day of the business's time zone, each event on the day it
//!   happened; finished days rolled up by the jobs (one day per writer job,
//!   the last three again each day), every other day counted live by the
//!   same code; a change to an older day forgets its rollup
//!   ([`domain::dashboard::forget`], called by [`domain::sla`],
//!   [`domain::satisfaction`], [`domain::feedback::release`]), a new time
//!   zone clears it ([`domain::workflow::save`]): [`domain::dashboard`];
//!   CSV cells that a spreadsheet would run as a formula are neutralised in
//!   [`views::csv`]

pub mod clock;
pub mod config;
pub mod db;
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
    /// Password hashing with a cap on concurrency.
    pub passwords: Passwords,
    /// Rate limits.
    pub limits: Limits,
    /// Public-page cache.
    pub cache: PublicCache,
    /// The ids of the consent wordings shown with the email box, resolved at start.
    pub consent: domain::consent::Wordings,
}

impl AppState {
    /// State for a configuration and an open database.
    pub fn new(config: Config, db: Db, clock: Clock) -> AppState {
        let signer = Signer::new(&config.secret_key);
        AppState {
            mail: MailContext::new(&config.base_url, &config.mail_from, signer.clone()),
            signer,
            db,
            clock,
            mail_wake: Arc::new(Notify::new()),
            passwords: Passwords::new(2),
            limits: Limits::new(config.public_rate_limit),
            cache: PublicCache::default(),
            consent: domain::consent::Wordings::default(),
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

/// Opens the database (applying migrations), starts the mail worker and the
/// HTTP server. Call inside an actix/tokio runtime.
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
    )?;
    // On the runtime itself, not actix's per-thread task set: at shutdown the
    // worker is then dropped inside the runtime, even in the middle of a send.
    tokio::spawn(worker.run());
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
