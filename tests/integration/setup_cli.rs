//! First run and the command line: the one-time setup link (works once, keeps
//! what was typed on bad input, dies once an owner exists) and the `tellus`
//! binary itself (`migrate`, `location add|list`, `user add` with a piped or
//! generated password, `serve` printing the setup link, refusing bad settings,
//! and answering `/healthz` and logins), on SQLite and PostgreSQL.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::both;
use crate::support::cli::{Http, Tellus};
use crate::support::{pg, Backend, TestApp};

/// Password of the owner made by these tests.
const OWNER_PASSWORD: &str = "a long enough password";

// ---------------------------------------------------------------------------
// The setup link, through the test harness.
// ---------------------------------------------------------------------------

/// The path of a setup link (`/setup/…`), whatever base address it was printed with.
fn setup_path(link: &str) -> String {
    let at = link
        .find("/setup/")
        .unwrap_or_else(|| panic!("not a setup link: {link}"));
    link[at..].to_owned()
}

/// The setup form's fields, with the given ones replaced.
fn setup_fields<'a>(token: &'a str, replace: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("form_token", token),
        ("name", "Olga Owner"),
        ("email", "olga@shop.example"),
        ("password", OWNER_PASSWORD),
        ("location_name", "Bakkerij De Zon"),
        ("slug", "de-zon"),
        ("lang", "en"),
    ];
    for (name, value) in replace {
        let field = fields
            .iter_mut()
            .find(|(n, _)| n == name)
            .expect("known field");
        field.1 = value;
    }
    fields
}

/// The signed form token a setup page carries (as a browser would send it back).
fn page_token(app: &TestApp) -> String {
    app.state
        .signer
        .form_token("setup", app.clock.now().and_utc().timestamp())
}

both!(setup_link_works_once, |backend| {
    let app = TestApp::start(backend);
    let link = app
        .setup_link
        .clone()
        .expect("a setup link while no owner exists");
    let path = setup_path(&link);
    let client = app.client();

    let form = client.get(&format!("{path}?lang=en"));
    assert_eq!(form.status, 200, "setup form: {}", form.body);
    assert!(form.body.contains("Set up Tellus"), "{}", form.body);
    assert!(form.body.contains("name=\"slug\""), "{}", form.body);

    let done = client.post_form(&path, &setup_fields(&page_token(&app), &[]));
    assert_eq!(done.status, 303, "setup: {}", done.body);
    assert_eq!(done.header("location"), Some("/staff/start"), "logged in");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM users WHERE role = 'owner'"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM locations WHERE slug = 'de-zon'"),
        1
    );

    // The new location's form is open to customers.
    let public = client.get("/f/de-zon");
    assert_eq!(public.status, 200);
    assert!(public.body.contains("Bakkerij De Zon"));

    // The owner logs in with what they just chose.
    let res = app.client().log_in("olga@shop.example", OWNER_PASSWORD);
    assert_eq!(res.status, 303, "owner login: {}", res.body);

    // The link is spent: neither the page nor a second submission works.
    assert_eq!(client.get(&path).status, 410);
    let again = client.post_form(
        &path,
        &setup_fields(
            &page_token(&app),
            &[("email", "mallory@shop.example"), ("slug", "other")],
        ),
    );
    assert_eq!(again.status, 410);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM users"), 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM locations"), 1);

    // Once an owner exists every setup link is spent, made-up ones too.
    assert_eq!(client.get("/setup/xyz").status, 410);
    assert_eq!(
        client
            .post_form("/setup/xyz", &setup_fields(&page_token(&app), &[]))
            .status,
        410
    );
});

