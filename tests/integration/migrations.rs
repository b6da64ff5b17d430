//! The database schema: the SQLite and PostgreSQL migrations stay in step
//! (same folders, same tables, each with up.sql and down.sql), reverting them
//! all and applying them again leaves a working app, and every connection the
//! app uses has the durability settings it promises (SQLite WAL with
//! `synchronous=FULL` and foreign keys; PostgreSQL `synchronous_commit=on`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::both;
use crate::support::TestApp;
use tellus::config::DatabaseUrl;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

fn migrations_dir(backend: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend)
}

/// The migration folder names of one backend, sorted.
fn folders(backend: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(migrations_dir(backend))
        .unwrap_or_else(|e| panic!("migrations/{backend}: {e}"))
        .map(|entry| entry.expect("dir entry"))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Table names after `keyword` (`CREATE TABLE`, `DROP TABLE`) in an SQL file, lowercased.
fn tables(sql: &str, keyword: &str) -> BTreeSet<String> {
    let lower = sql.to_lowercase();
    let keyword = keyword.to_lowercase();
    lower
        .match_indices(&keyword)
        .filter_map(|(at, _)| {
            let rest = lower[at + keyword.len()..].trim_start();
            let rest = rest
                .strip_prefix("if not exists")
                .or_else(|| rest.strip_prefix("if exists"))
                .unwrap_or(rest);
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '"')
                .filter(|c| *c != '"')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_match() {
    let sqlite = folders("sqlite");
    let postgres = folders("postgres");
    assert!(!sqlite.is_empty(), "no SQLite migrations");
    assert_eq!(
        sqlite, postgres,
        "migration folders differ between the backends"
    );
    for name in &sqlite {
        let mut created = Vec::new();
        for backend in ["sqlite", "postgres"] {
            let dir = migrations_dir(backend).join(name);
            let read = |file: &str| {
                let text = std::fs::read_to_string(dir.join(file))
                    .unwrap_or_else(|e| panic!("migrations/{backend}/{name}/{file}: {e}"));
                assert!(
                    !text.trim().is_empty(),
                    "migrations/{backend}/{name}/{file} is empty"
                );
                text
            };
            let (up, down) = (read("up.sql"), read("down.sql"));
            let up_tables = created_by(&up);
            let down_tables = dropped_by(&down);
            assert_eq!(
                up_tables, down_tables,
                "migrations/{backend}/{name}: down.sql does not drop exactly the tables up.sql creates"
            );
            created.push(up_tables);
        }
        assert_eq!(
            created[0], created[1],
            "{name}: the backends create different tables"
        );
    }
}

/// Tables renamed in an SQL file: (from, to).
fn renames(sql: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let from = tables(sql, "alter table")
        .into_iter()
        .filter(|t| {
            sql.to_lowercase()
                .contains(&format!("alter table {t} rename to "))
        })
        .collect();
    let to = tables(sql, "rename to");
    (from, to)
}

/// Tables an SQL file leaves behind that were not there before; a rebuild
/// (create `t_new`, drop `t`, rename `t_new` to `t`) creates nothing new.
fn created_by(sql: &str) -> BTreeSet<String> {
    let (from, _) = renames(sql);
    // SQLite's full-text tables are `CREATE VIRTUAL TABLE`.
    let created = &tables(sql, "create table") | &tables(sql, "create virtual table");
    &created - &from
}

/// Tables an SQL file removes for good; a rebuild removes nothing.
fn dropped_by(sql: &str) -> BTreeSet<String> {
    let (_, to) = renames(sql);
    &tables(sql, "drop table") - &to
}

/// A row of SQLite's `PRAGMA foreign_key_check`.
#[derive(diesel::QueryableByName)]
struct ForeignKeyProblem {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[expect(dead_code, reason = "only the number of rows matters")]
    table: String,
}

/// User tables in the database (without diesel's bookkeeping).
#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

fn names(rows: Vec<Name>) -> BTreeSet<String> {
    rows.into_iter()
        .map(|r| r.name)
        .filter(|n| n != "__diesel_schema_migrations")
        .collect()
}

/// Reverts every migration and applies them again on a separate connection.
/// Returns (reverted, tables left after the revert, re-applied).
fn redo(url: &DatabaseUrl) -> (usize, BTreeSet<String>, usize) {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let mut c = SqliteConnection::establish(&path.to_string_lossy()).expect("open SQLite");
            // As the app's migration runner does: table rebuilds need foreign
            // keys off, and they are checked afterwards.
            c.batch_execute("PRAGMA foreign_keys = OFF; PRAGMA busy_timeout = 10000;")
                .expect("pragmas");
            let reverted = c.revert_all_migrations(SQLITE).expect("revert all").len();
            let left = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .load::<Name>(&mut c)
            .expect("list tables");
            let applied = c.run_pending_migrations(SQLITE).expect("apply again").len();
            let broken = diesel::sql_query("PRAGMA foreign_key_check")
                .load::<ForeignKeyProblem>(&mut c)
                .expect("foreign key check")
                .len();
            assert_eq!(broken, 0, "foreign keys broken after the redo");
            (reverted, names(left), applied)
        }
        DatabaseUrl::Postgres(url) => {
            let mut c = PgConnection::establish(url).expect("open PostgreSQL");
            // Never hang on a lock an app connection holds.
            c.batch_execute("SET lock_timeout = '20s';")
                .expect("lock timeout");
            let reverted = c.revert_all_migrations(POSTGRES).expect("revert all").len();
            let left = diesel::sql_query(
                "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema()",
            )
            .load::<Name>(&mut c)
            .expect("list tables");
            let applied = c
                .run_pending_migrations(POSTGRES)
                .expect("apply again")
                .len();
            (reverted, names(left), applied)
        }
    }
}

both!(down_then_up_leaves_a_working_app, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    // Data in the tables, so down.sql has to drop them in a workable order.
    let thanks = app.complain(1).by(&client).message("Cold coffee").send();
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let migrations = folders("sqlite").len();

    let (reverted, left, applied) = redo(&app.state.config.database_url);
    assert_eq!(reverted, migrations, "not every migration was reverted");
    assert!(
        left.is_empty(),
        "tables left after reverting everything: {left:?}"
    );
    assert_eq!(applied, migrations, "not every migration was applied again");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM categories"),
        6,
        "seed categories are back"
    );

    // The re-created schema takes the usual work.
    app.add_location("after", "Na de migratie");
    app.add_user(
        "owner@shop.example",
        "Olga Owner",
        tellus::domain::user::Role::Owner,
    );
    let form = client.get("/f/after");
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("Na de migratie"));
    let thanks = app
        .complain(2)
        .at("after")
        .by(&client)
        .category("service")
        .message("Slow")
        .send();
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let reference = thanks.reference().expect("reference");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM feedback WHERE reference = '{reference}'"
        )),
        1
    );
    let staff = app.login("owner@shop.example");
    assert_eq!(staff.get("/staff/inbox").status, 200);
});

