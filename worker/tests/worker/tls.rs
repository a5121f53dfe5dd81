//! Redis over TLS (the link between the API box and the GPU box): a real
//! `redis-server` with only a TLS port, a certificate signed by a private CA
//! made here with `openssl`, and the broker connecting with `rediss://`.

use englog_core::jobs::Job;
use englog_core::{ImpactLevel, ValueRating};
use englog_worker::broker::{BrokerTiming, RedisBroker, redis_client};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{entry, job};

/// A TLS-only Redis on a free loopback port, killed when dropped.
struct TlsRedis {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("openssl runs (is it installed?)");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A private CA and a server certificate for 127.0.0.1 signed by it.
fn make_certificates(dir: &Path) {
    run(Command::new("openssl")
        .current_dir(dir)
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=EngLog test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ]));
    run(Command::new("openssl")
        .current_dir(dir)
        .args([
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .args(["-keyout", "redis.key", "-out", "redis.csr"]));
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )
    .expect("writes san.ext");
    run(Command::new("openssl")
        .current_dir(dir)
        .args([
            "x509",
            "-req",
            "-in",
            "redis.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
        ])
        .args(["-CAcreateserial", "-days", "2", "-extfile", "san.ext"])
        .args(["-out", "redis.crt"]));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start_tls_redis() -> TlsRedis {
    let dir = std::env::temp_dir().join(format!("englog-tls-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    make_certificates(&dir);
    let port = free_port();
    let child = Command::new("redis-server")
        .current_dir(&dir)
        .args(["--port", "0", "--tls-port", &port.to_string()])
        .args(["--bind", "127.0.0.1"])
        .args([
            "--tls-cert-file",
            "redis.crt",
            "--tls-key-file",
            "redis.key",
        ])
        .args(["--tls-ca-cert-file", "ca.crt", "--tls-auth-clients", "no"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server runs (is it installed?)");
    let server = TlsRedis { child, port, dir };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("TLS redis-server did not listen on {port}");
}

const TIMING: BrokerTiming = BrokerTiming {
    reclaim_after: Duration::from_secs(30),
};

#[tokio::test]
async fn jobs_travel_over_tls_to_a_redis_signed_by_a_private_ca() {
    let redis = start_tls_redis().await;
    let url = format!("rediss://127.0.0.1:{}", redis.port);
    let client = redis_client(&url, Some(&redis.dir.join("ca.crt"))).expect("client");
    let broker = RedisBroker::connect_client(client, "englog_tls_test", TIMING)
        .await
        .expect("connects over TLS");

    let sent = Job::Report(job(vec![entry(1, ValueRating::High, ImpactLevel::Team)]));
    broker.publish_job(&sent).await.expect("publishes");
    let delivery = broker
        .next_job("tls-consumer", Duration::from_secs(2))
        .await
        .expect("reads")
        .expect("a job");
    assert_eq!(delivery.job, sent);
}

#[tokio::test]
async fn a_certificate_from_an_unknown_ca_is_refused() {
    let redis = start_tls_redis().await;
    let url = format!("rediss://127.0.0.1:{}", redis.port);
    // No CA file: the system roots do not know the private CA.
    let client = redis_client(&url, None).expect("client");
    let refused = RedisBroker::connect_client(client, "englog_tls_test", TIMING).await;
    let Err(refused) = refused else {
        panic!("a certificate from an unknown CA was accepted");
    };
    let message = refused.to_string();
    assert!(
        message.to_lowercase().contains("certificate"),
        "unexpected error: {message}"
    );
}

#[tokio::test]
async fn a_missing_ca_file_is_a_clear_error() {
    let Err(err) = redis_client(
        "rediss://127.0.0.1:6380",
        Some(Path::new("/nonexistent/ca.crt")),
    ) else {
        panic!("a missing CA file was accepted");
    };
    assert!(err.to_string().contains("/nonexistent/ca.crt"), "{err}");
}
