//! `englog [serve|migrate]` and their flags, beside the terminal client's
//! subcommands (`login`, `log`, `ls`, …: the `englog-cli` crate).

use clap::{Parser, Subcommand};
use std::{net::SocketAddr, path::PathBuf};

use crate::config::Overrides;

#[derive(Debug, Parser)]
#[command(name = "englog", version, about = "EngLog: a self-hosted work journal")]
pub struct Cli {
    /// TOML configuration file (default: ./englog.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app, GraphQL and GraphiQL (the default).
    Serve(ConnectionArgs),
    /// Apply pending database migrations and exit.
    Migrate(ConnectionArgs),
    /// The terminal client: talks to a server with a stored API token.
    #[command(flatten)]
    Client(englog_cli::Command),
}

#[derive(Debug, clap::Args, Default)]
pub struct ConnectionArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080 (env ENGLOG_LISTEN).
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// postgres://… or sqlite://…; default: the embedded SQLite file
    /// (env ENGLOG_DATABASE_URL).
    #[arg(long)]
    pub database_url: Option<String>,
    /// redis://…; carries report jobs and rate-limit counters; default: the
    /// in-process broker (env ENGLOG_REDIS_URL).
    #[arg(long)]
    pub redis_url: Option<String>,
}

impl From<ConnectionArgs> for Overrides {
    fn from(a: ConnectionArgs) -> Self {
        Overrides {
            listen: a.listen,
            database_url: a.database_url,
            redis_url: a.redis_url,
        }
    }
}
