//! Outgoing HTTP: the guard every address passes before Tellus posts to it
//! (at save time and again at send time), and the sender that delivers the
//! HTTP outbox ([`crate::domain::outbound`]): webhooks signed the Standard
//! Webhooks way, Slack and Teams messages as their chat renders them.

pub mod guard;
pub mod worker;
