//! The employer's pages: the list of its people's applications, and one application's
//! verification, publicity, objections and decision.

pub mod application;
pub mod forms;
pub mod home;
pub mod publicity;
pub mod staff;
