//! A tiny migration CLI: `DATABASE_URL=… migration [up|down|status]`.
//! `englog migrate` does the same from the main binary; this one exists for
//! operators who want migrations without the server.

use migration::Migrator;
use sea_orm_migration::{MigratorTrait, sea_orm::Database};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL")?;
    let command = std::env::args().nth(1).unwrap_or_else(|| "up".into());
    let db = Database::connect(&url).await?;
    match command.as_str() {
        "up" => Migrator::up(&db, None).await?,
        "down" => Migrator::down(&db, Some(1)).await?,
        "status" => Migrator::status(&db).await?,
        other => return Err(format!("unknown command `{other}`; use up, down or status").into()),
    }
    Ok(())
}
