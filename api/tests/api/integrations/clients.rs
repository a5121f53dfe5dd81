//! Runs the ecosystem's own GraphQL clients (pinned: npm packages in
//! `tools/graphql-clients`, PyPI packages in `tools/py-clients/site`, both
//! installed by scripts/test) against a test server.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn tools() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools")
}

pub fn schema_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql")
}

/// Output of a client script that must succeed.
fn run(mut command: Command, what: &str) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start ({e})"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// `node tools/graphql-clients/<script> <args>`.
pub fn node(script: &str, args: &[&str]) -> String {
    let dir = tools().join("graphql-clients");
    assert!(
        dir.join("node_modules/graphql-http").exists(),
        "the GraphQL clients are not installed: run `npm ci --prefix tools/graphql-clients` \
         (scripts/test does)"
    );
    let mut command = Command::new("node");
    command.arg(script).args(args).current_dir(&dir);
    run(command, script)
}

/// `python3 tools/py-clients/<script> <args>` with the pinned site.
pub fn python(script: &str, args: &[&str]) -> String {
    let dir = tools().join("py-clients");
    let site = std::env::var("ENGLOG_TEST_PY_CLIENTS_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|_| dir.join("site"));
    assert!(
        site.join("gql").exists(),
        "the Python GraphQL clients are not installed in {}: scripts/test installs them",
        site.display()
    );
    let mut command = Command::new("python3");
    command
        .arg(script)
        .args(args)
        .current_dir(&dir)
        .env("PYTHONPATH", &site);
    run(command, script)
}

pub fn json(output: &str) -> Value {
    serde_json::from_str(output.trim())
        .unwrap_or_else(|e| panic!("client output is not JSON ({e}): {output}"))
}
