//! Where the client keeps its server URL and API token:
//! `<config dir>/englog/client.toml` (`$XDG_CONFIG_HOME` or `~/.config` on
//! Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on
//! Windows), readable by its owner only. `ENGLOG_SERVER` and `ENGLOG_TOKEN`
//! win over the file, so scripts and CI need no file at all.

use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::CliError;

pub const SERVER_ENV: &str = "ENGLOG_SERVER";
pub const TOKEN_ENV: &str = "ENGLOG_TOKEN";

/// A server and its token, as stored and as used.
#[derive(Clone, Serialize, Deserialize)]
pub struct Credentials {
    pub server: String,
    pub token: String,
}

impl std::fmt::Debug for Credentials {
    /// Never prints the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("server", &self.server)
            .field("token", &"[redacted]")
            .finish()
    }
}

/// `<config dir>/englog/client.toml`.
pub fn path() -> Result<PathBuf, CliError> {
    dirs::config_dir()
        .map(|d| d.join("englog").join("client.toml"))
        .ok_or_else(|| {
            CliError::local("cannot find your config directory (is HOME set?); set ENGLOG_SERVER and ENGLOG_TOKEN instead")
        })
}

/// The stored credentials, if any.
pub fn load_file(path: &Path) -> Result<Option<Credentials>, CliError> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CliError::local(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    toml::from_str(&text).map(Some).map_err(|e| {
        CliError::local(format!(
            "{} is not a valid client file ({e}); run `englog login` again",
            path.display()
        ))
    })
}

/// What to call the server with: the environment over the file; no server
/// or no token is [`CliError::NotLoggedIn`].
pub fn resolve() -> Result<Credentials, CliError> {
    let env = |name| {
        std::env::var(name)
            .ok()
            .filter(|v: &String| !v.trim().is_empty())
    };
    let (env_server, env_token) = (env(SERVER_ENV), env(TOKEN_ENV));
    let stored = match (&env_server, &env_token) {
        (Some(_), Some(_)) => None,
        _ => load_file(&path()?)?,
    };
    let server = env_server.or_else(|| stored.as_ref().map(|c| c.server.clone()));
    let token = env_token.or_else(|| stored.map(|c| c.token));
    match (server, token) {
        (Some(server), Some(token)) => Ok(Credentials {
            server: normalize_server(&server)?,
            token: token.trim().to_owned(),
        }),
        _ => Err(CliError::NotLoggedIn),
    }
}

/// The server URL stripped of a trailing `/`; it must be http(s).
pub fn normalize_server(url: &str) -> Result<String, CliError> {
    let url = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(url).map_err(|_| {
        CliError::usage(format!(
            "`{url}` is not a server URL; give it as https://englog.example.org"
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(CliError::usage(format!(
            "`{url}` is not an http(s) URL; give it as https://englog.example.org"
        )));
    }
    Ok(url.to_owned())
}

/// Writes the file: the directory made owner-only (0700) and the file
/// created owner-only (0600) from the start, then moved into place, so the
/// token is never readable by others, even for a moment.
pub fn save(path: &Path, credentials: &Credentials) -> Result<(), CliError> {
    let failed =
        |e: std::io::Error| CliError::local(format!("cannot write {}: {e}", path.display()));
    let dir = path
        .parent()
        .ok_or_else(|| CliError::local(format!("{} has no directory", path.display())))?;
    create_private_dir(dir).map_err(failed)?;
    let text = toml::to_string(credentials)
        .map_err(|e| CliError::local(format!("cannot encode the client file: {e}")))?;
    let temp = dir.join(format!(".client.toml.{}", std::process::id()));
    let _ = fs::remove_file(&temp);
    let mut file = private_file(&temp).map_err(failed)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&temp, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(failed(e));
    }
    Ok(())
}

/// Deletes the file; `false` when there was none.
pub fn remove(path: &Path) -> Result<bool, CliError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(CliError::local(format!(
            "cannot remove {}: {e}",
            path.display()
        ))),
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    // An existing directory keeps its mode from before; tighten it.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_round_trips_and_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("englog").join("client.toml");
        assert!(load_file(&path).unwrap().is_none());
        let c = Credentials {
            server: "https://e.example".into(),
            token: "elg_secret".into(),
        };
        save(&path, &c).unwrap();
        save(&path, &c).unwrap(); // replacing works too
        let back = load_file(&path).unwrap().unwrap();
        assert_eq!(
            (back.server.as_str(), back.token.as_str()),
            ("https://e.example", "elg_secret")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        assert!(!format!("{back:?}").contains("elg_secret"));
        assert!(remove(&path).unwrap());
        assert!(!remove(&path).unwrap());
    }

    #[test]
    fn server_urls_are_checked_and_trimmed() {
        assert_eq!(
            normalize_server("https://e.example/").unwrap(),
            "https://e.example"
        );
        assert_eq!(
            normalize_server("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(normalize_server("e.example").is_err());
        assert!(normalize_server("ftp://e.example").is_err());
    }
}
