//! Argon2id password hashing (OWASP parameters: the crate's defaults,
//! m=19 MiB, t=2, p=1). Hashing runs on the blocking pool so it never stalls
//! the async workers, and hands its 19 MiB back to the OS when done (see
//! `crate::allocator`).

use anyhow::Context;
use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};
use std::sync::OnceLock;

/// Runs Argon2 work on the blocking pool, then hands its working memory
/// back to the OS.
async fn on_blocking_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    tokio::task::spawn_blocking(move || {
        let done = work();
        crate::allocator::return_free_memory();
        done
    })
    .await
}

pub async fn hash(password: String) -> anyhow::Result<String> {
    on_blocking_pool(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
    })
    .await
    .context("password hashing task")?
}

/// Verifies `password` against a stored PHC string. With no stored hash
/// (unknown email, OAuth-only account) it verifies against a fixed dummy hash
/// so the answer takes the same time either way.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    on_blocking_pool(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let parsed =
            PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && ok)
    })
    .await
    .context("password verification task")?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"englog-dummy-password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let phc = hash("correct horse".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(
            verify("correct horse".into(), Some(phc.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse".into(), Some(phc)).await.unwrap());
        assert!(!verify("englog-dummy-password".into(), None).await.unwrap());
    }
}
