//! Words: quoting, escapes and the expansions written inside a word
//! (`$x`, `${x:-w}`, `$(...)`, `` `...` ``, `$((...))`, `~`).

use super::{parse_nested, PResult, ParseError, Parser, Tok, Unterminated};
use crate::syntax::ast::*;

impl Parser {
    pub(super) fn word(&mut self) -> PResult<Word> {
        let mut parts = Parts::default();
        if self.at(0) == Some('~') {
            self.tilde(&mut parts);
        }
        self.word_parts(&mut parts, is_metacharacter)?;
        Ok(Word { parts: parts.0 })
    }

    /// `'...'`, `"..."`, `$...` or `` `...` `` where quoting is off (a word, `${x:-word}`).
    fn quoted_or_expansion(&mut self, parts: &mut Parts) -> PResult<()> {
        match self.at(0) {
            Some('\'') => {
                self.pos += 1;
                let mut text = String::new();
                loop {
                    match self.at(0) {
                        None => return Err(ParseError::Incomplete(Unterminated::Quote('\''))),
                        Some('\'') => break,
                        Some(ch) => text.push(ch),
                    }
                    self.pos += 1;
                }
                self.pos += 1;
                parts.push(Part::Literal { text, quoted: true });
            }
            Some('"') => {
                self.pos += 1;
                let inner = self.double_quoted()?;
                parts.push(Part::DoubleQuoted(inner));
            }
            Some('$') => self.dollar(parts, false)?,
            Some('`') => {
                let script = self.backtick(false)?;
                parts.push(Part::CommandSubst(script));
            }
            other => unreachable!("not a quote or expansion: {other:?}"),
        }
        Ok(())
    }

