//! What can go wrong, each case with the exit code scripts rely on and a
//! message that says what to do (docs/CLI.md, "Exit codes").

use std::process::ExitCode;

/// Every failure of a command. The `Display` text is what the person reads
/// on stderr, prefixed with `englog:`.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    /// The server answered and refused or failed the request (validation,
    /// not found, not allowed, internal error): its message. Exit 1.
    #[error("{0}")]
    Refused(String),
    /// Something on this machine failed (the config file). Exit 1.
    #[error("{0}")]
    Local(String),
    /// The command line makes no sense (a bad time, nothing to edit). Exit 2,
    /// like clap's own usage errors.
    #[error("{0}")]
    Usage(String),
    /// No server or token is configured. Exit 3.
    #[error(
        "not logged in: run `englog login --server URL` (or set ENGLOG_SERVER and ENGLOG_TOKEN)"
    )]
    NotLoggedIn,
    /// The server does not accept the token (revoked, expired, mistyped).
    /// Exit 3.
    #[error(
        "the server at {0} rejected the API token (revoked or expired?): create a new one in the web app (Settings → API tokens) and run `englog login`"
    )]
    TokenRejected(String),
    /// No answer from the server (offline, DNS, refused, timeout, a proxy's
    /// 502). Exit 4.
    #[error(
        "cannot reach the server at {url}: {reason}; check your connection and the URL (`englog login --server URL`)"
    )]
    Unreachable { url: String, reason: String },
    /// A followed report ended FAILED or CANCELLED. Exit 5.
    #[error("report {id} {status}: {reason}")]
    ReportFailed {
        id: String,
        status: String,
        reason: String,
    },
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Refused(_) | CliError::Local(_) => 1,
            CliError::Usage(_) => 2,
            CliError::NotLoggedIn | CliError::TokenRejected(_) => 3,
            CliError::Unreachable { .. } => 4,
            CliError::ReportFailed { .. } => 5,
        })
    }

    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    pub fn local(message: impl Into<String>) -> Self {
        CliError::Local(message.into())
    }
}

/// The GraphQL error of an answer (its `message` and `extensions.code`) as
/// a [`CliError`]; `server` names the server for the token message.
pub fn from_graphql(server: &str, code: Option<&str>, message: &str) -> CliError {
    match code {
        Some("UNAUTHENTICATED") => CliError::TokenRejected(server.to_owned()),
        Some("FORBIDDEN") => CliError::Refused(format!(
            "{message}: the API token may be read-only; create a read-write token in Settings → API tokens and run `englog login`"
        )),
        Some("RATE_LIMITED") => CliError::Refused(format!("{message} (rate limited)")),
        _ => CliError::Refused(message.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphql_codes_map_to_exit_codes() {
        let s = "https://e.example";
        let code = |c: Option<&str>| from_graphql(s, c, "x").exit_code();
        assert_eq!(code(Some("UNAUTHENTICATED")), ExitCode::from(3));
        assert_eq!(code(Some("VALIDATION")), ExitCode::from(1));
        assert_eq!(code(Some("NOT_FOUND")), ExitCode::from(1));
        assert_eq!(code(Some("FORBIDDEN")), ExitCode::from(1));
        assert_eq!(code(None), ExitCode::from(1));
        assert!(
            from_graphql(s, Some("UNAUTHENTICATED"), "x")
                .to_string()
                .contains("englog login")
        );
    }
}
