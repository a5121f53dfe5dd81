//! Logging in and out, and the errors that tell a person what to do: not
//! logged in, token revoked, server unreachable.

use super::{Englog, logged_in, revoke_tokens};
use crate::helpers::{Backend, spawn_app_on};
use crate::mcp::api_token;

#[tokio::test]
async fn a_script_logs_in_with_a_token_on_stdin_and_the_file_is_private() {
    let app = spawn_app_on(Backend::Sqlite).await;
    let me = app.register("cli-login@example.com").await;
    let token = api_token(&app, &me.access, "READ_WRITE").await;
    let englog = Englog::new();

    let run = englog
        .run(
            &[
                "login",
                "--server",
                &format!("{}/", app.address),
                "--token-stdin",
            ],
            &format!("{token}\n"),
        )
        .await;
    assert!(run.ok().contains("cli-login@example.com"), "{run}");

    let stored = std::fs::read_to_string(englog.config_file()).expect("client file");
    assert!(
        stored.contains(&token) && stored.contains(&app.address),
        "{stored}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(englog.config_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir = std::fs::metadata(englog.home().join("englog")).unwrap();
        assert_eq!(dir.permissions().mode() & 0o777, 0o700);
    }

    let out = englog.run(&["logout"], "").await;
    assert!(out.ok().contains("Logged out"), "{out}");
    assert!(!englog.config_file().exists());
    let again = englog.run(&["logout"], "").await;
    assert!(again.ok().contains("Not logged in"), "{again}");
}

#[tokio::test]
async fn a_wrong_token_is_not_stored() {
    let app = spawn_app_on(Backend::Sqlite).await;
    let englog = Englog::new();
    let run = englog
        .run(
            &["login", "--server", &app.address, "--token-stdin"],
            "elg_not_a_real_token",
        )
        .await;
    assert_eq!(run.code, 3, "{run}");
    assert!(run.stderr.contains("rejected"), "{run}");
    assert!(!englog.config_file().exists());
}

#[tokio::test]
async fn without_login_every_command_says_to_log_in() {
    let englog = Englog::new();
    for args in [&["ls"][..], &["log", "Wrote code"], &["report", "weekly"]] {
        let run = englog.run(args, "").await;
        assert_eq!(run.code, 3, "{args:?}: {run}");
        assert!(run.stderr.contains("englog login"), "{run}");
        assert!(run.stdout.is_empty(), "{run}");
    }
}

#[tokio::test]
async fn a_revoked_token_gets_a_clear_message_and_exit_code_3() {
    let app = spawn_app_on(Backend::Sqlite).await;
    let (englog, me) = logged_in(&app, "cli-revoked@example.com").await;
    englog.run(&["ls"], "").await.ok();

    revoke_tokens(&app, &me.access).await;
    let run = englog.run(&["ls"], "").await;
    assert_eq!(run.code, 3, "{run}");
    assert!(
        run.stderr.contains("rejected the API token") && run.stderr.contains("englog login"),
        "{run}"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_named_with_exit_code_4() {
    // Bound then dropped: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = format!("http://127.0.0.1:{port}");
    let englog = Englog::new();
    let env = [
        ("ENGLOG_SERVER", server.as_str()),
        ("ENGLOG_TOKEN", "elg_x"),
    ];
    let run = englog.run_with(&["ls"], "", &env).await;
    assert_eq!(run.code, 4, "{run}");
    assert!(run.stderr.contains(&server), "{run}");
}
