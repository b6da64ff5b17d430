//! Email. Every outgoing message is an outbox row written in the same
//! transaction as the change that causes it (`outbox`), rendered from
//! `templates` in the recipient's language with a fixed Message-ID. The
//! `worker` sends due rows over SMTP (or into `<data>/mail/*.eml` when no SMTP
//! server is set), retrying with exponential backoff and jitter; a permanent
//! failure is marked on the row and shown on the ticket; mail to a ticket's
//! customer carries the ticket's signed reply address as Reply-To.
//! Customer replies come back through `inbound` (read one raw message, verify
//! its reply address, keep only the customer's words (`reply`), store it) from
//! `tellus ingest-mail` or from `imap` polling.

pub mod account_mail;
pub mod alert_mail;
pub mod followup_mail;
pub mod gift_mail;
pub mod imap;
pub mod inbound;
pub mod outbox;
pub mod reply;
#[cfg(test)]
mod reply_fixtures;
pub mod templates;
pub mod test_mail;
pub mod webhook_mail;
pub mod worker;

/// The domain of an address such as `Shop <shop@example.org>`, if it has one.
pub fn address_domain(address: &str) -> Option<String> {
    address
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').trim().to_owned())
        .filter(|d| !d.is_empty())
}

/// What mail rendering needs to know about this installation.
#[derive(Clone)]
pub struct MailContext {
    /// Public address for links, without a trailing slash.
    pub base_url: String,
    /// Domain for Message-IDs (from the From address).
    pub id_domain: String,
    /// Derives ticket page tokens, so every mail can carry the link.
    pub signer: crate::tokens::Signer,
}

impl MailContext {
    /// Builds the context from the base URL and the From address.
    pub fn new(base_url: &str, mail_from: &str, signer: crate::tokens::Signer) -> MailContext {
        let id_domain = address_domain(mail_from).unwrap_or_else(|| "tellus.invalid".into());
        MailContext {
            base_url: base_url.trim_end_matches('/').to_owned(),
            id_domain,
            signer,
        }
    }

    /// A fresh, unique Message-ID (with angle brackets).
    pub fn new_message_id(&self, kind: &str) -> String {
        let token = crate::tokens::random_token();
        format!("<{kind}.{}@{}>", &token[..22], self.id_domain)
    }

    /// An absolute link to a path on this installation.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}
