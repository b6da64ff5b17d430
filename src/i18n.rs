//! Languages and the message catalogue. Every string a user reads comes from
//! `locales/{nl,en,fr,de}/*.ftl` (Fluent syntax, one file per area), embedded
//! in the binary. Dutch is the default; tests check that every catalogue
//! holds the same keys with the same placeholders, and only keys the code
//! uses. Customers are addressed with `je` in Dutch, `vous` in French and
//! `Sie` in German.

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
    /// French.
    Fr,
    /// German.
    De,
}

impl Lang {
    /// All languages, default first.
    pub const ALL: [Lang; 4] = [Lang::Nl, Lang::En, Lang::Fr, Lang::De];

    /// The language code used in URLs, forms, `lang` attributes and the database.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::De => "de",
        }
    }

    /// The language's own name for itself, as a language choice shows it
    /// (never a flag: a flag is a country, and Belgium speaks three).
    pub fn name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::De => "Deutsch",
        }
    }

    /// Where this language sits in [`Lang::ALL`] (and in a [`Written`]).
    pub fn index(self) -> usize {
        match self {
            Lang::Nl => 0,
            Lang::En => 1,
            Lang::Fr => 2,
            Lang::De => 3,
        }
    }

    /// The language for a code, if we speak it.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().get(..2) {
            Some("nl") => Some(Lang::Nl),
            Some("en") => Some(Lang::En),
            Some("fr") => Some(Lang::Fr),
            Some("de") => Some(Lang::De),
            _ => None,
        }
    }

    /// Languages from a stored comma-separated list (`fr,nl`), in its
    /// order, without unknown or repeated ones.
    pub fn parse_list(list: &str) -> Vec<Lang> {
        let mut out = Vec::new();
        for lang in list.split(',').filter_map(Lang::from_code) {
            if !out.contains(&lang) {
                out.push(lang);
            }
        }
        out
    }

    /// A list as stored (`fr,nl`).
    pub fn list_code(langs: &[Lang]) -> String {
        langs.iter().map(|l| l.code()).collect::<Vec<_>>().join(",")
    }

    /// The first language we speak in an `Accept-Language` header, by weight.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        Lang::from_accept_language_among(header, &Lang::ALL)
    }

    /// The first of `offered` in an `Accept-Language` header, by weight.
    pub fn from_accept_language_among(header: &str, offered: &[Lang]) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(tag).filter(|l| offered.contains(l)) {
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

/// A text an owner writes once per language (a topic's name, a canned
/// answer, a gift's title), in [`Lang::ALL`] order; an empty one is not
/// written yet. `S` is `String` when owned, `&str` when borrowed from a row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written<S = String>(pub [S; 4]);

impl<S: AsRef<str>> Written<S> {
    /// The text as written in `lang`, empty when it is not.
    pub fn get(&self, lang: Lang) -> &str {
        self.0[lang.index()].as_ref()
    }

    /// Which language a reader of `lang` gets the text in: their own if it
    /// is written, else `fallback` (the location's default language), else
    /// the first written in [`Lang::ALL`] order; `lang` when none is.
    pub fn source_for(&self, lang: Lang, fallback: Lang) -> Lang {
        [lang, fallback]
            .into_iter()
            .chain(Lang::ALL)
            .find(|l| !self.get(*l).trim().is_empty())
            .unwrap_or(lang)
    }

    /// The text for a reader of `lang`, by [`Written::source_for`].
    pub fn for_reader(&self, lang: Lang, fallback: Lang) -> &str {
        self.get(self.source_for(lang, fallback))
    }

    /// Of `among` (the languages the locations offer), those not written.
    pub fn missing(&self, among: &[Lang]) -> Vec<Lang> {
        among
            .iter()
            .copied()
            .filter(|l| self.get(*l).trim().is_empty())
            .collect()
    }

    /// The same texts, borrowed.
    pub fn borrowed(&self) -> Written<&str> {
        Written(self.0.each_ref().map(AsRef::as_ref))
    }
}

impl<'a> Written<&'a str> {
    /// [`Written::for_reader`], for texts borrowed from a row: the text
    /// lives as long as the row, not as this view of it.
    pub fn pick(&self, lang: Lang, fallback: Lang) -> &'a str {
        self.0[self.source_for(lang, fallback).index()]
    }

    /// An owned copy.
    pub fn owned(&self) -> Written {
        Written(self.0.map(str::to_owned))
    }
}

impl From<(String, String, String, String)> for Written {
    fn from((nl, en, fr, de): (String, String, String, String)) -> Written {
        Written([nl, en, fr, de])
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

/// Every catalogue, parsed once, in [`Lang::ALL`]'s order.
pub struct Catalogue {
    bundles: Vec<FluentBundle<FluentResource>>,
    /// `TELLUS_TEXTS=longest`: every message in the longest of its four
    /// translations, whatever the language asked, so a browser run shows
    /// where a layout breaks with long words (see the README).
    longest: bool,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    // The catalogues are part of the binary and parsed by a test; a syntax error
    // is a build defect, so failing loudly at first use is right.
    let resource = FluentResource::try_new(source(lang))
        .unwrap_or_else(|(_, errors)| panic!("{} catalogue has errors: {errors:?}", lang.code()));
    let id = lang
        .code()
        .parse()
        .unwrap_or_else(|_| unreachable!("nl, en, fr and de are valid language ids"));
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
        bundles: Lang::ALL.into_iter().map(bundle).collect(),
        longest: std::env::var("TELLUS_TEXTS").is_ok_and(|v| v == "longest"),
    })
}

