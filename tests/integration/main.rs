//! Integration tests: the whole app over HTTP against real databases (SQLite
//! and PostgreSQL), a real SMTP listener, and the release binary.

mod support;

mod accounts;
mod alerts;
mod api;
mod audit;
mod bad_input;
mod browser;
mod dashboard;
mod demo;
mod durability;
mod first_run;
mod forms;
mod gifts;
mod inbound;
mod inbox;
mod instances;
mod kiosk;
mod local_time;
mod mail;
mod mail_snapshots;
mod migrations;
mod owner;
mod posters;
mod privacy;
mod public_form;
mod setup_cli;
mod sla;
mod smoke;
mod staff;
mod webhooks;
mod workflow;
