//! The HR bureau's administration: the audit log, accounts, committees, settings, employers and the calendar (rounds are the committees' offices').

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod committees;
pub mod employers;
pub mod home;
