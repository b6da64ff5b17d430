//! Languages and the message catalogue. Every string a user reads comes from
//! `locales/{nl,en}/*.ftl` (Fluent syntax, one file per area), embedded in the binary. Dutch is the
//! default; a test checks that both catalogues hold the same keys.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A language Tellus speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Dutch, the default.
    Nl,
    /// English.
    En,
}

impl Lang {
    /// All languages, default first.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The language code used in URLs, forms, `lang` attributes and the database.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language for a code, if we speak it.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().get(..2) {
            Some("nl") => Some(Lang::Nl),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    /// The first language we speak in an `Accept-Language` header, by weight.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(tag) {
                if weight > 0.0 && best.is_none_or(|(w, _)| weight > w) {
                    best = Some((weight, lang));
                }
            }
        }
        best.map(|(_, lang)| lang)
    }

    /// The message `key` in this language.
    pub fn t(self, key: &str) -> Cow<'static, str> {
        catalogue().format(self, key, None)
    }

    /// The message `key` with named arguments filled in.
    pub fn t_with(self, key: &str, args: &[(&str, &str)]) -> Cow<'static, str> {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        catalogue().format(self, key, Some(&fluent_args))
    }
}

#[derive(rust_embed::RustEmbed)]
#[folder = "locales/"]
struct Locales;

/// The source text of a language's catalogue: every `locales/<lang>/*.ftl`
/// file, in name order.
pub fn source(lang: Lang) -> String {
    let prefix = format!("{}/", lang.code());
    let mut names: Vec<_> = Locales::iter()
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".ftl"))
        .collect();
    names.sort();
    let mut text = String::new();
    for name in names {
        if let Some(file) = Locales::get(&name) {
            text.push_str(&String::from_utf8_lossy(&file.data));
            text.push('\n');
        }
    }
    text
}

/// Both catalogues, parsed once.
pub struct Catalogue {
    nl: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    // The catalogues are part of the binary and parsed by a test; a syntax error
    // is a build defect, so failing loudly at first use is right.
    let resource = FluentResource::try_new(source(lang))
        .unwrap_or_else(|(_, errors)| panic!("{} catalogue has errors: {errors:?}", lang.code()));
    let id = lang
        .code()
        .parse()
        .unwrap_or_else(|_| unreachable!("nl and en are valid language ids"));
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks: our texts also go into plain-text email.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{} catalogue has duplicates: {errors:?}", lang.code()));
    bundle
}

/// The catalogue, loaded at first use.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue {
        nl: bundle(Lang::Nl),
        en: bundle(Lang::En),
    })
}

impl Catalogue {
    fn format(
        &'static self,
        lang: Lang,
        key: &str,
        args: Option<&FluentArgs>,
    ) -> Cow<'static, str> {
        let bundle = match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = lang.code(), "missing message");
            return Cow::Owned(key.to_owned());
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "message formatting failed");
        }
        text
    }
}

/// Message keys defined in a catalogue source, in order.
pub fn keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|line| !line.starts_with(['#', ' ', '\t']))
        .filter_map(|line| line.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let nl = keys(&source(Lang::Nl));
        let en = keys(&source(Lang::En));
        let missing_in_nl: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
        let missing_in_en: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        assert!(
            missing_in_nl.is_empty(),
            "missing in locales/nl: {missing_in_nl:?}"
        );
        assert!(
            missing_in_en.is_empty(),
            "missing in locales/en: {missing_in_en:?}"
        );
        assert!(nl.len() > 50);
    }

    #[test]
    fn every_key_formats_in_both_languages() {
        for lang in Lang::ALL {
            for key in keys(&source(lang)) {
                assert_ne!(lang.t(&key), key, "{key} in {}", lang.code());
            }
        }
    }

    /// Every literal key the code asks for exists, so no page shows a bare key.
    #[test]
    fn every_key_the_code_uses_exists() {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut sources = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut sources,
        );
        let known = keys(&source(Lang::En));
        let mut used = 0;
        for text in &sources {
            for marker in [".t(\"", ".t_with(\"", "FieldError::new(\"", "\"error-"] {
                for (at, _) in text.match_indices(marker) {
                    let rest = &text[at + marker.len()..];
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect();
                    let key = if marker == "\"error-" {
                        format!("error-{key}")
                    } else {
                        key
                    };
                    // FieldError::new("field", "key"): the key is the second literal.
                    if marker.starts_with("FieldError") {
                        continue;
                    }
                    if key.is_empty() || key.ends_with('-') {
                        continue;
                    }
                    used += 1;
                    assert!(
                        known.contains(&key),
                        "key {key} used in the code is missing from the catalogues"
                    );
                }
            }
        }
        assert!(used > 50, "only {used} keys found: the scan is broken");
    }

    #[test]
    fn arguments_and_accept_language() {
        assert_eq!(
            Lang::En.t_with("form-title", &[("shop", "Bakkerij <b>")]),
            "How was your visit to Bakkerij <b>?"
        );
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de,nl;q=0.5,en;q=0.4"),
            Some(Lang::Nl)
        );
        assert_eq!(Lang::from_accept_language("de, fr"), None);
    }
}
