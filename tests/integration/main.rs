//! Integration tests: the whole app over HTTP against real databases (SQLite
//! and PostgreSQL), a real SMTP listener, and the release binary.

mod support;

mod bad_input;
mod browser;
mod demo;
mod durability;
mod inbox;
mod kiosk;
mod mail;
mod migrations;
mod owner;
mod posters;
mod public_form;
mod setup_cli;
mod smoke;
mod staff;
