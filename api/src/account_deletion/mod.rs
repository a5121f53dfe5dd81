//! GDPR erasure (article 17): a person asks for their account to be deleted
//! (or anonymised), every sign-in and API token ends at once, a notice is
//! mailed, and after a grace period (`deletion_grace_days`) the scheduler
//! processes the request. Signing in again stays possible during the grace
//! period, so the request can be seen (`me.pendingDeletion`) and cancelled.

pub mod anonymise;
pub mod graphql;
pub mod notice;
pub mod process;
pub mod request;

/// What a processed request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "DeletionMode")]
pub enum DeletionMode {
    /// Every row of the account and every queued message about it is erased.
    Delete,
    /// The account stays as an anonymous shell for aggregate figures:
    /// personal fields get anonymous values, free text is removed, reports
    /// and credentials are deleted (see docs/ARCHITECTURE.md).
    Anonymise,
}

impl DeletionMode {
    /// Stored form (`scheduled_deletions.mode`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeletionMode::Delete => "delete",
            DeletionMode::Anonymise => "anonymize",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "delete" => Some(DeletionMode::Delete),
            "anonymize" => Some(DeletionMode::Anonymise),
            _ => None,
        }
    }
}
