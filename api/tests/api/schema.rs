//! The committed `schema.graphql` is the server's schema.

#[test]
fn the_committed_schema_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema.graphql at the repository root");
    let current = englog_api::graphql::sdl();
    assert!(
        committed == current,
        "schema.graphql is stale: run `cargo run -p englog-api --bin export-schema` and commit it"
    );
}

#[test]
fn the_schema_export_is_deterministic() {
    assert_eq!(englog_api::graphql::sdl(), englog_api::graphql::sdl());
}
