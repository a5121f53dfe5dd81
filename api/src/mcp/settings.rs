//! `[mcp]`: the Model Context Protocol endpoint (docs/MCP.md).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct McpSettings {
    /// Serve `/mcp`.
    pub enabled: bool,
    /// The URL people reach EngLog at, e.g. `https://englog.example.org`;
    /// requests whose `Host` (or browser `Origin`) names anything else are
    /// refused, which stops DNS-rebinding attacks. Falls back to
    /// `oauth.public_url`; loopback names are always accepted.
    pub public_url: Option<String>,
    /// Further host names (or `host:port`) to accept, e.g. an internal name.
    pub extra_hosts: Vec<String>,
}

impl Default for McpSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            public_url: None,
            extra_hosts: Vec::new(),
        }
    }
}

/// Names a local client uses; a rebinding attack cannot make a browser send
/// them for an attacker's page.
const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// What `Host` may name, and which browser origins may call.
#[derive(Debug, PartialEq, Eq)]
pub struct Allowed {
    pub hosts: Vec<String>,
    pub origins: Vec<String>,
}

impl McpSettings {
    pub fn allowed(&self, oauth_public_url: Option<&str>) -> Allowed {
        let mut hosts: Vec<String> = LOOPBACK_HOSTS.iter().map(|h| (*h).to_owned()).collect();
        let mut origins = vec![
            "http://localhost:*".to_owned(),
            "http://127.0.0.1:*".to_owned(),
            "http://[::1]:*".to_owned(),
        ];
        let public = self.public_url.as_deref().or(oauth_public_url);
        if let Some(url) = public.and_then(|u| reqwest::Url::parse(u).ok())
            && let Some(host) = url.host_str()
        {
            hosts.push(match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            });
            let port = url.port_or_known_default().unwrap_or(443);
            origins.push(format!("{}://{host}:{port}", url.scheme()));
        }
        hosts.extend(self.extra_hosts.iter().cloned());
        Allowed { hosts, origins }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_adds_its_host_and_origin() {
        let settings = McpSettings {
            public_url: Some("https://englog.example.org".into()),
            extra_hosts: vec!["englog.internal:8080".into()],
            ..McpSettings::default()
        };
        let allowed = settings.allowed(None);
        assert!(allowed.hosts.contains(&"englog.example.org".to_owned()));
        assert!(allowed.hosts.contains(&"englog.internal:8080".to_owned()));
        assert!(
            allowed
                .origins
                .contains(&"https://englog.example.org:443".to_owned())
        );
    }

    #[test]
    fn oauth_public_url_is_the_fallback_and_loopback_always_passes() {
        let allowed = McpSettings::default().allowed(Some("http://journal.lan:9000"));
        assert!(allowed.hosts.contains(&"journal.lan:9000".to_owned()));
        assert!(allowed.hosts.contains(&"127.0.0.1".to_owned()));
        let none = McpSettings::default().allowed(None);
        assert_eq!(none.hosts, ["localhost", "127.0.0.1", "::1"]);
    }
}
