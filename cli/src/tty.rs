//! Talking to a person at a terminal: the token prompt without echo and
//! yes/no questions. Both read plain lines when stdin is not a terminal.

use std::io::{BufRead, IsTerminal, Write};

use crate::error::CliError;

pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// A secret: typed without echo on a terminal, else the first line of
/// stdin.
pub fn read_secret(prompt: &str) -> Result<String, CliError> {
    if stdin_is_terminal() {
        rpassword::prompt_password(prompt)
            .map_err(|e| CliError::local(format!("cannot read the token: {e}")))
    } else {
        read_line()
    }
}

/// One line of stdin without its line ending.
pub fn read_line() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::local(format!("cannot read stdin: {e}")))?;
    Ok(line.trim().to_owned())
}

/// Asks `question [y/N]` on stderr; only `y`/`yes` agree.
pub fn confirm(question: &str) -> Result<bool, CliError> {
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let answer = read_line()?;
    Ok(matches!(answer.to_lowercase().as_str(), "y" | "yes"))
}
