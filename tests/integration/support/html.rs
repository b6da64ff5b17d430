//! Reading the app's HTML the way a browser would: attributes unescaped,
//! hidden fields, inputs, ticked boxes and text areas, so tests check what a
//! customer or staff member actually sees in a form.

use std::collections::HashMap;

/// Undoes maud's attribute escaping.
pub fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of the hidden input named `name` in `page`.
pub fn hidden(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')? + start;
    Some(html_unescape(&page[start..end]))
}

/// The attributes of one HTML tag, unescaped; a bare attribute maps to "".
pub type Attrs = HashMap<String, String>;

/// Every `<tag ...>` on a page, as attribute maps, in page order.
pub fn tags(body: &str, tag: &str) -> Vec<Attrs> {
    let open = format!("<{tag}");
    let mut found = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let end = after.find('>').unwrap_or(after.len());
        if after.starts_with([' ', '>', '/']) {
            found.push(attributes(&after[..end]));
        }
        rest = &after[end..];
    }
    found
}

/// Parses `a="b" c d="e"` (maud quotes every value and escapes `"` and `>`).
fn attributes(inside: &str) -> Attrs {
    let mut attrs = Attrs::new();
    let mut rest = inside.trim().trim_end_matches('/');
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_owned();
        rest = &rest[name_end..];
        let mut value = String::new();
        if let Some(after_eq) = rest.strip_prefix("=\"") {
            let close = after_eq.find('"').unwrap_or(after_eq.len());
            value = html_unescape(&after_eq[..close]);
            rest = after_eq.get(close + 1..).unwrap_or("");
        }
        if !name.is_empty() {
            attrs.insert(name, value);
        }
        rest = rest.trim_start();
    }
    attrs
}

/// The `<input>`s named `name`.
pub fn inputs_named(body: &str, name: &str) -> Vec<Attrs> {
    tags(body, "input")
        .into_iter()
        .filter(|a| a.get("name").map(String::as_str) == Some(name))
        .collect()
}

/// The value of the one `<input>` named `name`.
pub fn input_value(body: &str, name: &str) -> Option<String> {
    inputs_named(body, name)
        .first()
        .and_then(|a| a.get("value").cloned())
}

/// Whether the radio or checkbox `name` with `value` is ticked.
pub fn is_checked(body: &str, name: &str, value: &str) -> bool {
    inputs_named(body, name)
        .iter()
        .any(|a| a.get("value").map(String::as_str) == Some(value) && a.contains_key("checked"))
}

/// The text inside `<textarea name="name">`, unescaped.
pub fn textarea(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let mut rest = body;
    while let Some(start) = rest.find("<textarea") {
        let after = &rest[start..];
        let open_end = after.find('>')?;
        if after[..open_end].contains(&marker) {
            let content = &after[open_end + 1..];
            let close = content.find("</textarea>")?;
            return Some(html_unescape(&content[..close]));
        }
        rest = &after[open_end..];
    }
    None
}
