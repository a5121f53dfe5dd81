//! The one error type of API calls, built from GraphQL errors' `extensions.code`.

use std::fmt;

#[derive(Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with GraphQL errors; `code` is `extensions.code`
    /// (UNAUTHENTICATED, VALIDATION, ...) of the first error.
    Graphql {
        code: Option<String>,
        message: String,
    },
    /// The request never got an answer (offline, server down).
    Network(String),
    /// The answer was not a GraphQL response (e.g. a proxy error page).
    Http(u16),
    /// A GraphQL response with neither data nor errors.
    Empty,
    /// The person signed out, or in as someone else, while the call ran;
    /// its outcome no longer applies (and must not end the new session).
    Superseded,
    /// Another tab of this browser signed in to a different account: the
    /// pair it stored is not this tab's person's to adopt.
    AnotherAccount,
}

impl ApiError {
    /// From a GraphQL answer's `errors` list (`message`, `extensions.code`).
    pub fn from_graphql(errors: &[serde_json::Value]) -> Self {
        let code_of = |e: &serde_json::Value| e["extensions"]["code"].as_str().map(str::to_owned);
        let code = errors
            .iter()
            .find_map(|e| code_of(e).filter(|c| c == "UNAUTHENTICATED"))
            .or_else(|| errors.first().and_then(code_of));
        let mut messages: Vec<&str> = errors
            .iter()
            .map(|e| e["message"].as_str().unwrap_or_default())
            .collect();
        messages.dedup();
        // A refused sign-in (too many attempts) says when to try again.
        let wait = errors
            .iter()
            .find_map(|e| e["extensions"]["retryAfter"].as_u64());
        let message = match wait {
            Some(seconds) => retry_message(seconds),
            None => messages.join(" "),
        };
        Self::Graphql { code, message }
    }

    /// No session to call with (signed out meanwhile).
    pub fn signed_out() -> Self {
        Self::Graphql {
            code: Some("UNAUTHENTICATED".into()),
            message: "Please sign in.".into(),
        }
    }

    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Self::Graphql { code: Some(c), .. } if c == "UNAUTHENTICATED")
    }
}

/// Why a tab signed itself out when another tab signed in to a different
/// account (shown on the sign-in page).
pub const ANOTHER_ACCOUNT: &str = "Another tab signed in to a different account. \
     Reload this page to continue as that account, or sign in again here.";

/// "Too many attempts. Try again in 4 minutes."
fn retry_message(seconds: u64) -> String {
    let minutes = seconds.div_ceil(60);
    if seconds < 60 {
        format!("Too many attempts. Try again in {seconds} seconds.")
    } else if minutes == 1 {
        "Too many attempts. Try again in a minute.".to_owned()
    } else {
        format!("Too many attempts. Try again in {minutes} minutes.")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Graphql { message, .. } => f.write_str(message),
            Self::Network(_) => f.write_str(
                "Could not reach the EngLog server. Check your connection and try again.",
            ),
            Self::Http(status) => {
                write!(f, "The EngLog server answered with HTTP status {status}.")
            }
            Self::Empty => f.write_str("The EngLog server sent an empty answer."),
            Self::Superseded => f.write_str("You signed out while this was loading."),
            Self::AnotherAccount => f.write_str(ANOTHER_ACCOUNT),
        }
    }
}
