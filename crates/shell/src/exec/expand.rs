//! Word expansion, in bash's order: tilde, parameters, command substitution
//! and arithmetic, then field splitting, pathname expansion (globs) and quote
//! removal.

use std::cell::RefCell;
use std::rc::Rc;

use crate::exec::arith;
use crate::exec::glob;
use crate::exec::interp::{Flow, Interp};
use crate::exec::io::{Output, Stdio};
use crate::syntax::{Param, ParamOp, Part, Script, Word};

/// An expansion that failed; the command does not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpandError {
    /// `${x:?message}`
    Unset {
        name: String,
        message: String,
    },
    Arithmetic(String),
}

impl ExpandError {
    /// The text after `bash: `.
    pub fn message(&self) -> String {
        match self {
            ExpandError::Unset { name, message } => format!("{name}: {message}"),
            ExpandError::Arithmetic(m) => m.clone(),
        }
    }
}

/// A piece of an expanded word: text and whether quoting protects it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text {
        text: String,
        quoted: bool,
        /// The result of an unquoted expansion: split into fields on blanks.
        splittable: bool,
    },
    /// A boundary between fields that quoting cannot remove (`"$@"`).
    FieldBreak,
}

/// A field after splitting: characters with their quoting, for globbing.
pub type Field = Vec<(char, bool)>;

type ExpandResult<T> = Result<T, ExpandError>;

impl Interp {
    /// Expands command words into fields (arguments).
    pub async fn expand_words(&self, words: &[Word], io: &Stdio) -> ExpandResult<Vec<String>> {
        let mut out = Vec::new();
        for word in words {
            let pieces = self.expand_parts(&word.parts, false, io).await?;
            for field in split_fields(pieces) {
                let cwd = self.env().cwd().to_owned();
                let fs = self.session.fs.borrow();
                match glob::expand(&fs, &cwd, &field) {
                    Some(matches) => out.extend(matches),
                    None => out.push(field.iter().map(|(c, _)| c).collect()),
                }
            }
        }
        Ok(out)
    }

