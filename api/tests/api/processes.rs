//! Child processes for pipeline tests: the `englog-worker` binary and a
//! private `redis-server` that a test may stop and restart. Killed on drop.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// The worker binary cargo built beside this test binary.
fn worker_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir");
    let path = dir.join("englog-worker");
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p englog-worker` (scripts/test does)",
        path.display()
    );
    path
}

pub struct ChildGuard(pub Child);

impl ChildGuard {
    /// SIGKILL: no chance to finish or hand anything back.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn spawn_worker(
    redis_url: &str,
    prefix: &str,
    ollama_url: &str,
    reclaim_after_secs: u64,
) -> ChildGuard {
    // No metrics listener: tests run many workers at once.
    spawn_worker_with(
        redis_url,
        prefix,
        ollama_url,
        reclaim_after_secs,
        &[("ENGLOG_WORKER_LISTEN", "")],
    )
}

/// [`spawn_worker`] with more environment (e.g. a listener address).
pub fn spawn_worker_with(
    redis_url: &str,
    prefix: &str,
    ollama_url: &str,
    reclaim_after_secs: u64,
    extra_env: &[(&str, &str)],
) -> ChildGuard {
    let mut command = Command::new(worker_binary());
    for (key, value) in extra_env {
        command.env(key, value);
    }
    let child = command
        .env("ENGLOG_REDIS_URL", redis_url)
        .env("ENGLOG_REDIS_PREFIX", prefix)
        .env("ENGLOG_OLLAMA_URL", ollama_url)
        .env("ENGLOG_RECLAIM_AFTER_SECS", reclaim_after_secs.to_string())
        .env("ENGLOG_BACKOFF_BASE_MS", "100")
        .env("ENGLOG_MAX_ATTEMPTS", "2")
        .env(
            "RUST_LOG",
            if std::env::var_os("TEST_LOG").is_some() {
                "info"
            } else {
                "warn"
            },
        )
        .stdout(Stdio::null())
        .stderr(if std::env::var_os("TEST_LOG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .spawn()
        .expect("start englog-worker");
    ChildGuard(child)
}

/// A loopback port kept for a server that binds it itself, later or again
/// after a restart. The socket is bound with `SO_REUSEADDR` and never
/// listens: connections are refused while the server is down, the server
/// (Redis sets `SO_REUSEADDR` too) can still bind it, and the kernel gives
/// it to no other `bind(0)` meanwhile. A port merely found free could be
/// taken by another test's server while this one's Redis was down.
struct HeldPort {
    _socket: tokio::net::TcpSocket,
    port: u16,
}

impl HeldPort {
    fn new() -> Self {
        let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
        socket.set_reuseaddr(true).expect("SO_REUSEADDR");
        socket
            .bind(([127, 0, 0, 1], 0).into())
            .expect("bind a loopback port");
        let port = socket.local_addr().expect("its address").port();
        Self {
            _socket: socket,
            port,
        }
    }
}

/// A throwaway Redis on its own port, without persistence unless it is
/// given a directory for snapshots taken on demand ([`Self::snapshot`]).
pub struct PrivateRedis {
    pub port: u16,
    _held: HeldPort,
    child: Option<ChildGuard>,
    snapshots: Option<tempfile::TempDir>,
}

impl PrivateRedis {
    /// A free port for a Redis that is not started yet ([`Self::restart`]
    /// starts it).
    pub fn reserve() -> Self {
        let held = HeldPort::new();
        Self {
            port: held.port,
            _held: held,
            child: None,
            snapshots: None,
        }
    }

    pub fn start() -> Self {
        let mut redis = Self::reserve();
        redis.restart();
        redis
    }

    /// Started with a directory for snapshots: a restart loads the last
    /// [`Self::snapshot`], as a Redis with RDB persistence does after a
    /// crash, losing what came after it.
    pub fn start_with_snapshots() -> Self {
        let mut redis = Self::reserve();
        redis.snapshots = Some(tempfile::tempdir().expect("snapshot dir"));
        redis.restart();
        redis
    }

    /// Writes a snapshot (`SAVE`) that the next restart loads.
    pub fn snapshot(&self) {
        let client = redis::Client::open(self.url()).expect("redis url");
        let mut conn = client.get_connection().expect("redis connection");
        redis::cmd("SAVE").query::<String>(&mut conn).expect("SAVE");
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill();
        }
    }

    /// Starts (again) on the same port and waits until it answers.
    pub fn restart(&mut self) {
        self.stop();
        let mut command = Command::new("redis-server");
        command.args([
            "--port",
            &self.port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]);
        if let Some(dir) = &self.snapshots {
            command.arg("--dir").arg(dir.path());
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server on PATH");
        self.child = Some(ChildGuard(child));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(client) = redis::Client::open(self.url())
                && let Ok(mut conn) = client.get_connection()
                && redis::cmd("PING").query::<String>(&mut conn).is_ok()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("private redis-server did not start");
    }
}

/// An API on PostgreSQL whose jobs go through the Redis at `redis_url`,
/// with no embedded worker (tests start `englog-worker` processes), after
/// `customise`.
pub async fn app_on_redis(
    redis_url: &str,
    customise: impl FnOnce(&mut englog_api::config::Settings) + Send + 'static,
) -> crate::helpers::TestApp {
    let redis_url = redis_url.to_owned();
    crate::helpers::spawn_app_with(crate::helpers::Backend::Postgres, move |s| {
        s.redis_url = Some(englog_api::config::Secret::new(redis_url));
        s.reports.embedded_worker = Some(false);
        customise(s);
    })
    .await
}
