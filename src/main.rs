//! The `tellus` command: run the server, apply migrations, and the few
//! operations an owner needs from the shell.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use tellus::clock::Clock;
use tellus::config::Config;
use tellus::db::Db;
use tellus::domain::user::{self, NewUser, Role};
use tellus::domain::{location, setup};
use tellus::error::{AppError, Context};
use tellus::i18n::Lang;

#[derive(Parser)]
#[command(
    name = "tellus",
    version,
    about = "Hear a complaint before the internet does."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage locations.
    Location {
        #[command(subcommand)]
        command: LocationCommand,
    },
    /// Fill the database with generated feedback and tickets (refuses real data).
    Demo {
        /// How many tickets to add.
        #[arg(long, default_value_t = 1000)]
        tickets: usize,
    },
    /// Read one customer reply (a raw mail) from standard input, for a mail server pipe.
    ///
    /// Exit codes follow sysexits: 0 stored, 65 not a mail message,
    /// 67 no valid reply address (the mail server bounces it), 75 try again later.
    IngestMail,
    /// Print the SQL and query plans behind one staff inbox page, e.g.
    /// `tellus inbox-plan 'location=main-street&sort=newest'` (PostgreSQL runs
    /// the queries to time them).
    InboxPlan {
        /// The inbox's query string (what follows `/staff/inbox?`).
        #[arg(default_value = "")]
        query: String,
    },
    /// Manage API keys for the shop's other systems.
    ApiKey {
        #[command(subcommand)]
        command: ApiKeyCommand,
    },
    /// Manage kiosks (shop tablets).
    Kiosk {
        #[command(subcommand)]
        command: KioskCommand,
    },
    /// Print everything held about one customer email address, as JSON.
    ExportCustomer {
        /// The customer's address (any case).
        email: String,
    },
    /// Erase the personal data linked to one customer email address, and
    /// print what was erased.
    EraseCustomer {
        /// The customer's address (any case).
        email: String,
    },
}

#[derive(Subcommand)]
enum ApiKeyCommand {
    /// Make a key and print it (shown this once).
    Add {
        /// What it is for, e.g. "Till at Main Street".
        #[arg(long)]
        name: String,
        /// Comma-separated scopes, e.g. feedback:write,tickets:read.
        #[arg(long, value_delimiter = ',', required = true)]
        scopes: Vec<String>,
        /// Limit it to a location (its short name); repeat for more. None: all.
        #[arg(long = "location")]
        locations: Vec<String>,
    },
    /// List the keys (never the keys themselves).
    List,
    /// Revoke a key at once (its id, from `list`).
    Revoke {
        /// The key's id.
        id: i64,
    },
}

#[derive(Subcommand)]
enum KioskCommand {
    /// Make a one-time pairing code (10 minutes) for a tablet at a location.
    Code {
        /// The location's short name.
        #[arg(long)]
        location: String,
        /// A name for the tablet, e.g. "Counter".
        #[arg(long, default_value = "Kiosk")]
        name: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account. The password is read from standard input, or generated and printed once.
    Add {
        /// Login address.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// owner or staff.
        #[arg(long, value_enum, default_value = "staff")]
        role: RoleArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Owner,
    Staff,
}

#[derive(Subcommand)]
enum LocationCommand {
    /// Add a location.
    Add {
        /// Short name in the form's address, e.g. main-street.
        #[arg(long)]
        slug: String,
        /// Name customers see.
        #[arg(long)]
        name: String,
        /// Languages offered to customers, the default first (e.g. fr,nl).
        /// Without it: Dutch and English.
        #[arg(long)]
        languages: Option<String>,
    },
    /// List locations.
    List,
}

/// glibc gives each thread that allocates its own arena (up to eight per
/// core) and keeps freed memory in every one of them; with the HTTP workers,
/// the database threads and the blocking pool that kept a server at a million
/// tickets above its 100 MB target. Two arenas cost no measurable speed and
/// kept a year's dashboard at 8 connections at 66 MB instead of 94 MB.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only sets an allocator parameter, and this runs first
    // in main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TELLUS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never in a log file
        // or a journal (NO_COLOR is honoured too).
        .with_ansi(
            std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::env::var_os("NO_COLOR").is_none(),
        )
        .init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("tellus: {e}");
            return ExitCode::from(2);
        }
    };
    let command = cli.command.unwrap_or(Command::Serve);
    if matches!(command, Command::IngestMail) {
        return ingest_mail(&config);
    }
    let result = match command {
        Command::Serve => serve(config),
        Command::Migrate => Db::open(&config.database_url).map(|_| println!("migrations applied")),
        Command::User {
            command: UserCommand::Add { email, name, role },
        } => add_user(&config, &email, &name, role),
        Command::Location { command } => location_command(&config, command),
        Command::Demo { tickets } => demo(&config, tickets),
        Command::InboxPlan { query } => inbox_plan(&config, &query),
        Command::Kiosk {
            command: KioskCommand::Code { location, name },
        } => kiosk_code(&config, &location, &name),
        Command::ApiKey { command } => api_key_command(&config, command),
        Command::ExportCustomer { email } => export_customer(&config, &email),
        Command::EraseCustomer { email } => erase_customer(&config, &email),
        Command::IngestMail => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "tellus: {}",
                e.cause.as_deref().unwrap_or(e.kind.message_key())
            );
            ExitCode::FAILURE
        }
    }
}