    /// Expands a word to one string: no splitting, no globbing (assignments, redirections).
    pub async fn expand_word_single(&self, word: &Word, io: &Stdio) -> ExpandResult<String> {
        let pieces = self.expand_parts(&word.parts, false, io).await?;
        Ok(pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text { text, .. } => text,
                Piece::FieldBreak => " ".to_owned(),
            })
            .collect())
    }

    fn expand_parts<'a>(
        &'a self,
        parts: &'a [Part],
        in_quotes: bool,
        io: &'a Stdio,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ExpandResult<Vec<Piece>>> + 'a>> {
        Box::pin(async move {
            let mut pieces = Vec::new();
            for part in parts {
                match part {
                    Part::Literal { text, quoted } => pieces.push(Piece::Text {
                        text: text.clone(),
                        quoted: *quoted || in_quotes,
                        splittable: false,
                    }),
                    Part::DoubleQuoted(inner) => {
                        let inner = self.expand_parts(inner, true, io).await?;
                        if inner.is_empty() {
                            pieces.push(quoted_text(String::new()));
                        }
                        pieces.extend(inner);
                    }
                    Part::Tilde(user) => pieces.push(quoted_text(self.tilde(user))),
                    Part::Param(param) => {
                        pieces.extend(self.expand_param(param, in_quotes, io).await?)
                    }
                    Part::CommandSubst(script) => {
                        let text = self.command_substitution(script.clone(), io).await;
                        pieces.push(expansion(text, in_quotes));
                    }
                    Part::Arithmetic(expr) => {
                        let text = self.expand_word_single(expr, io).await?;
                        let value = arith::evaluate(&text, &mut |name| {
                            self.env().get(name).map(str::to_owned)
                        })
                        .map_err(ExpandError::Arithmetic)?;
                        pieces.push(expansion(value.to_string(), in_quotes));
                    }
                }
            }
            Ok(pieces)
        })
    }

    fn tilde(&self, user: &str) -> String {
        let env = self.env();
        match user {
            "" => env.home(),
            "root" => "/root".to_owned(),
            "+" => env.cwd().to_owned(),
            "-" => env.get("OLDPWD").unwrap_or("~-").to_owned(),
            other => format!("~{other}"),
        }
    }

    /// `$x`, `${x:-w}`, `$@`, ...
    async fn expand_param(
        &self,
        param: &Param,
        in_quotes: bool,
        io: &Stdio,
    ) -> ExpandResult<Vec<Piece>> {
        if matches!(param.op, ParamOp::Plain) && (param.name == "@" || param.name == "*") {
            return Ok(self.positional_pieces(param.name == "@", in_quotes));
        }
        let value = self.param_value(&param.name);
        let is_set = value.is_some();
        let is_null = value.as_deref().is_none_or(str::is_empty);
        let text = match &param.op {
            ParamOp::Plain => value.unwrap_or_default(),
            ParamOp::Length => value.unwrap_or_default().chars().count().to_string(),
            ParamOp::Default { colon, word } => {
                if !is_set || (*colon && is_null) {
                    return self.expand_parts(&word.parts, in_quotes, io).await;
                }
                value.unwrap_or_default()
            }
            ParamOp::Assign { colon, word } => {
                if !is_set || (*colon && is_null) {
                    let text = self.expand_word_single(word, io).await?;
                    self.env_mut().set(&param.name, text.clone());
                    text
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Alternative { colon, word } => {
                if !is_set || (*colon && is_null) {
                    String::new()
                } else {
                    return self.expand_parts(&word.parts, in_quotes, io).await;
                }
            }
            ParamOp::Error { colon, word } => {
                if !is_set || (*colon && is_null) {
                    let mut message = self.expand_word_single(word, io).await?;
                    if message.is_empty() {
                        message = "parameter null or not set".to_owned();
                    }
                    return Err(ExpandError::Unset {
                        name: param.name.clone(),
                        message,
                    });
                }
                value.unwrap_or_default()
            }
        };
        Ok(vec![expansion(text, in_quotes)])
    }

    fn positional_pieces(&self, at: bool, in_quotes: bool) -> Vec<Piece> {
        let args = self.env().positional.clone();
        if in_quotes && !at {
            return vec![quoted_text(args.join(" "))];
        }
        let mut pieces = Vec::new();
        for (i, arg) in args.into_iter().enumerate() {
            if i > 0 {
                pieces.push(if in_quotes {
                    Piece::FieldBreak
                } else {
                    expansion(" ".to_owned(), false)
                });
            }
            pieces.push(expansion(arg, in_quotes));
        }
        pieces
    }

    /// The value of a parameter, `None` when unset.
    fn param_value(&self, name: &str) -> Option<String> {
        let env = self.env();
        match name {
            "?" => Some(env.last_status.to_string()),
            "$" => Some(self.session.shell_pid.to_string()),
            "!" => self
                .session
                .last_background_pid
                .get()
                .map(|p| p.to_string()),
            "#" => Some(env.positional.len().to_string()),
            "0" => Some("bash".to_owned()),
            "-" => Some("himBHs".to_owned()),
            "RANDOM" => Some(
                self.session
                    .shared
                    .world
                    .borrow_mut()
                    .random_below(32_768)
                    .to_string(),
            ),
            "SECONDS" => None,
            n if n.bytes().all(|b| b.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                env.positional.get(i.checked_sub(1)?).cloned()
            }
            n => env.get(n).map(str::to_owned),
        }
    }

    /// Runs `$(...)` in a subshell and returns its output without trailing newlines.
    async fn command_substitution(&self, script: Script, io: &Stdio) -> String {
        let captured = Rc::new(RefCell::new(Vec::new()));
        let sub = self.subshell();
        let sub_io = Stdio {
            stdin: io.stdin.clone(),
            stdout: Output::Capture(captured.clone()),
            stderr: io.stderr.clone(),
        };
        let status = match sub.run_script(script, sub_io).await {
            Flow::Exit(code) => code,
            _ => sub.status(),
        };
        self.set_status(status);
        let bytes = captured.borrow();
        let text = String::from_utf8_lossy(&bytes);
        text.trim_end_matches('\n').to_owned()
    }
}

fn quoted_text(text: String) -> Piece {
    Piece::Text {
        text,
        quoted: true,
        splittable: false,
    }
}

/// The result of an expansion: split and globbed unless inside double quotes.
fn expansion(text: String, in_quotes: bool) -> Piece {
    Piece::Text {
        text,
        quoted: in_quotes,
        splittable: !in_quotes,
    }
}

/// Splits expanded pieces into fields on blanks, as bash does with the default IFS.
fn split_fields(pieces: Vec<Piece>) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut current: Field = Vec::new();
    // A field exists once anything, even an empty quoted string, went into it.
    let mut started = false;
    for piece in pieces {
        match piece {
            Piece::FieldBreak => {
                fields.push(std::mem::take(&mut current));
                started = false;
            }
            Piece::Text {
                text,
                quoted,
                splittable,
            } => {
                if quoted && !splittable {
                    started = true;
                }
                for c in text.chars() {
                    if splittable && matches!(c, ' ' | '\t' | '\n') {
                        if started {
                            fields.push(std::mem::take(&mut current));
                            started = false;
                        }
                    } else {
                        current.push((c, quoted));
                        started = true;
                    }
                }
            }
        }
    }
    if started {
        fields.push(current);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str, quoted: bool, splittable: bool) -> Piece {
        Piece::Text {
            text: t.to_owned(),
            quoted,
            splittable,
        }
    }

    fn strings(fields: Vec<Field>) -> Vec<String> {
        fields
            .into_iter()
            .map(|f| f.into_iter().map(|(c, _)| c).collect())
            .collect()
    }

    #[test]
    fn unquoted_expansions_split_on_blanks_literals_do_not() {
        let fields = split_fields(vec![
            text("a", false, false),
            text(" b  c ", false, true),
            text("d", false, false),
        ]);
        assert_eq!(strings(fields), ["a", "b", "c", "d"]);
        let fields = split_fields(vec![
            text("a", false, false),
            text("b c", false, true),
            text("d", false, false),
        ]);
        assert_eq!(strings(fields), ["ab", "cd"]);
    }

    #[test]
    fn an_empty_quoted_string_is_a_field_an_empty_expansion_is_not() {
        assert_eq!(strings(split_fields(vec![text("", true, false)])), [""]);
        assert!(split_fields(vec![text("", false, true)]).is_empty());
    }
}
