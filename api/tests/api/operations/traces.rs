//! The OTLP/HTTP receiver for the tracing test (`tools/py-clients/
//! otlp_receiver.py`, decoding with PyPI `opentelemetry-proto`): a child
//! process whose span lines are collected as they arrive.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use crate::processes::ChildGuard;

pub struct OtlpReceiver {
    _child: ChildGuard,
    pub endpoint: String,
    spans: Arc<Mutex<Vec<Value>>>,
}

impl OtlpReceiver {
    pub fn start() -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/py-clients");
        let site = std::env::var("ENGLOG_TEST_PY_CLIENTS_PATH")
            .map(PathBuf::from)
            .unwrap_or_else(|_| dir.join("site"));
        assert!(
            site.join("opentelemetry").exists(),
            "opentelemetry-proto is not installed in {}: scripts/test installs it",
            site.display()
        );
        let mut child = Command::new("python3")
            .arg(dir.join("otlp_receiver.py"))
            .env("PYTHONPATH", &site)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the OTLP receiver");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines
            .next()
            .and_then(Result::ok)
            .expect("the receiver says where it listens");
        let port = first
            .strip_prefix("listening ")
            .and_then(|p| p.trim().parse::<u16>().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {first}"));
        let spans = Arc::new(Mutex::new(Vec::new()));
        let sink = spans.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if let Ok(span) = serde_json::from_str::<Value>(&line)
                    && let Ok(mut spans) = sink.lock()
                {
                    spans.push(span);
                }
            }
        });
        Self {
            _child: ChildGuard(child),
            endpoint: format!("http://127.0.0.1:{port}/v1/traces"),
            spans,
        }
    }

    pub fn spans(&self) -> Vec<Value> {
        self.spans.lock().map(|s| s.clone()).unwrap_or_default()
    }
}
