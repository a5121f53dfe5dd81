//! Opens a Redis client for `redis://` or `rediss://` (TLS) URLs.
//!
//! Between the API box and the GPU box Redis is reached over TLS, usually
//! with a certificate signed by a private CA; `ca_file` names that CA's PEM
//! so the worker need not change the system trust store. Without it, TLS
//! connections trust the system roots (`SSL_CERT_FILE` is honoured).

use redis::{Client, IntoConnectionInfo, TlsCertificates};
use std::path::Path;

use super::{BrokerError, BrokerResult};

pub fn redis_client(url: &str, ca_file: Option<&Path>) -> BrokerResult<Client> {
    // rustls needs a process-wide crypto provider; a second install (by the
    // API's HTTP client, or another connection) is harmless, hence `let _`.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let Some(path) = ca_file else {
        return Ok(Client::open(url)?);
    };
    let pem = std::fs::read(path).map_err(|source| BrokerError::CaFile {
        path: path.display().to_string(),
        source,
    })?;
    let info = url.into_connection_info()?;
    Ok(Client::build_with_tls(
        info,
        TlsCertificates {
            client_tls: None,
            root_cert: Some(pem),
        },
    )?)
}