both!(
    setup_bad_input_keeps_fields_and_creates_nothing,
    |backend| {
        let app = TestApp::start(backend);
        let path = setup_path(app.setup_link.as_deref().expect("setup link"));
        let client = app.client();
        let cases: [(&str, &str, &str); 3] = [
            ("password", "short", "at least 10 characters"),
            ("slug", "A B", "Use 2 to 60 lowercase letters"),
            (
                "email",
                "not-an-email",
                "does not look like an email address",
            ),
        ];
        let token = page_token(&app);
        for (field, value, message) in cases {
            let fields = setup_fields(&token, &[(field, value)]);
            let res = client.post_form(&path, &fields);
            assert_eq!(res.status, 422, "{field}={value}: {}", res.body);
            assert!(
                res.body.contains(message),
                "{field}={value}: no `{message}` in {}",
                res.body
            );
            // What was typed comes back, except any password.
            for (name, typed) in &fields {
                match *name {
                    "password" | "lang" => {}
                    _ => assert!(
                        res.body.contains(&format!("value=\"{typed}\"")),
                        "{field}={value}: `{name}` not kept in {}",
                        res.body
                    ),
                }
            }
            let password = fields
                .iter()
                .find(|(n, _)| *n == "password")
                .expect("password")
                .1;
            assert!(
                !res.body.contains(password),
                "{field}={value}: the password came back"
            );
            assert_eq!(
                app.count("SELECT COUNT(*) AS n FROM users"),
                0,
                "{field}={value}"
            );
            assert_eq!(
                app.count("SELECT COUNT(*) AS n FROM locations"),
                0,
                "{field}={value}"
            );
        }
        // A mistake does not burn the link.
        assert_eq!(client.get(&path).status, 200);
        let done = client.post_form(&path, &setup_fields(&page_token(&app), &[]));
        assert_eq!(done.status, 303, "{}", done.body);
    }
);

/// An owner added from the shell ends the setup link the server printed, and a
/// restarted server prints none.
#[test]
fn owner_from_cli_ends_the_setup_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    let start = || {
        TestApp::builder(Backend::Sqlite)
            .env("TELLUS_DATA_DIR", dir.path().display())
            .start()
    };
    let app = start();
    let path = setup_path(
        app.setup_link
            .as_deref()
            .expect("setup link on an empty database"),
    );
    let client = app.client();
    assert_eq!(client.get(&path).status, 200);

    let out = cli.add_user(
        "olga@shop.example",
        "Olga",
        "owner",
        &format!("{OWNER_PASSWORD}\n"),
    );
    out.assert_success();
    assert_eq!(
        client.get(&path).status,
        410,
        "the printed link still works after an owner was added"
    );
    drop(app);
    // The stopped app's connections close on their own threads; the last one
    // checkpoints under an exclusive lock and removes the WAL file. Starting
    // again before that trips over the lock (see
    // `cli_waits_for_a_briefly_locked_database`), so wait for it.
    let wal = dir.path().join("tellus.db-wal");
    let deadline = Instant::now() + Duration::from_secs(10);
    while wal.exists() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }

    let app = start();
    assert_eq!(
        app.setup_link, None,
        "a restart with an owner printed a setup link"
    );
    assert_eq!(app.client().get(&path).status, 410);
    // The owner made on the command line logs in to the restarted server.
    let res = app.client().log_in("olga@shop.example", OWNER_PASSWORD);
    assert_eq!(res.status, 303, "{}", res.body);
}

/// Adding a staff member from the shell before setup leaves the printed setup link working.
#[test]
fn staff_from_cli_keeps_the_setup_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    let app = TestApp::builder(Backend::Sqlite)
        .env("TELLUS_DATA_DIR", dir.path().display())
        .start();
    let path = setup_path(
        app.setup_link
            .as_deref()
            .expect("setup link on an empty database"),
    );
    let out = cli.add_user(
        "sam@shop.example",
        "Sam",
        "staff",
        "a long staff password\n",
    );
    out.assert_success();
    let client = app.client();
    assert_eq!(
        client.get(&path).status,
        200,
        "adding a staff member killed the setup link the server printed"
    );
    let done = client.post_form(&path, &setup_fields(&page_token(&app), &[]));
    assert_eq!(done.status, 303, "{}", done.body);
}

// ---------------------------------------------------------------------------
// The binary.
// ---------------------------------------------------------------------------

