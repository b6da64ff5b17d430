//! The reply fixtures under `tests/fixtures/replies/`: loading them as raw
//! mails and deciding whether an extracted reply is exactly right. See the
//! README there for the sources, their licences and the rules.

use std::path::Path;

/// One fixture: a raw mail and the reply text it should give.
pub struct Case {
    /// `github`, `talon/text`, `talon/eml`, `talon/html` or `own`.
    pub source: String,
    /// The file name without its extension.
    pub name: String,
    /// The mail as a mail server would hand it over.
    pub raw: Vec<u8>,
    /// The reply text expected.
    pub expected: String,
}

/// The fixture sets, in the order they are reported.
pub const SOURCES: [&str; 5] = ["github", "talon/text", "talon/eml", "talon/html", "own"];

/// Every fixture under `root`, each made into a raw mail to `address`: a
/// `.eml` is used as it is (a `Delivered-To` header names the address), a
/// `.txt` or `.html` body gets the headers of a plain or HTML-only mail.
pub fn load(root: &Path, address: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for source in SOURCES {
        let dir = root.join(source);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "eml" | "txt" | "html") {
                continue;
            }
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_owned();
            let Ok(expected) = std::fs::read_to_string(path.with_extension("expected")) else {
                continue;
            };
            let Ok(body) = std::fs::read(&path) else {
                continue;
            };
            let raw = match ext {
                "eml" => {
                    let mut raw = format!("Delivered-To: {address}\r\n").into_bytes();
                    raw.extend_from_slice(&body);
                    raw
                }
                kind => {
                    let subtype = if kind == "html" { "html" } else { "plain" };
                    let mut raw = format!(
                        "From: Customer <customer@example.org>\r\nTo: {address}\r\n\
                         Subject: Re: your feedback\r\nMessage-ID: <{name}@fixtures.example>\r\n\
                         MIME-Version: 1.0\r\nContent-Type: text/{subtype}; charset=utf-8\r\n\
                         Content-Transfer-Encoding: 8bit\r\n\r\n"
                    )
                    .into_bytes();
                    raw.extend_from_slice(&body);
                    raw
                }
            };
            cases.push(Case {
                source: source.to_owned(),
                name,
                raw,
                expected,
            });
        }
    }
    cases
}

/// The non-empty lines of a text, trailing spaces off (paragraph spacing is
/// layout, not content).
fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Whether `got` is exactly right for a case: the same non-empty lines, each
/// compared without its trailing spaces. For talon's HTML cases also right
/// when equal with all whitespace removed, as talon's own tests compare.
pub fn same(case: &Case, got: &str) -> bool {
    if lines(got) == lines(&case.expected) {
        return true;
    }
    if case.source == "talon/html" {
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        return squeeze(got) == squeeze(&case.expected);
    }
    false
}