impl Catalogue {
    fn format(
        &'static self,
        lang: Lang,
        key: &str,
        args: Option<&FluentArgs>,
    ) -> Cow<'static, str> {
        if self.longest {
            return Lang::ALL
                .into_iter()
                .map(|l| self.format_in(l, key, args))
                .max_by_key(|text| text.chars().count())
                .unwrap_or(Cow::Borrowed(""));
        }
        self.format_in(lang, key, args)
    }

    fn format_in(
        &'static self,
        lang: Lang,
        key: &str,
        args: Option<&FluentArgs>,
    ) -> Cow<'static, str> {
        let bundle = &self.bundles[lang.index()];
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

    /// Each message's text (value, attributes and continuation lines), by key.
    fn messages(source: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for line in source.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if line.starts_with([' ', '\t']) {
                if let Some((_, text)) = out.last_mut() {
                    text.push('\n');
                    text.push_str(line);
                }
            } else if let Some((key, value)) = line
                .split_once(" = ")
                .or_else(|| line.strip_suffix(" =").map(|k| (k, "")))
            {
                out.push((key.trim().to_owned(), value.to_owned()));
            }
        }
        out
    }

    /// The `{ $name }` variables and the select variant keys (`[one]`) of a
    /// message, sorted.
    fn shape(text: &str) -> (Vec<String>, Vec<String>) {
        let mut vars: Vec<String> = text
            .match_indices('$')
            .map(|(at, _)| {
                text[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect()
            })
            .collect();
        vars.sort();
        vars.dedup();
        let mut variants: Vec<String> = text
            .lines()
            .filter_map(|l| {
                let l = l.trim_start().trim_start_matches('*');
                let rest = l.strip_prefix('[')?;
                Some(rest.split(']').next()?.to_owned())
            })
            .collect();
        variants.sort();
        (vars, variants)
    }

    #[test]
    fn every_catalogue_has_the_same_keys_and_placeholders() {
        let en = messages(&source(Lang::En));
        assert!(en.len() > 50);
        for lang in Lang::ALL {
            let other = messages(&source(lang));
            let keys: Vec<&String> = other.iter().map(|(k, _)| k).collect();
            let missing: Vec<&String> = en
                .iter()
                .map(|(k, _)| k)
                .filter(|k| !keys.contains(k))
                .collect();
            let extra: Vec<&&String> = keys
                .iter()
                .filter(|k| !en.iter().any(|(e, _)| e == **k))
                .collect();
            assert!(
                missing.is_empty(),
                "missing in locales/{}: {missing:?}",
                lang.code()
            );
            assert!(
                extra.is_empty(),
                "not in locales/en but in locales/{}: {extra:?}",
                lang.code()
            );
            for (key, text) in &other {
                let source_text = &en.iter().find(|(k, _)| k == key).expect("checked").1;
                assert_eq!(
                    shape(text),
                    shape(source_text),
                    "{key} in locales/{}: the same placeholders and variants as in English",
                    lang.code()
                );
            }
        }
    }

    /// Every catalogue key is still asked for by the code: literally, or
    /// through a literal prefix the code completes (`"face-"`, `"gift-state-"`).
    #[test]
    fn no_catalogue_keeps_a_key_the_code_no_longer_uses() {
        let mut literals: Vec<String> = Vec::new();
        for text in rust_sources() {
            for (at, _) in text.match_indices('"') {
                let token: String = text[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                    .collect();
                if token.len() > 1 {
                    literals.push(token);
                }
            }
        }
        literals.sort();
        literals.dedup();
        let prefixes: Vec<&String> = literals.iter().filter(|l| l.ends_with('-')).collect();
        let unused: Vec<String> = keys(&source(Lang::En))
            .into_iter()
            .filter(|key| {
                literals.binary_search(key).is_err()
                    && !prefixes.iter().any(|p| key.starts_with(p.as_str()))
            })
            .collect();
        assert!(unused.is_empty(), "keys no code asks for: {unused:?}");
    }

    fn rust_sources() -> Vec<String> {
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
        sources
    }

    #[test]
    fn every_key_formats_in_every_language() {
        for lang in Lang::ALL {
            for key in keys(&source(lang)) {
                assert_ne!(lang.t(&key), key, "{key} in {}", lang.code());
            }
        }
    }

    /// Every literal key the code asks for exists, so no page shows a bare key.
    #[test]
    fn every_key_the_code_uses_exists() {
        let sources = rust_sources();
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
    fn a_missing_translation_falls_back_to_the_location_default_then_any() {
        let texts = Written(["Wachttijd", "", "Attente", ""]);
        assert_eq!(texts.for_reader(Lang::Fr, Lang::Nl), "Attente");
        assert_eq!(texts.for_reader(Lang::De, Lang::Fr), "Attente");
        assert_eq!(texts.for_reader(Lang::De, Lang::Nl), "Wachttijd");
        assert_eq!(texts.source_for(Lang::En, Lang::De), Lang::Nl);
        assert_eq!(
            texts.missing(&[Lang::Fr, Lang::De, Lang::En]),
            [Lang::De, Lang::En]
        );
        let blank = Written(["", " ", "", ""]);
        assert_eq!(blank.source_for(Lang::En, Lang::Nl), Lang::En);
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
            Some(Lang::De)
        );
        assert_eq!(
            Lang::from_accept_language("fr-BE, de;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("es, it"), None);
        // Only among a location's languages: a Brussels shop (fr, nl) answers
        // a German browser in the first of its own it also reads.
        assert_eq!(
            Lang::from_accept_language_among("de,nl;q=0.5,fr;q=0.4", &[Lang::Fr, Lang::Nl]),
            Some(Lang::Nl)
        );
        assert_eq!(
            Lang::from_accept_language_among("de", &[Lang::Fr, Lang::Nl]),
            None
        );
    }
}
