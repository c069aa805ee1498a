//! Evidence files for those who may see their application.

use super::{ActionError, Actor};
use crate::access;
use crate::store::evidence::{self, EvidenceFile};
use crate::store::{applications, DbConnection};

/// The file with its bytes; `NotFound` for anyone who may not see its application.
pub fn download(c: &mut DbConnection, who: &Actor, id: &str) -> Result<EvidenceFile, ActionError> {
    let owner = evidence::owner(c, id)?.ok_or(ActionError::NotFound)?;
    let app = applications::find(c, owner)?.ok_or(ActionError::NotFound)?;
    access::may_view_application(who, &super::facts_for_reader(c, who, &app)?)?;
    evidence::find(c, id)?.ok_or(ActionError::NotFound)
}
