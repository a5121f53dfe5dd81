use clap::Parser;
use englog_api::cli::{Cli, Command, ConnectionArgs};
use englog_api::config::Settings;
use englog_api::startup::{Application, shutdown_signal};
use englog_api::{db, telemetry};
use std::path::PathBuf;
use std::process::ExitCode;

// mimalloc instead of glibc's malloc: measured on the 50-entry list, see
// docs/PERFORMANCE.md (issue 18). The binary's choice only: the library
// and its tests keep the default allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli
        .command
        .unwrap_or(Command::Serve(ConnectionArgs::default()));
    match command {
        Command::Serve(args) => exit_code(serve(cli.config, args).await),
        Command::Migrate(args) => exit_code(migrate(cli.config, args).await),
        // The client reads no server configuration and reports its own
        // errors with its own exit codes (docs/CLI.md).
        Command::Client(command) => englog_cli::run(command).await,
    }
}

/// What `fn main() -> anyhow::Result<()>` would print and return.
fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Error: {err:?}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Option<PathBuf>, args: ConnectionArgs) -> anyhow::Result<()> {
    let settings = Settings::load(config, args.into())?;
    let _telemetry = telemetry::init(&settings);
    Application::build(settings)
        .await?
        .run_until_stopped(shutdown_signal())
        .await
}

async fn migrate(config: Option<PathBuf>, args: ConnectionArgs) -> anyhow::Result<()> {
    let settings = Settings::load(config, args.into())?;
    let _telemetry = telemetry::init(&settings);
    let conn = db::connect(&settings).await?;
    db::migrate(&conn).await?;
    tracing::info!("migrations applied");
    Ok(())
}
