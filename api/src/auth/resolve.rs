//! Turns a bearer token into a [`Caller`]: an API token (`elg_…`) or an
//! access JWT whose session is still live.

use super::caller::{Caller, Credential};
use super::{api_tokens, sessions};
use crate::error::AppResult;
use crate::state::AppState;

/// `None` for any token that does not authenticate (forged, expired,
/// revoked, of a deleted user…): the request then runs anonymously.
pub async fn caller_of(app: &AppState, token: &str) -> AppResult<Option<Caller>> {
    if api_tokens::looks_like_api_token(token) {
        let found = api_tokens::authenticate(&app.db, token).await?;
        return Ok(found.map(|(user_id, token_id, scope)| Caller {
            user_id,
            credential: Credential::ApiToken { token_id, scope },
        }));
    }
    let Some(claims) = app.keys.verify_access(token) else {
        return Ok(None);
    };
    if !app.sessions.is_live(claims.user_id, claims.session_id) {
        if !sessions::touch_if_live(&app.db, claims.user_id, claims.session_id).await? {
            return Ok(None);
        }
        app.sessions.remember(claims.user_id, claims.session_id);
    }
    Ok(Some(Caller {
        user_id: claims.user_id,
        credential: Credential::Session {
            session_id: claims.session_id,
        },
    }))
}
