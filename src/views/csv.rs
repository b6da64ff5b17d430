//! CSV downloads that are safe to open in a spreadsheet: RFC 4180 quoting,
//! and any cell a spreadsheet would read as a formula (starting with `=`,
//! `+`, `-`, `@`, a tab or a carriage return) neutralised with a leading `'`.
//! Owner-entered names (categories) end up in these files.

/// One cell, neutralised and quoted as needed.
pub fn cell(text: &str) -> String {
    let neutral = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if neutral.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// A whole file: a header row and data rows, lines ending in CRLF.
pub fn file(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = String>| {
        let cells: Vec<String> = cells.collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(&mut header.iter().map(|h| cell(h)));
    for row in rows {
        line(&mut row.iter().map(|c| cell(c)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quoting_follows_rfc_4180() {
        assert_eq!(cell("Service"), "Service");
        assert_eq!(cell("12"), "12");
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("+31 6"), "'+31 6");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(
            cell("=HYPERLINK(\"http://x\",\"a\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"a\"\")\""
        );
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("x=1"), "x=1");
        assert_eq!(
            file(&["name", "n"], &[vec!["=A".into(), "3".into()]]),
            "name,n\r\n'=A,3\r\n"
        );
    }
}
