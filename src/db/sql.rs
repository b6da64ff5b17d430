//! Hand-written SQL for the one place the query builder cannot shape well:
//! the staff inbox at a million tickets, where the index that walks the rows
//! in the wanted order must be chosen on purpose, and full-text search.
//!
//! Every backend-specific piece of that SQL lives here: placeholders, the
//! SQLite index hint, and the full-text match (SQLite FTS5 `ticket_search`,
//! PostgreSQL `tsvector` with a GIN index; both kept in step by triggers, see
//! the `inbox_search` migration).

use super::{Backend, DbConnection};
use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, SmallInt, Text, Timestamp};
use diesel::sqlite::Sqlite;
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

/// A value bound to a placeholder.
#[derive(Debug, Clone)]
pub enum Value {
    /// A `BigInt`.
    Int(i64),
    /// A `SmallInt`.
    Small(i16),
    /// A `Text`.
    Text(String),
    /// A naive UTC `Timestamp`.
    Time(NaiveDateTime),
}

/// SQL text with its bound values, written once for both backends.
#[derive(Debug, Clone)]
pub struct Sql {
    backend: Backend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    /// Empty SQL for the backend `conn` talks to.
    pub fn for_connection(conn: &DbConnection) -> Sql {
        let backend = match conn {
            DbConnection::Sqlite(_) => Backend::Sqlite,
            DbConnection::Pg(_) => Backend::Postgres,
        };
        Sql {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    /// Appends SQL text (never user data: that goes through `bind`).
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: Value) -> &mut Sql {
        self.values.push(value);
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.values.len().to_string());
            }
        }
        self
    }

    /// `FROM tickets t`, walking `index` on SQLite. Without statistics SQLite
    /// may prefer an index with more equality columns (say location and spot)
    /// and then scan far more rows than the one that already yields the
    /// wanted order; PostgreSQL's planner has statistics and chooses itself.
    pub fn from_tickets(&mut self, index: &str) -> &mut Sql {
        match self.backend {
            Backend::Sqlite => self.push(" FROM tickets t INDEXED BY ").push(index),
            Backend::Postgres => self.push(" FROM tickets t"),
        }
    }

    /// `FROM` the full-text index joined to `tickets t`, `WHERE` the ticket
    /// holds every one of `words` (lowercase letters and digits only).
    pub fn from_search(&mut self, words: &[String]) -> &mut Sql {
        match self.backend {
            Backend::Sqlite => {
                // Each word quoted: FTS5 reads nothing in it as an operator.
                let query: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                self.push(
                    " FROM ticket_search JOIN tickets t ON t.id = ticket_search.rowid \
                     WHERE ticket_search MATCH ",
                )
                .bind(Value::Text(query.join(" ")))
            }
            Backend::Postgres => self
                .push(
                    " FROM ticket_search s JOIN tickets t ON t.id = s.ticket_id \
                     WHERE s.document @@ plainto_tsquery('simple', ",
                )
                .bind(Value::Text(words.join(" ")))
                .push(")"),
        }
    }

    /// The ticket id column of the full-text index, in the order it is read.
    pub fn search_id(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "ticket_search.rowid",
            Backend::Postgres => "s.ticket_id",
        }
    }

    /// The SQL text as it will be sent (for query plans in tests and benchmarks).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The query plan, one line per step: SQLite's `EXPLAIN QUERY PLAN`;
    /// PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS)`, which runs the query.
    pub fn explain(&self, conn: &mut DbConnection) -> QueryResult<Vec<String>> {
        let mut explained = self.clone();
        explained.text = match self.backend {
            Backend::Sqlite => format!("EXPLAIN QUERY PLAN {}", self.text),
            Backend::Postgres => format!("EXPLAIN (ANALYZE, BUFFERS) {}", self.text),
        };
        Ok(match self.backend {
            Backend::Sqlite => explained
                .load::<SqlitePlanLine>(conn)?
                .into_iter()
                .map(|l| l.detail)
                .collect(),
            Backend::Postgres => explained
                .load::<PgPlanLine>(conn)?
                .into_iter()
                .map(|l| l.line)
                .collect(),
        })
    }

    /// Runs the query and reads its rows.
    pub fn load<T>(self, conn: &mut DbConnection) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
    {
        let Sql { text, values, .. } = self;
        let query = diesel::sql_query(text);
        match conn {
            DbConnection::Sqlite(c) => bind_all(query.into_boxed(), values).load(c),
            DbConnection::Pg(c) => bind_all(query.into_boxed(), values).load(c),
        }
    }
}

/// Binds the values in order, the same way for either database.
fn bind_all<DB>(
    mut query: BoxedSqlQuery<'static, DB, SqlQuery>,
    values: Vec<Value>,
) -> BoxedSqlQuery<'static, DB, SqlQuery>
where
    DB: diesel::backend::Backend
        + HasSqlType<BigInt>
        + HasSqlType<SmallInt>
        + HasSqlType<Text>
        + HasSqlType<Timestamp>,
    i64: ToSql<BigInt, DB>,
    i16: ToSql<SmallInt, DB>,
    String: ToSql<Text, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    for value in values {
        query = match value {
            Value::Int(v) => query.bind::<BigInt, _>(v),
            Value::Small(v) => query.bind::<SmallInt, _>(v),
            Value::Text(v) => query.bind::<Text, _>(v),
            Value::Time(v) => query.bind::<Timestamp, _>(v),
        };
    }
    query
}

/// A line of SQLite's `EXPLAIN QUERY PLAN`.
#[derive(QueryableByName)]
struct SqlitePlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// A line of PostgreSQL's `EXPLAIN`.
#[derive(QueryableByName)]
struct PgPlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}
