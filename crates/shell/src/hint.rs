//! Hints: a line after bash's own error that says what the person probably meant.

use crate::exec::io::Output;

/// Writes `hint: text` (the word coloured on a terminal) to `out`.
pub async fn write(out: &Output, text: &str) {
    let line = match out {
        Output::Terminal(_) => format!("\x1b[33mhint:\x1b[0m {text}\n"),
        _ => format!("hint: {text}\n"),
    };
    let _ = out.write_all(line.as_bytes()).await;
}
