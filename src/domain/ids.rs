//! Typed ids: an application id can never be passed where an account id goes.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }
    };
}

id_type!(
    /// An account (any role); an employer is identified by its account.
    AccountId
);
id_type!(
    /// An application.
    ApplicationId
);
id_type!(
    /// An application round (评审批次).
    RoundId
);
id_type!(
    /// A title review committee (评审委员会).
    CommitteeId
);
id_type!(
    /// An expert's entry in a committee's pool (专家库).
    PoolEntryId
);
id_type!(
    /// A stored version of a committee's rubric (评审标准).
    RubricVersionId
);
id_type!(
    /// A recorded draw of a round's panel.
    DrawId
);
