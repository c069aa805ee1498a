//! Integration tests: the real app over HTTP, on SQLite and on PostgreSQL.

mod fixtures;
mod helpers;
mod plans;
mod privacy;

mod admin;
pub mod applications;
mod architecture;
mod auth;
mod checker;
mod employers;
pub mod register;
mod scale;
mod schema;
mod security;
mod self_check;
mod service;
