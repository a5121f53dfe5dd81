//! The sources a connector can read and the states a connector shows,
//! with their stored forms.

use async_graphql::Enum;

use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ConnectorKind {
    /// github.com or GitHub Enterprise Server, with a personal access token.
    Github,
    /// gitlab.com or a self-managed GitLab, with a personal access token.
    Gitlab,
    /// A calendar by URL: an ICS feed or a CalDAV calendar collection.
    Calendar,
}

impl ConnectorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectorKind::Github => "github",
            ConnectorKind::Gitlab => "gitlab",
            ConnectorKind::Calendar => "calendar",
        }
    }

    pub fn parse(stored: &str) -> Result<Self, AppError> {
        match stored {
            "github" => Ok(ConnectorKind::Github),
            "gitlab" => Ok(ConnectorKind::Gitlab),
            "calendar" => Ok(ConnectorKind::Calendar),
            other => Err(AppError::Internal(anyhow::anyhow!(
                "unknown stored connector kind `{other}`"
            ))),
        }
    }

    /// The public service's API, used when no base URL is given (a
    /// calendar has none: its address is required).
    pub fn default_base_url(self) -> Option<&'static str> {
        match self {
            ConnectorKind::Github => Some("https://api.github.com"),
            ConnectorKind::Gitlab => Some("https://gitlab.com/api/v4"),
            ConnectorKind::Calendar => None,
        }
    }
}

/// Where a connector stands, for a person polling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ConnectorStatus {
    /// Configured, not synced yet.
    Pending,
    /// A sync is running now.
    Syncing,
    /// The last sync succeeded.
    Ok,
    /// The last sync failed: see `lastError`; it is retried with backoff.
    Failed,
}

impl ConnectorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectorStatus::Pending => "pending",
            ConnectorStatus::Syncing => "syncing",
            ConnectorStatus::Ok => "ok",
            ConnectorStatus::Failed => "failed",
        }
    }

    pub fn parse(stored: &str) -> Result<Self, AppError> {
        match stored {
            "pending" => Ok(ConnectorStatus::Pending),
            "syncing" => Ok(ConnectorStatus::Syncing),
            "ok" => Ok(ConnectorStatus::Ok),
            "failed" => Ok(ConnectorStatus::Failed),
            other => Err(AppError::Internal(anyhow::anyhow!(
                "unknown stored connector status `{other}`"
            ))),
        }
    }
}
