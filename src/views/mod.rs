//! Views: maud templates, pure functions of the data they are given. They never
//! touch the database. User text goes in as plain text (maud escapes it); only
//! our own constant markup is ever pre-escaped.

pub mod account;
pub mod alert;
pub mod api;
pub mod attachments;
pub mod canned;
pub mod chart;
pub mod components;
pub mod csv;
pub mod dashboard;
pub mod error;
pub mod first_run;
pub mod gift;
pub mod inbox;
pub mod kiosk;
pub mod layout;
pub mod owner;
pub mod posters;
pub mod privacy;
pub mod public;
pub mod satisfaction;
pub mod setup;
pub mod sla;
pub mod staff;
pub mod ticket;
pub mod webhooks;
pub mod workflow;
