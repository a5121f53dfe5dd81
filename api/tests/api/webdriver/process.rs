//! The chromedriver process: a free port, waiting until it answers, and
//! ending a session from `Drop` without an async runtime.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{DRIVER_START, POLL};

/// A loopback port nobody listens on right now.
pub(super) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Waits until chromedriver answers at `base`; `Err` with its exit status
/// when it exited first (e.g. another process took the port between
/// [`free_port`] and its bind: the caller tries another port).
pub(super) async fn wait_until_ready(
    http: &reqwest::Client,
    base: &str,
    driver: &mut Child,
) -> Result<(), std::process::ExitStatus> {
    let deadline = Instant::now() + DRIVER_START;
    loop {
        if let Ok(Some(status)) = driver.try_wait() {
            return Err(status);
        }
        let ready = match http.get(format!("{base}/status")).send().await {
            Ok(response) => response
                .json::<Value>()
                .await
                .map(|status| status["value"]["ready"] == json!(true))
                .unwrap_or(false),
            Err(_) => false,
        };
        if ready {
            return Ok(());
        }
        if Instant::now() >= deadline {
            let _ = driver.kill();
            panic!("chromedriver was not ready within {DRIVER_START:?} at {base}");
        }
        tokio::time::sleep(POLL).await;
    }
}

pub(super) fn delete_session_blocking(port: u16, session: &str) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    let timeout = Some(Duration::from_secs(10));
    let _ = stream.set_read_timeout(timeout);
    let _ = stream.set_write_timeout(timeout);
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        // Chromedriver answers once Chromium has quit; wait for that answer
        // (it may keep the connection open, so read one response, not to EOF).
        read_one_response(&mut stream);
    }
}

/// Reads an HTTP/1.1 response's headers and `Content-Length` body.
pub(super) fn read_one_response(stream: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let headers = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = headers
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}
