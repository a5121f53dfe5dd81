//! `englog login` and `englog logout`: the stored server and token.

use crate::config::{self, Credentials};
use crate::error::CliError;
use crate::gql::Api;
use crate::profile::Profile;
use crate::tty;

#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// The server, e.g. https://englog.example.org (default: ENGLOG_SERVER,
    /// else the one stored by the last login).
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// Read the token from stdin (its first line) instead of prompting.
    #[arg(long)]
    pub token_stdin: bool,
}

pub async fn run(args: LoginArgs) -> Result<(), CliError> {
    let path = config::path()?;
    let server = match args
        .server
        .or_else(|| std::env::var(config::SERVER_ENV).ok())
    {
        Some(s) => s,
        None => config::load_file(&path)?.map(|c| c.server).ok_or_else(|| {
            CliError::usage("which server? run `englog login --server https://…`")
        })?,
    };
    let server = config::normalize_server(&server)?;
    let token = if args.token_stdin {
        tty::read_line()?
    } else {
        tty::read_secret("API token (create one in the web app under Settings → API tokens): ")?
    };
    if token.is_empty() {
        return Err(CliError::usage("no token given; nothing was stored"));
    }
    let credentials = Credentials { server, token };
    // Checked before it is stored: a typo is caught now, not at next use.
    let profile = Profile::fetch(&Api::new(&credentials)?).await?;
    config::save(&path, &credentials)?;
    println!(
        "Logged in to {} as {} ({}); credentials stored in {}",
        credentials.server,
        profile.email,
        profile.name,
        path.display()
    );
    Ok(())
}

pub fn logout() -> Result<(), CliError> {
    let path = config::path()?;
    if config::remove(&path)? {
        println!(
            "Logged out: removed {}. The token itself still works until you revoke it in the web app (Settings → API tokens).",
            path.display()
        );
    } else {
        println!("Not logged in: nothing stored at {}.", path.display());
    }
    if std::env::var_os(config::TOKEN_ENV).is_some() {
        eprintln!("englog: note: ENGLOG_TOKEN is set in your environment and is still used");
    }
    Ok(())
}
