//! Embedded migrations, one folder per backend with identical names and meaning.

use super::DbConnection;
use crate::error::{AppError, AppResult};
use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Applies every pending migration; returns how many ran.
///
/// SQLite cannot alter a constraint, so a migration may rebuild a table
/// (create, copy, drop, rename). As SQLite's documentation prescribes,
/// foreign keys are off while migrations run (the pragma cannot change inside
/// their transactions) and `foreign_key_check` must come back empty before
/// they are turned on again.
pub fn run(conn: &mut DbConnection) -> AppResult<usize> {
    let failed = |e: &dyn std::fmt::Display| AppError::internal(format!("migrations failed: {e}"));
    match conn {
        DbConnection::Sqlite(c) => {
            c.batch_execute("PRAGMA foreign_keys = OFF;")
                .map_err(|e| failed(&e))?;
            let applied = c.run_pending_migrations(SQLITE).map(|v| v.len());
            let broken = diesel::sql_query("PRAGMA foreign_key_check")
                .load::<ForeignKeyProblem>(c)
                .map_err(|e| failed(&e))?;
            c.batch_execute("PRAGMA foreign_keys = ON;")
                .map_err(|e| failed(&e))?;
            if let Some(problem) = broken.first() {
                return Err(failed(&format!(
                    "{} rows break foreign keys, first in table {}",
                    broken.len(),
                    problem.table
                )));
            }
            applied.map_err(|e| failed(&e))
        }
        DbConnection::Pg(c) => c
            .run_pending_migrations(POSTGRES)
            .map(|v| v.len())
            .map_err(|e| failed(&e)),
    }
}

/// A row of SQLite's `PRAGMA foreign_key_check`.
#[derive(diesel::QueryableByName)]
struct ForeignKeyProblem {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table: String,
}
