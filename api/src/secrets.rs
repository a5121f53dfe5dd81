//! The access-token signing key.
//!
//! Outside the embedded default the key must be configured: a per-process
//! key would end every session on restart and split sessions between API
//! instances, so the server refuses to start instead. A configured key must
//! be long enough to resist offline guessing of HS256 signatures
//! (RFC 8725 §3.5).

use anyhow::Context;
use base64::{Engine, engine::general_purpose::STANDARD};
use rand::RngCore;
use std::path::Path;

use crate::config::Settings;

/// Shortest accepted configured secret, in bytes (HS256's output size).
pub const MIN_SECRET_BYTES: usize = 32;

/// The configured secret; otherwise, for the embedded default only, one
/// generated once and kept in the data directory so sessions survive a
/// restart. A missing secret with a configured `database_url`, or a weak
/// configured secret, is an error.
pub fn jwt_secret(settings: &Settings) -> anyhow::Result<Vec<u8>> {
    if !settings.jwt_secret.is_empty() {
        let secret = settings.jwt_secret.expose().as_bytes();
        check_strength(secret)?;
        return Ok(secret.to_vec());
    }
    let embedded = settings
        .database_url
        .as_ref()
        .is_none_or(|url| url.is_empty());
    if embedded {
        return persisted_secret(&settings.data_dir.join("jwt-secret"));
    }
    anyhow::bail!(
        "jwt_secret (ENGLOG_JWT_SECRET) must be set when database_url is configured: \
         use at least {MIN_SECRET_BYTES} random bytes, e.g. `openssl rand -base64 48`"
    )
}

/// Refuses short keys and keys with almost no variety (`aaaa…`,
/// `changemechangeme…`), the usual placeholders.
fn check_strength(secret: &[u8]) -> anyhow::Result<()> {
    let distinct = secret
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if secret.len() < MIN_SECRET_BYTES || distinct < 10 {
        anyhow::bail!(
            "jwt_secret (ENGLOG_JWT_SECRET) is too weak: use at least {MIN_SECRET_BYTES} \
             random bytes, e.g. `openssl rand -base64 48`"
        );
    }
    Ok(())
}

fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

pub(crate) fn persisted_secret(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(text) = std::fs::read_to_string(path) {
        return STANDARD
            .decode(text.trim())
            .with_context(|| format!("reading {}", path.display()));
    }
    let key = random_key();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    write_private(path, STANDARD.encode(key).as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(key.to_vec())
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_secret_is_generated_once_and_kept() {
        let dir = std::env::temp_dir().join(format!("englog-secret-{}", uuid::Uuid::new_v4()));
        let settings = Settings {
            data_dir: dir.clone(),
            ..Settings::default()
        };
        let first = jwt_secret(&settings).unwrap();
        let second = jwt_secret(&settings).unwrap();
        assert_eq!(first, second);
        assert_eq!(first.len(), 32);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_server_database_without_a_secret_refuses_to_start() {
        let settings = Settings {
            database_url: Some(crate::config::Secret::new("postgres://db/englog")),
            ..Settings::default()
        };
        let err = jwt_secret(&settings).expect_err("refused");
        assert!(err.to_string().contains("ENGLOG_JWT_SECRET"), "{err}");
    }

    #[test]
    fn weak_secrets_are_refused_wherever_they_are_configured() {
        for weak in ["short-secret", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"] {
            let settings = Settings {
                jwt_secret: crate::config::Secret::new(weak),
                ..Settings::default()
            };
            assert!(jwt_secret(&settings).is_err(), "{weak} accepted");
        }
        let strong = Settings {
            jwt_secret: crate::config::Secret::new("k3Jx9Qz2Lw8Pv5Rt1Yh7Nm4Bc6Df0GsAe"),
            database_url: Some(crate::config::Secret::new("postgres://db/englog")),
            ..Settings::default()
        };
        assert_eq!(
            jwt_secret(&strong).unwrap(),
            strong.jwt_secret.expose().as_bytes()
        );
    }
}
