//! Review links: where customers can tell others ("Google", "Tripadvisor"). The
//! same links are shown to every customer, whatever face they chose.

use super::FieldError;
use crate::db::schema::review_links;
use crate::db::DbConnection;
use crate::error::AppResult;
use diesel::prelude::*;

/// A place to leave a public review.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = review_links)]
pub struct ReviewLink {
    /// Internal id.
    pub id: i64,
    /// What customers see, e.g. "Google".
    pub label: String,
    /// An http or https address.
    pub url: String,
    /// Order on the page.
    pub position: i32,
}

/// Whether a user-given address is safe to put in an `href`: http or https only,
/// with a host, and no spaces or control characters.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/'))
        && url.len() <= 2000
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}

/// Every review link, in order.
pub fn list(conn: &mut DbConnection) -> AppResult<Vec<ReviewLink>> {
    Ok(review_links::table
        .order((review_links::position.asc(), review_links::id.asc()))
        .select(ReviewLink::as_select())
        .load(conn)?)
}

/// Adds a link at the end after checking it.
pub fn add(conn: &mut DbConnection, label: &str, url: &str) -> AppResult<Result<(), FieldError>> {
    let (label, url) = (label.trim(), url.trim());
    if label.is_empty() || label.chars().count() > 60 {
        return Ok(Err(FieldError::new("label", "error-review-label")));
    }
    if !is_safe_url(url) {
        return Ok(Err(FieldError::new("url", "error-review-url")));
    }
    let last: Option<i32> = review_links::table
        .select(diesel::dsl::max(review_links::position))
        .first(conn)?;
    diesel::insert_into(review_links::table)
        .values((
            review_links::label.eq(label),
            review_links::url.eq(url),
            review_links::position.eq(last.unwrap_or(0) + 1),
        ))
        .execute(conn)?;
    Ok(Ok(()))
}

/// Removes a link.
pub fn remove(conn: &mut DbConnection, id: i64) -> AppResult<()> {
    diesel::delete(review_links::table.find(id)).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_safe_url;

    #[test]
    fn only_web_addresses() {
        assert!(is_safe_url("https://g.page/r/abc"));
        assert!(is_safe_url("http://example.com"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url("JaVaScRiPt:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("https://"));
        assert!(!is_safe_url("https:///x"));
        assert!(!is_safe_url("https://x\" onmouseover=\"y"));
    }
}
