//! Properties of the shell language over many generated inputs.

use proptest::prelude::*;
use shell::ansi::PlainText;
use shell::exec::io::Screen;
use shell::syntax::parse;
use shell::transcript::{TypedSession, DEFAULT_SETTLE};
use shell::PlaygroundConfig;

fn session() -> TypedSession {
    // Wide enough that no generated line wraps on screen.
    TypedSession::new(
        PlaygroundConfig::default(),
        "kafka-1",
        DEFAULT_SETTLE,
        1000,
        24,
    )
    .expect("kafka-1 exists")
}

/// Types `command` and returns the lines it printed (without the echoed command and the next prompt).
fn output_of(session: &mut TypedSession, command: &str) -> Vec<String> {
    let screen = session.type_line(command);
    let mut lines: Vec<String> = screen.lines().map(str::to_owned).collect();
    assert!(
        lines.remove(0).ends_with(command),
        "the command is echoed first"
    );
    lines
}

fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Text a person can type on one line: no control characters.
fn typable() -> impl Strategy<Value = String> {
    "[^\\p{Cc}]{0,40}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn quoted_text_comes_back_unchanged(text in typable()) {
        let mut s = session();
        let word = format!("x{text}");
        prop_assert_eq!(output_of(&mut s, &format!("echo {}", single_quoted(&word))), vec![word.clone()]);
        prop_assert_eq!(output_of(&mut s, &format!("echo {}", double_quoted(&word))), vec![word.clone()]);
        // Through a variable, a pipe and a command substitution too.
        let assign = format!("v={}", single_quoted(&word));
        prop_assert_eq!(output_of(&mut s, &assign), Vec::<String>::new());
        prop_assert_eq!(output_of(&mut s, "echo \"$v\" | cat"), vec![word.clone()]);
        prop_assert_eq!(output_of(&mut s, "echo \"$(echo \"$v\")\""), vec![word]);
    }

    #[test]
    fn unquoted_words_are_split_on_blanks(words in prop::collection::vec("[a-z0-9]{1,8}", 1..8)) {
        let mut s = session();
        let line = words.join("   ");
        prop_assert_eq!(output_of(&mut s, &format!("v='{line}'; for w in $v; do echo \"<$w>\"; done")),
            words.iter().map(|w| format!("<{w}>")).collect::<Vec<_>>());
    }

    #[test]
    fn the_parser_never_panics(input in "[a-z0-9 '\"`$(){}|&;<>\\\\\n#*?~=!-]{0,60}") {
        // Any answer is fine; a panic or a hang is not.
        let _ = parse(&input);
    }

    #[test]
    fn the_screen_passes_text_through_in_any_chunks(text in "\\PC{0,80}", cut in 0usize..200) {
        let screen = Screen::default();
        let bytes = text.as_bytes();
        let cut = cut.min(bytes.len());
        screen.write(&bytes[..cut]);
        let mut shown = screen.take();
        screen.write(&bytes[cut..]);
        shown.push_str(&screen.take());
        let mut plain = PlainText::default();
        let rendered = plain.feed(&shown) + &plain.partial();
        prop_assert_eq!(rendered, text);
    }
}
