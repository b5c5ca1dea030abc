//! kplay on a real terminal (a pseudo-terminal): an interactive shell with the
//! web terminal's line editor, whose exit status is the shell's.

use rexpect::session::spawn_command;
use std::process::Command;

fn type_keys(session: &mut rexpect::session::PtySession, keys: &str) {
    session.send(keys).expect("typing");
    session.flush().expect("typing reaches kplay");
}

#[test]
fn kplay_on_a_terminal_is_an_interactive_shell() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kplay"));
    command.env("TERM", "xterm");
    let mut session = spawn_command(command, Some(10_000)).expect("kplay starts on a pty");
    session
        .exp_string("kafka_2.8.0-0.8.0")
        .expect("the prompt shows the book's distribution");
    type_keys(&mut session, "echo $((6 * 7))\r");
    session.exp_string("42").expect("the command ran");
    // Line editing: Ctrl-A goes to the start of the line.
    type_keys(&mut session, "cho edited\x01e\r");
    session
        .exp_string("edited")
        .expect("the edited command ran");
    type_keys(&mut session, "exit 4\r");
    session.exp_string("exit").expect("bash says exit");
    match session.process().wait().expect("kplay ends") {
        rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 4),
        other => panic!("kplay ended with {other:?}"),
    }
}
