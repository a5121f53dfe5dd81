//! Sealing connector credentials: AES-256-GCM with a key from
//! configuration (`connectors.credentials_key`), a fresh random nonce per
//! seal, and the connector's id as associated data, so a sealed value
//! copied onto another row does not open. The clear text lives only in
//! memory during a sync or a connection test; it is never logged, never
//! returned by the API and never exported.

use base64::{Engine, engine::general_purpose::STANDARD};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use uuid::Uuid;

use crate::config::Settings;

/// The stored form's version tag, so a future key rotation can tell
/// generations apart.
const VERSION: &str = "v1:";
const KEY_BYTES: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    #[error(
        "this server has no key to store connector credentials: set connectors.credentials_key \
         (ENGLOG_CONNECTORS__CREDENTIALS_KEY) to 32 random bytes in base64 (`openssl rand -base64 32`)"
    )]
    NoKey,
    #[error("connectors.credentials_key must be 32 bytes in base64 (`openssl rand -base64 32`)")]
    BadKey,
    /// The key changed or the row was tampered with.
    #[error("the stored credentials cannot be opened with the configured key; enter them again")]
    CannotOpen,
}

pub struct Vault {
    key: LessSafeKey,
}

impl Vault {
    pub fn new(key: &[u8]) -> Result<Self, VaultError> {
        if key.len() != KEY_BYTES {
            return Err(VaultError::BadKey);
        }
        let unbound = UnboundKey::new(&AES_256_GCM, key).map_err(|_| VaultError::BadKey)?;
        Ok(Self {
            key: LessSafeKey::new(unbound),
        })
    }

    /// The configured key; for the embedded default only, one generated
    /// once and kept beside the database (as the signing key is).
    pub fn from_settings(settings: &Settings) -> Result<Self, VaultError> {
        let configured = &settings.connectors.credentials_key;
        if !configured.is_empty() {
            let key = STANDARD
                .decode(configured.expose().trim())
                .map_err(|_| VaultError::BadKey)?;
            return Self::new(&key);
        }
        let embedded = settings
            .database_url
            .as_ref()
            .is_none_or(|url| url.is_empty());
        if !embedded {
            return Err(VaultError::NoKey);
        }
        let path = settings.data_dir.join("connector-key");
        let key = crate::secrets::persisted_secret(&path).map_err(|err| {
            tracing::error!(error = ?err, "cannot read or create the connector key");
            VaultError::NoKey
        })?;
        Self::new(&key)
    }

    pub fn seal(&self, connector_id: Uuid, clear: &str) -> Result<String, VaultError> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| VaultError::CannotOpen)?;
        let mut data = clear.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(connector_id.as_bytes()),
                &mut data,
            )
            .map_err(|_| VaultError::CannotOpen)?;
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&data);
        Ok(format!("{VERSION}{}", STANDARD.encode(stored)))
    }

    pub fn open(&self, connector_id: Uuid, sealed: &str) -> Result<String, VaultError> {
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(|b64| STANDARD.decode(b64).ok())
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or(VaultError::CannotOpen)?;
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| VaultError::CannotOpen)?;
        let mut data = rest.to_vec();
        let clear = self
            .key
            .open_in_place(nonce, Aad::from(connector_id.as_bytes()), &mut data)
            .map_err(|_| VaultError::CannotOpen)?;
        String::from_utf8(clear.to_vec()).map_err(|_| VaultError::CannotOpen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(byte: u8) -> Vault {
        Vault::new(&[byte; KEY_BYTES]).unwrap()
    }

    #[test]
    fn a_sealed_token_opens_only_with_its_key_and_its_row() {
        let id = Uuid::now_v7();
        let sealed = vault(7).seal(id, "ghp_secret").unwrap();
        assert!(!sealed.contains("ghp_secret"));
        assert_eq!(vault(7).open(id, &sealed).unwrap(), "ghp_secret");
        assert_eq!(vault(8).open(id, &sealed), Err(VaultError::CannotOpen));
        assert_eq!(
            vault(7).open(Uuid::now_v7(), &sealed),
            Err(VaultError::CannotOpen)
        );
        assert_eq!(vault(7).open(id, "v1:AAAA"), Err(VaultError::CannotOpen));
    }

    #[test]
    fn two_seals_of_the_same_token_differ() {
        let id = Uuid::now_v7();
        assert_ne!(
            vault(1).seal(id, "t").unwrap(),
            vault(1).seal(id, "t").unwrap()
        );
    }

    #[test]
    fn a_key_of_the_wrong_length_is_refused() {
        assert!(matches!(Vault::new(&[0; 16]), Err(VaultError::BadKey)));
    }
}
