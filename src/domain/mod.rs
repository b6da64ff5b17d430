//! The domain: one file per concept a shop owner would name. Rows, queries and
//! rules live here; nothing here knows about HTTP. Every function takes the
//! connection it works on and, where time matters, `now`. A change that is
//! audited takes the [`audit::Actor`] who made it and writes its own entry in
//! the same transaction, so the staff pages, the command line and the jobs
//! record the same thing.

pub mod alert;
pub mod api_key;
pub mod attachment;
pub mod audit;
pub mod canned;
pub mod category;
pub mod chat;
pub mod checklist;
pub mod consent;
pub mod customer_reply;
pub mod dashboard;
pub mod events;
pub mod feedback;
pub mod gift;
pub mod inbox;
pub mod invite;
pub mod kiosk;
pub mod local_time;
pub mod location;
pub mod money;
pub mod outbound;
pub mod password_reset;
pub mod privacy;
pub mod profile;
pub mod qr;
pub mod review_link;
pub mod rollup;
pub mod satisfaction;
pub mod session;
pub mod setup;
pub mod sla;
pub mod ticket;
pub mod totp;
pub mod user;
pub mod webhook;
pub mod workflow;

use crate::i18n::{Lang, Written};

/// A field a user filled in wrongly, with the catalogue key of the explanation
/// and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form field's name.
    pub field: &'static str,
    /// The catalogue key of the message.
    pub key: &'static str,
    /// Arguments for the message, e.g. a maximum length.
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    /// An error on `field` explained by `key`.
    pub fn new(field: &'static str, key: &'static str) -> FieldError {
        FieldError {
            field,
            key,
            args: Vec::new(),
        }
    }

    /// Adds a message argument.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> FieldError {
        self.args.push((name, value.to_string()));
        self
    }
}

/// How to check a text an owner writes per language ([`Written`]).
pub struct WrittenRule {
    /// The error's field when none is written (the group's id).
    pub group: &'static str,
    /// Each language's form field, in [`Lang::ALL`] order.
    pub fields: [&'static str; 4],
    /// Longest text, in characters.
    pub max: usize,
    /// Whether at least one must be written.
    pub required: bool,
    /// Explains an empty group.
    pub empty_key: &'static str,
    /// Explains a text over `max` (gets `max`).
    pub too_long_key: &'static str,
}

impl WrittenRule {
    /// The texts trimmed, with an error per text that is too long and one on
    /// the group when a required text is written in no language.
    pub fn check(&self, texts: &Written, errors: &mut Vec<FieldError>) -> Written {
        let trimmed = Written(texts.0.each_ref().map(|t| t.trim().to_owned()));
        for lang in Lang::ALL {
            if trimmed.get(lang).chars().count() > self.max {
                errors.push(
                    FieldError::new(self.fields[lang.index()], self.too_long_key)
                        .arg("max", self.max),
                );
            }
        }
        if self.required && trimmed.0.iter().all(String::is_empty) {
            errors.push(FieldError::new(self.group, self.empty_key).arg("max", self.max));
        }
        trimmed
    }
}

/// Trims a text field; empty becomes `None`.
pub fn optional_text(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Whether a text is a plausible email address of at most 254 characters.
pub fn valid_email(email: &str) -> bool {
    email.chars().count() <= 254
        && email.parse::<email_address::EmailAddress>().is_ok()
        && email.contains('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A text without the control characters no person types (all but tab, line
/// feed and carriage return): what arrives by mail is stored like what
/// arrives through a form, and PostgreSQL text cannot hold a NUL.
pub fn without_controls(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_dropped_but_lines_stay() {
        assert_eq!(
            super::without_controls("a\0b\u{1b}[31m\r\nc\td\u{85}"),
            "ab[31m\r\nc\td"
        );
    }
}