/// sysexits: a temporary failure; the mail server tries again later.
const EX_TEMPFAIL: u8 = 75;

fn ingest_mail(config: &Config) -> ExitCode {
    use std::io::Read;
    use tellus::mail::inbound::{self, Ingested};
    let mut raw = Vec::new();
    // One byte more than accepted, so the reader can tell an oversized mail.
    if let Err(e) = std::io::stdin()
        .take(inbound::MAX_RAW_BYTES as u64 + 1)
        .read_to_end(&mut raw)
    {
        eprintln!("tellus: reading the mail: {e}");
        return ExitCode::from(EX_TEMPFAIL);
    }
    let db = match Db::open(&config.database_url) {
        Ok(db) => db,
        Err(e) => {
            eprintln!(
                "tellus: {}",
                e.cause.as_deref().unwrap_or(e.kind.message_key())
            );
            return ExitCode::from(EX_TEMPFAIL);
        }
    };
    let signer = tellus::tokens::Signer::new(&config.secret_key);
    let mail = tellus::mail::MailContext::new(&config.base_url, &config.mail_from, signer);
    let inbox = inbound::Inbox::new(config, mail, Clock::system());
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tellus: {e}");
            return ExitCode::from(EX_TEMPFAIL);
        }
    };
    match runtime.block_on(inbound::ingest(&db, &inbox, raw)) {
        Ok(Ingested::Stored(outcome)) => {
            println!("{outcome}");
            ExitCode::SUCCESS
        }
        Ok(Ingested::Rejected(why)) => {
            eprintln!("tellus: rejected: {why}");
            ExitCode::from(why.exit_code())
        }
        Err(e) => {
            eprintln!(
                "tellus: {}",
                e.cause.as_deref().unwrap_or(e.kind.message_key())
            );
            ExitCode::from(EX_TEMPFAIL)
        }
    }
}

fn serve(config: Config) -> Result<(), AppError> {
    let _only_server = sqlite_server_lock(&config)?;
    actix_web::rt::System::new().block_on(async move {
        tracing::info!(config = ?config, "starting");
        let running = tellus::start(config, Clock::system()).await?;
        let base = running.state.config.base_url.clone();
        println!(
            "Tellus is running on {base} (listening on {})",
            running.addr
        );
        if let Some(link) = &running.setup_link {
            println!("Set up Tellus (this link works once): {link}");
        }
        let stopped = running.server.await.internal("server stopped");
        // Mail this instance claimed and did not send goes to the others (or
        // to the next start) now, not after the lease.
        let instance = running.state.instance.clone();
        match running
            .state
            .db
            .write(move |c| tellus::mail::outbox::release_claims_of(c, &instance))
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(mails = n, "unsent mail given back at stop"),
            Err(e) => tracing::warn!(error = ?e, "could not give back claimed mail at stop"),
        }
        stopped
    })
}

