//! The HR bureau's administration: the audit log, accounts, rounds.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod committees;
pub mod employers;
pub mod home;
pub mod rounds;
