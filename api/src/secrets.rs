//! The access-token signing key.

use anyhow::Context;
use base64::{Engine, engine::general_purpose::STANDARD};
use rand::RngCore;
use std::path::Path;

use crate::config::Settings;

/// The configured secret; otherwise, for the embedded default, one generated
/// once and kept in the data directory so sessions survive a restart.
/// Without either (a server database and no secret), a per-process key is
/// generated and sessions end on restart.
pub fn jwt_secret(settings: &Settings) -> anyhow::Result<Vec<u8>> {
    if !settings.jwt_secret.is_empty() {
        return Ok(settings.jwt_secret.expose().as_bytes().to_vec());
    }
    if settings.database_url.is_none() {
        return persisted_secret(&settings.data_dir.join("jwt-secret"));
    }
    tracing::warn!(
        "ENGLOG_JWT_SECRET is not set: using a per-process key; sessions end on restart \
         and API instances will not accept each other's tokens"
    );
    Ok(random_key().to_vec())
}

fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

fn persisted_secret(path: &Path) -> anyhow::Result<Vec<u8>> {
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
}