/// A SQLite file serves one server: its senders, throttles and caches are
/// that process's own. The lock (`<database>.lock`, held until the process
/// ends, also when it is killed) refuses a second `tellus serve` on the same
/// file; several instances need PostgreSQL.
fn sqlite_server_lock(config: &Config) -> Result<Option<std::fs::File>, AppError> {
    let tellus::config::DatabaseUrl::Sqlite(path) = &config.database_url else {
        return Ok(None);
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| AppError::internal(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&name)
        .map_err(|e| AppError::internal(format!("cannot open {}: {e}", name.to_string_lossy())))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(AppError::bad_request(format!(
            "another Tellus server is already serving {}: a SQLite database serves one \
             server; stop that one first, or run several on PostgreSQL (TELLUS_DATABASE_URL)",
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(AppError::internal(format!(
            "cannot lock {}: {e}",
            name.to_string_lossy()
        ))),
    }
}

fn add_user(config: &Config, email: &str, name: &str, role: RoleArg) -> Result<(), AppError> {
    let stdin = std::io::stdin();
    let (password, generated) = if stdin.is_terminal() {
        (tellus::tokens::random_token()[..20].to_owned(), true)
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .internal("reading the password")?;
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            (tellus::tokens::random_token()[..20].to_owned(), true)
        } else {
            (line, false)
        }
    };
    if let Err(e) = user::check_new(email, name, &password) {
        return Err(AppError::bad_request(
            tellus::views::components::error_text(tellus::i18n::Lang::En, &e),
        ));
    }
    let db = Db::open(&config.database_url)?;
    let hash = user::hash_password(&password)?;
    let new = NewUser {
        email: email.to_owned(),
        name: name.to_owned(),
        role: match role {
            RoleArg::Owner => Role::Owner,
            RoleArg::Staff => Role::Staff,
        },
    };
    let now = Clock::system().now();
    let created = db.write_blocking(move |c| {
        let created = user::insert(c, &new, &hash, now)?;
        if created.as_ref().is_ok_and(|u| u.is_owner()) {
            // An owner exists now: a printed setup link must stop working.
            setup::close(c)?;
        }
        Ok(created)
    })?;
    match created {
        Ok(user) => {
            println!("added {} ({}) as {}", user.email, user.name, user.role);
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        Err(e) => Err(AppError::bad_request(
            tellus::views::components::error_text(tellus::i18n::Lang::En, &e),
        )),
    }
}

fn location_command(config: &Config, command: LocationCommand) -> Result<(), AppError> {
    let db = Db::open(&config.database_url)?;
    match command {
        LocationCommand::Add {
            slug,
            name,
            languages,
        } => {
            let languages = match languages.as_deref().map(location::parse_languages) {
                None => None,
                Some(Ok(list)) => Some(list),
                Some(Err(unknown)) => {
                    return Err(AppError::bad_request(format!(
                        "unknown language {unknown:?}: use nl, en, fr or de, the default first (e.g. fr,nl)"
                    )))
                }
            };
            let now = Clock::system().now();
            let created = db.write_blocking(move |c| {
                let created = location::create(c, &slug, &name, now)?;
                match (created, languages) {
                    (Ok(l), Some(list)) => {
                        location::offer_languages(c, l.id, &list)?;
                        Ok(Ok(location::find_by_slug(c, &l.slug)?.unwrap_or(l)))
                    }
                    (other, _) => Ok(other),
                }
            })?;
            match created {
                Ok(l) => {
                    println!(
                        "added location {} at {}/f/{} ({})",
                        l.name,
                        config.base_url,
                        l.slug,
                        Lang::list_code(&l.offered())
                    );
                    Ok(())
                }
                Err(e) => Err(AppError::bad_request(
                    tellus::views::components::error_text(tellus::i18n::Lang::En, &e),
                )),
            }
        }
        LocationCommand::List => {
            for l in db.read_blocking(location::list)? {
                println!(
                    "{}\t{}\t{}\t{}",
                    l.slug,
                    if l.active { "active" } else { "inactive" },
                    l.name,
                    Lang::list_code(&l.offered())
                );
            }
            Ok(())
        }
    }
}

fn api_key_command(config: &Config, command: ApiKeyCommand) -> Result<(), AppError> {
    use tellus::domain::api_key::{self, NewKey, Scope};
    use tellus::domain::audit::Actor;
    let db = Db::open(&config.database_url)?;
    let now = Clock::system().now();
    match command {
        ApiKeyCommand::Add {
            name,
            scopes,
            locations,
        } => {
            let mut parsed = Vec::new();
            for scope in &scopes {
                let known = Scope::parse(scope.trim()).ok_or_else(|| {
                    let all: Vec<_> = Scope::ALL.iter().map(|s| s.as_str()).collect();
                    AppError::bad_request(format!(
                        "unknown scope {scope}; known: {}",
                        all.join(", ")
                    ))
                })?;
                parsed.push(known);
            }
            let new = NewKey {
                name,
                scopes: parsed,
                locations,
            };
            let made = db.write_blocking(move |c| api_key::create(c, &new, Actor::Cli, now))?;
            match made {
                Ok(made) => {
                    println!("added API key {}", made.id);
                    println!("key (shown once, copy it now): {}", made.key);
                    Ok(())
                }
                Err(errors) => Err(AppError::bad_request(
                    errors
                        .iter()
                        .map(|e| tellus::views::components::error_text(tellus::i18n::Lang::En, e))
                        .collect::<Vec<_>>()
                        .join(" "),
                )),
            }
        }
        ApiKeyCommand::List => {
            for key in db.read_blocking(api_key::list)? {
                let scopes: Vec<_> = key.scopes.iter().map(|s| s.as_str()).collect();
                let locations = if key.locations.is_empty() {
                    "all locations".to_owned()
                } else {
                    key.locations.join(",")
                };
                let used = key
                    .last_used_at
                    .map_or("never used".to_owned(), |at| format!("last used {at}"));
                let state = key
                    .revoked_at
                    .map_or("live".to_owned(), |at| format!("revoked {at}"));
                println!(
                    "{}\t{}…\t{}\t{}\t{}\t{}\t{}",
                    key.id,
                    key.prefix,
                    key.name,
                    scopes.join(","),
                    locations,
                    used,
                    state
                );
            }
            Ok(())
        }
        ApiKeyCommand::Revoke { id } => {
            if db.write_blocking(move |c| api_key::revoke(c, id, Actor::Cli, now))? {
                println!("revoked API key {id}");
                Ok(())
            } else {
                Err(AppError::not_found_because(format!("no live API key {id}")))
            }
        }
    }
}

fn kiosk_code(config: &Config, slug: &str, name: &str) -> Result<(), AppError> {
    let db = Db::open(&config.database_url)?;
    let (slug, name, now) = (slug.to_owned(), name.to_owned(), Clock::system().now());
    let code = db.write_blocking(move |c| {
        let Some(found) = location::find_by_slug(c, &slug)? else {
            return Ok(None);
        };
        tellus::domain::kiosk::create_pairing_code(c, found.id, &name, now)
    })?;
    match code {
        Some(code) => {
            println!("pairing code (works once, for 10 minutes): {code}");
            println!(
                "open {}/kiosk/pair on the tablet and type it",
                config.base_url
            );
            Ok(())
        }
        None => Err(AppError::bad_request(
            "no active location with that short name",
        )),
    }
}

fn demo(config: &Config, tickets: usize) -> Result<(), AppError> {
    let db = Db::open(&config.database_url)?;
    let backend = db.backend();
    let now = Clock::system().now();
    let started = std::time::Instant::now();
    let mut shown = 0;
    let added = db.bulk_blocking(|c| {
        tellus::demo::generate(c, backend, tickets, now, |done| {
            // Chunks do not end on round numbers: say when one is passed.
            if done / 100_000 > shown {
                shown = done / 100_000;
                eprintln!("{done} tickets");
            }
        })
    })?;
    println!(
        "added {added} demo tickets in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // The dashboard's rollup of every finished day, as the jobs would leave it.
    let started = std::time::Instant::now();
    let mut days = 0;
    loop {
        let rolled = tellus::jobs::roll_up_blocking(&db, now)?;
        if rolled == 0 {
            break;
        }
        days += rolled;
    }
    println!(
        "rolled up {days} dashboard days in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn inbox_plan(config: &Config, query: &str) -> Result<(), AppError> {
    use tellus::domain::inbox;
    let params: inbox::Params = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|e| AppError::bad_request(format!("not an inbox query string: {e}")))?;
    let db = Db::open(&config.database_url)?;
    let now = Clock::system().now();
    let plans = db.read_blocking(|c| {
        // "me" means nobody in particular here.
        let request = inbox::resolve(&params, 0, &inbox::Choices::load(c)?);
        inbox::explain(c, &request, 50, now)
    })?;
    for line in plans {
        println!("{line}");
    }
    Ok(())
}

/// The address given on the command line, checked.
fn customer_address(email: &str) -> Result<String, AppError> {
    tellus::domain::privacy::check_address(email).map_err(|e| {
        AppError::bad_request(tellus::views::components::error_text(
            tellus::i18n::Lang::En,
            &e,
        ))
    })
}

fn export_customer(config: &Config, email: &str) -> Result<(), AppError> {
    use tellus::domain::{audit::Actor, privacy};
    let address = customer_address(email)?;
    let db = Db::open(&config.database_url)?;
    let now = Clock::system().now();
    let export = db.write_blocking(move |c| privacy::export(c, Actor::Cli, &address, now))?;
    let json = serde_json::to_string_pretty(&export).internal("export as JSON")?;
    println!("{json}");
    Ok(())
}

fn erase_customer(config: &Config, email: &str) -> Result<(), AppError> {
    use tellus::domain::{audit::Actor, privacy};
    let address = customer_address(email)?;
    let db = Db::open(&config.database_url)?;
    let now = Clock::system().now();
    let erased = db.write_blocking(move |c| privacy::erase(c, Actor::Cli, &address, now))?;
    println!("erased: {}", erased.summary());
    Ok(())
}