both!(cli_commands_and_serve, |backend| {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(pg::database_url().expect("PostgreSQL available")),
    };
    let cli = Tellus::new(dir.path(), database_url);

    let out = cli.run(&["migrate"], "");
    out.assert_success();
    assert!(out.stdout.contains("migrations applied"), "{out:?}");

    let out = cli.add_location("main-street", "Main Street");
    out.assert_success();
    assert!(out.stdout.contains("/f/main-street"), "{out:?}");
    let out = cli.run(&["location", "list"], "");
    out.assert_success();
    assert!(
        out.stdout.contains("main-street\tactive\tMain Street"),
        "{out:?}"
    );

    let out = cli.add_location("main-street", "Again");
    assert!(
        !out.status.success(),
        "a duplicate slug was accepted: {out:?}"
    );
    assert!(
        out.stderr.contains("already in use"),
        "unclear message: {out:?}"
    );
    let out = cli.run(&["location", "add", "--slug", "A B", "--name", "Bad"], "");
    assert!(!out.status.success(), "a bad slug was accepted: {out:?}");
    assert!(out.stderr.contains("lowercase"), "unclear message: {out:?}");
    let out = cli.run(&["location", "list"], "");
    assert_eq!(out.stdout.lines().count(), 1, "{out:?}");

    // Brussels: French first, and Dutch; an unknown language is refused.
    let out = cli.run(
        &[
            "location",
            "add",
            "--slug",
            "brussel",
            "--name",
            "Bruxelles",
            "--languages",
            "fr, NL",
        ],
        "",
    );
    out.assert_success();
    assert!(out.stdout.contains("(fr,nl)"), "{out:?}");
    let out = cli.run(
        &[
            "location",
            "add",
            "--slug",
            "eupen",
            "--name",
            "Eupen",
            "--languages",
            "de,xx",
        ],
        "",
    );
    assert!(!out.status.success(), "an unknown language was accepted");
    assert!(out.stderr.contains("unknown language \"xx\""), "{out:?}");
    let out = cli.run(&["location", "list"], "");
    assert!(
        out.stdout.contains("brussel\tactive\tBruxelles\tfr,nl"),
        "{out:?}"
    );
    assert_eq!(
        out.stdout.lines().count(),
        2,
        "nothing stored for eupen: {out:?}"
    );

    // Password on stdin: used as given, never echoed.
    let out = cli.add_user(
        "e@x.example",
        "Erin Owner",
        "owner",
        &format!("{OWNER_PASSWORD}\n"),
    );
    out.assert_success();
    assert!(out.stdout.contains("e@x.example"), "{out:?}");
    assert!(
        !out.stdout.contains(OWNER_PASSWORD) && !out.stderr.contains(OWNER_PASSWORD),
        "{out:?}"
    );

    // Nothing on stdin: a password is generated and shown once.
    let out = cli.add_user("s@x.example", "Sam Staff", "staff", "");
    out.assert_success();
    let marker = "password (shown once): ";
    assert_eq!(out.stdout.matches(marker).count(), 1, "{out:?}");
    let generated = out
        .stdout
        .split(marker)
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .expect("password");
    let generated = generated.trim().to_owned();
    assert!(
        generated.len() >= 10,
        "weak generated password: {generated:?}"
    );

    let out = cli.add_user("e@x.example", "Twice", "staff", "another long password\n");
    assert!(
        !out.status.success(),
        "a taken address was accepted: {out:?}"
    );
    assert!(out.stderr.contains("already has an account"), "{out:?}");
    let out = cli.add_user("t@x.example", "Tim", "staff", "short\n");
    assert!(
        !out.status.success(),
        "a short password was accepted: {out:?}"
    );
    assert!(out.stderr.contains("at least 10"), "{out:?}");

    // The server on the same database: both passwords work, a wrong one does not.
    let mut server = cli.serve(&[]);
    server.wait_healthy(Duration::from_secs(30));
    let running = server.wait_line("Tellus is running", Duration::from_secs(10));
    assert!(
        running.is_some(),
        "no start message; stdout: {:?}",
        server.stdout_seen
    );
    let http = Http::new(&server.base);
    assert_eq!(http.get("/healthz").0, 200);
    assert_eq!(http.get("/f/main-street").0, 200);
    assert_eq!(
        http.login("e@x.example", OWNER_PASSWORD),
        303,
        "piped password"
    );
    assert_eq!(
        http.login("s@x.example", &generated),
        303,
        "generated password"
    );
    assert_eq!(http.login("s@x.example", "not the password"), 401);
    if backend == Backend::Sqlite {
        // A second server on the same SQLite file is refused at once.
        let out = cli.run_with(&["serve"], "", &[("TELLUS_BIND", "127.0.0.1:0")]);
        assert!(!out.status.success(), "a second server started: {out:?}");
        assert!(
            out.stderr.contains("already serving"),
            "unclear message: {out:?}"
        );
        assert_eq!(http.get("/healthz").0, 200, "the first one serves on");
    }
    server.stop();
    let stdout = server.stdout_seen.join("\n");
    assert!(
        !stdout.contains("/setup/"),
        "setup link printed although an owner exists: {stdout}"
    );
});

