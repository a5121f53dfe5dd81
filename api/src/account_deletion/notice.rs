//! Mail about a deletion request, sent through the same SMTP relay as
//! report mail (`reports.smtp_url`). Best effort: a relay that is down is
//! logged and does not undo or block the request.

use chrono::{DateTime, Utc};

use super::DeletionMode;
use crate::state::AppState;

async fn send(state: &AppState, to: &str, subject: &str, body: String) {
    let Some(mailer) = crate::mail::mailer(&state.settings) else {
        return;
    };
    if let Err(err) = mailer.send_text(to, subject, body).await {
        tracing::warn!(error = %err, "account mail not sent");
    }
}

pub async fn requested(state: &AppState, to: &str, mode: DeletionMode, due: DateTime<Utc>) {
    let what = match mode {
        DeletionMode::Delete => "deleted, with every entry, project, tag and report in it",
        DeletionMode::Anonymise => {
            "anonymised: your name, email, texts and reports will be removed for good"
        }
    };
    let body = format!(
        "You asked for your EngLog account to be {what}.\r\n\r\n\
         This will happen on {} (UTC). Every session and API token was ended.\r\n\r\n\
         Changed your mind? Sign in before then and cancel the deletion in your \
         account settings.\r\n",
        due.format("%Y-%m-%d %H:%M")
    );
    send(
        state,
        to,
        "Your EngLog account is scheduled for deletion",
        body,
    )
    .await;
}

pub async fn cancelled(state: &AppState, to: &str) {
    let body = "The deletion of your EngLog account was cancelled; nothing was removed.\r\n\
                API tokens ended by the request stay revoked: create new ones if you need them.\r\n"
        .to_owned();
    send(state, to, "Your EngLog account will not be deleted", body).await;
}
