//! Writes the GraphQL SDL to `schema.graphql` at the repository root (or to
//! the path given): `cargo run -p englog-api --bin export-schema`.

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql").to_owned());
    std::fs::write(&path, englog_api::graphql::sdl())?;
    println!("wrote {path}");
    Ok(())
}
