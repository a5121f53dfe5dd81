//! Who is on the other end of a request, as far as rate limits and the
//! list of sessions care: the client IP and the User-Agent.

use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// The peer address, or the address in `ip_header` when one is
    /// configured (only behind a proxy that overwrites that header — a
    /// client could otherwise pick its own rate-limit bucket).
    pub fn from_request(
        headers: &HeaderMap,
        peer: Option<SocketAddr>,
        ip_header: Option<&str>,
    ) -> Self {
        let header_ip = ip_header
            .and_then(|name| headers.get(name))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next_back())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        let user_agent = headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Self {
            ip: header_ip.or(peer.map(|p| p.ip())),
            user_agent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_header_is_read_only_when_configured() {
        let mut headers = HeaderMap::new();
        headers.insert("x-real-ip", "203.0.113.7".parse().unwrap());
        let peer = Some(SocketAddr::from(([10, 0, 0, 1], 5000)));
        let direct = ClientInfo::from_request(&headers, peer, None);
        assert_eq!(direct.ip, Some(IpAddr::from([10, 0, 0, 1])));
        let proxied = ClientInfo::from_request(&headers, peer, Some("x-real-ip"));
        assert_eq!(proxied.ip, Some(IpAddr::from([203, 0, 113, 7])));
    }
}
