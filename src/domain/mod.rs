//! Domain value types: each has one constructor, `parse`, so a value held is a valid value;
//! typed ids; and the closed sets (roles, levels, states, actions…) with one text form each.
//! Error messages are zh-CN, ready to show beside the field. No web or database imports.

pub mod codes;
pub mod committee;
pub mod credit_code;
pub mod date;
pub mod fields;
pub mod id_number;
pub mod ids;
pub mod levels;
pub mod limits;
pub mod role;
pub mod round;
pub mod settings;
pub mod text;

pub use codes::{Action, AuditAction, ClaimStatus, Pathway, RouteClaim, State, Subject};
pub use credit_code::{CreditCode, CreditCodeError};
pub use fields::FieldErrors;
pub use id_number::IdNumber;
pub use ids::{
    AccountId, ApplicationId, CommitteeId, DrawId, PoolEntryId, RoundId, RubricVersionId,
};
pub use levels::{AssessmentResult, Education, Level, SkillLevel, TitleLevel};
pub use role::Role;
pub use text::{LoginName, MobileNumber, Password, PersonName, RequiredText};
