use clap::Parser;
use englog_api::cli::{Cli, Command, ConnectionArgs};
use englog_api::config::Settings;
use englog_api::startup::{Application, shutdown_signal};
use englog_api::{db, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let command = cli
        .command
        .unwrap_or(Command::Serve(ConnectionArgs::default()));
    match command {
        Command::Serve(args) => {
            let settings = Settings::load(cli.config, args.into())?;
            let _telemetry = telemetry::init(&settings);
            Application::build(settings)
                .await?
                .run_until_stopped(shutdown_signal())
                .await
        }
        Command::Migrate(args) => {
            let settings = Settings::load(cli.config, args.into())?;
            let _telemetry = telemetry::init(&settings);
            let conn = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
    }
}