both!(serve_prints_a_working_setup_link, |backend| {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(pg::database_url().expect("PostgreSQL available")),
    };
    let cli = Tellus::new(dir.path(), database_url);
    let mut server = cli.serve(&[("TELLUS_LOG", "info")]);
    let line = server.wait_line("/setup/", Duration::from_secs(30));
    let line = line.unwrap_or_else(|| {
        panic!(
            "no setup link printed; stdout {:?}, stderr {}",
            server.stdout_seen,
            server.stderr()
        )
    });
    let link = line
        .split_whitespace()
        .find(|w| w.contains("/setup/"))
        .expect("link in line");
    assert!(
        link.starts_with(&server.base),
        "link {link} is not on {}",
        server.base
    );
    server.wait_healthy(Duration::from_secs(30));
    let http = Http::new(&server.base);
    assert_eq!(http.get("/healthz").0, 200);
    // The printed address opens the setup form.
    let (status, body) = http.get(link);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("name=\"location_name\""), "{body}");
    // The log goes to a pipe here, as to a file or a journal: plain text,
    // no colour codes.
    let log = server.stderr();
    assert!(log.contains("INFO"), "{log}");
    assert!(!log.contains('\u{1b}'), "colour codes in the log: {log:?}");
});

#[test]
fn serve_refuses_bad_settings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    let cases = [
        ("TELLUS_BASE_URL", "http://shop.example"),
        ("TELLUS_BIND", "not-an-address"),
        ("TELLUS_SECRET_KEY", "too-short"),
    ];
    for (name, value) in cases {
        let out = cli.run_with(&["serve"], "", &[(name, value)]);
        assert_eq!(out.status.code(), Some(2), "{name}={value}: {out:?}");
        assert!(
            out.stderr.contains(name),
            "{name}={value}: message does not name it: {out:?}"
        );
    }
    // Nothing was started or created on the way out.
    assert!(
        !dir.path().join("tellus.db").exists(),
        "a refused start created the database"
    );
}

/// A command run while the database is locked for a moment (as it is while a
/// stopping server checkpoints its last connection) waits for the lock, as the
/// app's 10 s busy timeout promises, instead of failing with "database is locked".
#[test]
fn cli_waits_for_a_briefly_locked_database() {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, RunQueryDsl, SqliteConnection};

    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    cli.run(&["location", "add", "--slug", "shop", "--name", "Shop"], "")
        .assert_success();
    let path = dir.path().join("tellus.db").to_string_lossy().into_owned();
    let (locked, is_locked) = mpsc::channel();
    let holder = thread::spawn(move || {
        let mut conn = SqliteConnection::establish(&path).expect("open the database");
        conn.batch_execute("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .expect("lock the database");
        diesel::sql_query("SELECT 1 FROM locations")
            .execute(&mut conn)
            .expect("read under the lock");
        locked.send(()).expect("test waits");
        thread::sleep(Duration::from_millis(1500));
        // The lock goes when the connection closes, at the end of this thread.
        conn.batch_execute("COMMIT;").expect("commit");
    });
    is_locked
        .recv_timeout(Duration::from_secs(10))
        .expect("database locked");
    let out = cli.run(&["location", "list"], "");
    holder.join().expect("lock holder");
    out.assert_success();
    assert!(out.stdout.contains("shop"), "{out:?}");
}
