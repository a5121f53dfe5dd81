//! One module per subcommand: its flags and what it does.

pub mod capture;
pub mod edit;
pub mod log;
pub mod login;
pub mod ls;
pub mod mcp;
pub mod report;
pub mod rm;

/// Prints `value` as pretty JSON on stdout (`--json`).
pub fn print_json(value: &impl serde::Serialize) -> Result<(), crate::CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| crate::CliError::local(format!("cannot encode JSON: {e}")))?;
    println!("{text}");
    Ok(())
}