    /// `~`, `~user`, `~+`, `~-` up to the first `/` (only unquoted name characters).
    fn tilde(&mut self, parts: &mut Parts) {
        let mut len = 1;
        while let Some(c) = self.at(len) {
            if c == '/' || !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+')) {
                break;
            }
            len += 1;
        }
        let after = self.at(len);
        if matches!(
            after,
            None | Some('/' | ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | ')')
        ) {
            let user: String = self.chars[self.pos + 1..self.pos + len].iter().collect();
            self.pos += len;
            parts.push(Part::Tilde(user));
        }
    }

    /// The inside of `"..."`, after the opening quote, through the closing one.
    fn double_quoted(&mut self) -> PResult<Vec<Part>> {
        let mut parts = Parts::default();
        loop {
            let Some(c) = self.at(0) else {
                return Err(ParseError::Incomplete(Unterminated::Quote('"')));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(parts.0);
                }
                '\\' => match self.at(1) {
                    None => return Err(ParseError::Incomplete(Unterminated::Quote('"'))),
                    Some('\n') => self.pos += 2,
                    Some(next @ ('$' | '`' | '"' | '\\')) => {
                        parts.literal(next, true);
                        self.pos += 2;
                    }
                    Some(_) => {
                        parts.literal('\\', true);
                        self.pos += 1;
                    }
                },
                '$' => self.dollar(&mut parts, true)?,
                '`' => {
                    let script = self.backtick(true)?;
                    parts.push(Part::CommandSubst(script));
                }
                _ => {
                    parts.literal(c, true);
                    self.pos += 1;
                }
            }
        }
    }

    /// `$name`, `${...}`, `$(...)`, `$((...))`, or a lone `$`.
    fn dollar(&mut self, parts: &mut Parts, quoted: bool) -> PResult<()> {
        let next = self.at(1);
        match next {
            Some('(') if self.at(2) == Some('(') => {
                self.pos += 3;
                let expr = self.arithmetic_text()?;
                let word = Parser::nested(&expr, self.depth + 1).double_quoted_text()?;
                parts.push(Part::Arithmetic(word));
            }
            Some('(') => {
                self.pos += 2;
                let script = self.nested_script()?;
                parts.push(Part::CommandSubst(script));
            }
            Some('{') => {
                self.pos += 2;
                let param = self.deeper(Parser::braced_param)?;
                parts.push(Part::Param(param));
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                self.pos += 1;
                let mut name = String::new();
                while let Some(c) = self
                    .at(0)
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                {
                    name.push(c);
                    self.pos += 1;
                }
                parts.push(Part::Param(Param {
                    name,
                    op: ParamOp::Plain,
                }));
            }
            Some(c) if c.is_ascii_digit() || "?$!#@*-".contains(c) => {
                self.pos += 2;
                parts.push(Part::Param(Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                }));
            }
            _ => {
                parts.literal('$', quoted);
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// The body of `$( ... )` after `$(`, through the `)`.
    fn nested_script(&mut self) -> PResult<Script> {
        self.peeked = None;
        let script = match self.list_until(&[], true) {
            Err(ParseError::Incomplete(Unterminated::More)) => {
                return Err(ParseError::Incomplete(Unterminated::Paren))
            }
            other => other?,
        };
        match self.peek()? {
            Tok::Op(")") => {
                self.advance();
                self.peeked = None;
                Ok(script)
            }
            Tok::Eof => Err(ParseError::Incomplete(Unterminated::Paren)),
            _ => Err(self.unexpected()),
        }
    }

    /// The text of `$(( ... ))` after `$((`, through the closing `))`.
    fn arithmetic_text(&mut self) -> PResult<String> {
        let mut depth = 0usize;
        let mut text = String::new();
        loop {
            match self.at(0) {
                None => return Err(ParseError::Incomplete(Unterminated::Paren)),
                Some('(') => depth += 1,
                Some(')') if depth == 0 => {
                    if self.at(1) == Some(')') {
                        self.pos += 2;
                        return Ok(text);
                    }
                    return Err(ParseError::Syntax { near: ")".into() });
                }
                Some(')') => depth -= 1,
                _ => {}
            }
            text.push(self.at(0).expect("checked above"));
            self.pos += 1;
        }
    }

    /// Text in which `$` expansions count but quotes are plain characters.
    fn double_quoted_text(&mut self) -> PResult<Word> {
        let mut parts = Parts::default();
        while let Some(c) = self.at(0) {
            if c == '$' {
                self.dollar(&mut parts, true)?;
            } else {
                parts.literal(c, true);
                self.pos += 1;
            }
        }
        Ok(Word { parts: parts.0 })
    }

    /// `` `...` ``: the text up to the closing backtick, unescaped, then parsed.
    fn backtick(&mut self, in_double_quotes: bool) -> PResult<Script> {
        self.pos += 1;
        let mut text = String::new();
        loop {
            match self.at(0) {
                None => return Err(ParseError::Incomplete(Unterminated::Quote('`'))),
                Some('`') => break,
                Some('\\') => {
                    let next = self.at(1);
                    let escapes = matches!(next, Some('$' | '`' | '\\'))
                        || (in_double_quotes && next == Some('"'));
                    if escapes {
                        text.push(next.expect("matched"));
                        self.pos += 2;
                        continue;
                    }
                    text.push('\\');
                }
                Some(c) => text.push(c),
            }
            self.pos += 1;
        }
        self.pos += 1;
        parse_nested(&text, self.depth + 1)
    }

    /// `${...}` after `${`, through the closing `}`.
    fn braced_param(&mut self) -> PResult<Param> {
        let start = self.pos;
        let length = self.at(0) == Some('#') && self.at(1).is_some_and(|c| c != '}');
        if length {
            self.pos += 1;
        }
        let mut name = String::new();
        match self.at(0) {
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                while let Some(c) = self
                    .at(0)
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() || "?$!#@*-".contains(c) => {
                name.push(c);
                self.pos += 1;
            }
            None => return Err(ParseError::Incomplete(Unterminated::Brace)),
            _ => {}
        }
        let op_start = self.pos;
        let colon = self.at(0) == Some(':');
        if colon {
            self.pos += 1;
        }
        let op_char = self.at(0);
        let op = match op_char {
            Some('}') if !colon => {
                self.pos += 1;
                if name.is_empty() {
                    return Err(self.bad_substitution(start));
                }
                return Ok(Param {
                    name,
                    op: if length {
                        ParamOp::Length
                    } else {
                        ParamOp::Plain
                    },
                });
            }
            Some('-' | '=' | '+' | '?') if !name.is_empty() && !length => {
                self.pos += 1;
                let word = self.brace_word()?;
                match op_char {
                    Some('-') => ParamOp::Default { colon, word },
                    Some('=') => ParamOp::Assign { colon, word },
                    Some('+') => ParamOp::Alternative { colon, word },
                    _ => ParamOp::Error { colon, word },
                }
            }
            None => return Err(ParseError::Incomplete(Unterminated::Brace)),
            _ => {
                self.pos = op_start;
                return Err(self.bad_substitution(start));
            }
        };
        Ok(Param { name, op })
    }

    /// The word inside `${x:-word}`, through the closing `}`.
    fn brace_word(&mut self) -> PResult<Word> {
        let mut parts = Parts::default();
        self.word_parts(&mut parts, |c| c == '}')?;
        if self.at(0).is_none() {
            return Err(ParseError::Incomplete(Unterminated::Brace));
        }
        self.pos += 1;
        Ok(Word { parts: parts.0 })
    }

    /// Reads the parts of an unquoted word up to a character `stop` accepts
    /// (left unread) or the end of the input.
    fn word_parts(&mut self, parts: &mut Parts, stop: fn(char) -> bool) -> PResult<()> {
        while let Some(c) = self.at(0).filter(|c| !stop(*c)) {
            match c {
                '\\' => match self.at(1) {
                    None => return Err(ParseError::Incomplete(Unterminated::More)),
                    Some('\n') => self.pos += 2,
                    Some(next) => {
                        parts.literal(next, true);
                        self.pos += 2;
                    }
                },
                '\'' | '"' | '$' | '`' => self.quoted_or_expansion(parts)?,
                _ => {
                    parts.literal(c, false);
                    self.pos += 1;
                }
            }
        }
        Ok(())
    }

    /// `${...}` text from `start` to the closing brace, for the error message.
    fn bad_substitution(&mut self, start: usize) -> ParseError {
        let mut end = self.pos;
        while end < self.chars.len() && self.chars[end] != '}' {
            end += 1;
        }
        let inner: String = self.chars[start..end].iter().collect();
        self.pos = (end + 1).min(self.chars.len());
        ParseError::BadSubstitution(format!("${{{inner}}}"))
    }
}

/// Parts of a word under construction; adjacent literals of the same quoting merge.
#[derive(Default)]
struct Parts(Vec<Part>);

impl Parts {
    fn literal(&mut self, c: char, quoted: bool) {
        if let Some(Part::Literal { text, quoted: q }) = self.0.last_mut() {
            if *q == quoted {
                text.push(c);
                return;
            }
        }
        self.0.push(Part::Literal {
            text: c.to_string(),
            quoted,
        });
    }

    fn push(&mut self, part: Part) {
        self.0.push(part);
    }
}

/// The characters that end an unquoted word.
fn is_metacharacter(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}