/// One text value from the database.
#[derive(diesel::QueryableByName)]
struct Value {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

fn value(c: &mut tellus::db::DbConnection, sql: &str) -> String {
    diesel::sql_query(sql)
        .get_result::<Value>(c)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .v
        .to_lowercase()
}

/// Checks `checks` on `depth` pooled connections held at the same time.
fn check_held(app: &TestApp, depth: usize, checks: &[(&str, &str)]) {
    if depth == 0 {
        return;
    }
    app.read(|c| {
        for &(sql, want) in checks {
            assert_eq!(value(c, sql), want, "pooled connection {depth}: {sql}");
        }
        check_held(app, depth - 1, checks);
        Ok(())
    });
}

both!(durability_settings_on_every_connection, |backend| {
    let app = TestApp::start(backend);
    let checks: &'static [(&'static str, &'static str)] = match backend {
        crate::support::Backend::Sqlite => &[
            ("SELECT journal_mode AS v FROM pragma_journal_mode", "wal"),
            (
                "SELECT CAST(synchronous AS TEXT) AS v FROM pragma_synchronous",
                "2",
            ),
            (
                "SELECT CAST(foreign_keys AS TEXT) AS v FROM pragma_foreign_keys",
                "1",
            ),
        ],
        // The test cluster runs with synchronous_commit=off: the app must switch it on.
        crate::support::Backend::Postgres => {
            &[("SELECT current_setting('synchronous_commit') AS v", "on")]
        }
    };
    for &(sql, want) in checks {
        // A pooled read connection…
        let got = app.read(move |c| Ok(value(c, sql)));
        assert_eq!(got, want, "read connection: {sql}");
        // …and the writer's connection, which stores every change.
        let got = app.write(move |c| Ok(value(c, sql)));
        assert_eq!(got, want, "writer connection: {sql}");
    }
    // Several pooled connections held at once, not just the first one.
    check_held(&app, 4, checks);
});
