//! Domain value types: each has one constructor, `parse`, so a value held is a valid value.
//! Error messages are zh-CN, ready to show beside the field.

pub mod credit_code;
pub mod id_number;
pub mod role;
pub mod text;

pub use credit_code::{CreditCode, CreditCodeError};
pub use id_number::IdNumber;
pub use role::Role;
pub use text::{LoginName, MobileNumber, Password, PersonName, RequiredText};
