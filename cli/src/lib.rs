//! EngLog's terminal client: the `englog login|logout|log|ls|edit|rm|report|mcp|capture`
//! subcommands of the `englog` binary, talking to a server's GraphQL API
//! with an API token (docs/CLI.md).
//!
//! The binary flattens [`Command`] beside `serve` and `migrate` and awaits
//! [`run`] inside its runtime. Nothing here installs a tracing subscriber:
//! errors go to stderr as one sentence saying what to do, and stdout holds
//! only the command's output (or, for `mcp --stdio`, only JSON-RPC).

mod args;
mod capture;
mod commands;
mod config;
mod entry;
mod error;
mod gql;
mod lookup;
mod period;
mod profile;
mod sse;
mod table;
mod times;
mod tty;

use clap::Subcommand;
use std::process::ExitCode;

pub use error::CliError;

/// Exit codes, shown at the end of each client command's `--help`.
const EXIT_CODES: &str = "Exit codes: 0 ok; 1 the server refused or failed the request; 2 usage; \
3 not logged in or token rejected (run `englog login`); 4 server unreachable; \
5 report failed or cancelled (with --follow).";

/// The client's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Store a server URL and an API token (created in the web app under
    /// Settings → API tokens) after checking them.
    #[command(after_help = EXIT_CODES)]
    Login(commands::login::LoginArgs),
    /// Forget the stored server and token.
    #[command(after_help = EXIT_CODES)]
    Logout,
    /// Log an entry: `englog log "Fixed checkout 502 #incident +Payments ~debug -45m"`.
    #[command(after_help = commands::log::AFTER_HELP)]
    Log(commands::log::LogArgs),
    /// List entries, grouped by day (`--json` for scripts).
    #[command(after_help = EXIT_CODES)]
    Ls(commands::ls::LsArgs),
    /// Change an entry (by full id or the 8-character id `ls` shows).
    #[command(after_help = EXIT_CODES)]
    Edit(commands::edit::EditArgs),
    /// Delete an entry.
    #[command(after_help = EXIT_CODES)]
    Rm(commands::rm::RmArgs),
    /// Request a report; `--follow` prints it as it is written.
    #[command(after_help = EXIT_CODES)]
    Report(commands::report::ReportArgs),
    /// Bridge an MCP client that speaks stdio (Claude Desktop) to the
    /// server's `/mcp` with the stored token.
    #[command(after_help = EXIT_CODES)]
    Mcp(commands::mcp::McpArgs),
    /// Turn local activity into drafts to review: `englog capture git [PATH…]`.
    #[command(after_help = EXIT_CODES)]
    Capture(commands::capture::CaptureArgs),
}

/// Runs a client command; errors are printed to stderr here.
pub async fn run(command: Command) -> ExitCode {
    // wss:// and https:// go through rustls; pick its crypto provider once
    // (the API's and worker's TLS use the same one).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let result = match command {
        Command::Login(a) => commands::login::run(a).await,
        Command::Logout => commands::login::logout(),
        Command::Log(a) => commands::log::run(a).await,
        Command::Ls(a) => commands::ls::run(a).await,
        Command::Edit(a) => commands::edit::run(a).await,
        Command::Rm(a) => commands::rm::run(a).await,
        Command::Report(a) => commands::report::run(a).await,
        Command::Mcp(a) => commands::mcp::run(a).await,
        Command::Capture(a) => commands::capture::run(a).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("englog: {e}");
            e.exit_code()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_parse() {
        let cli = Cli::try_parse_from([
            "englog",
            "log",
            "Reviewed PR 812 #payments",
            "-t",
            "review",
            "-p",
            "Payments",
            "--tag",
            "a",
            "--tag",
            "b",
            "-d",
            "45m",
            "--value",
            "HIGH",
            "--impact",
            "team",
            "--note",
            "n",
            "--draft",
            "--json",
        ])
        .unwrap();
        assert!(matches!(cli.command, Command::Log(_)));
        let cli = Cli::try_parse_from(["englog", "log", "x", "--start", "-45m", "--end", "now"]);
        assert!(cli.is_ok(), "{cli:?}");
        assert!(Cli::try_parse_from(["englog", "log", "x", "-t", "coding"]).is_err());
        assert!(Cli::try_parse_from(["englog", "report", "weekly", "--follow"]).is_ok());
        assert!(Cli::try_parse_from(["englog", "ls", "--today", "--week"]).is_err());
        assert!(Cli::try_parse_from(["englog", "mcp", "--stdio"]).is_ok());
        assert!(
            Cli::try_parse_from([
                "englog",
                "capture",
                "git",
                "a",
                "b",
                "--since",
                "2026-03-01",
                "--author",
                "ada@example.com",
                "--dry-run"
            ])
            .is_ok()
        );
    }
}
