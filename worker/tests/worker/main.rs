//! The worker crate's one integration-test binary.

#[path = "../../src/fake_ollama.rs"]
#[allow(dead_code)]
mod fake_ollama;

mod broker_contract;
mod enrich;
mod model_server;
mod quality_gate;
mod real_model;
mod step;
mod support;
mod tls;
