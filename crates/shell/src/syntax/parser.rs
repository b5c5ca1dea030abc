//! A recursive-descent parser for the bash language the terminal speaks.
//!
//! It reads a whole (possibly multi-line) input and returns a [`Script`], or
//! says that more input is needed (bash's `> ` continuation prompt), or gives
//! bash's own syntax-error text. Lexing is done on the fly, because in bash
//! what a character means depends on where it stands.

use super::ast::*;

mod words;

/// Why a parse did not produce a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The input ends inside a construct: bash shows `> ` and reads on.
    Incomplete(Unterminated),
    /// `bash: syntax error near unexpected token `X'`
    Syntax { near: String },
    /// `bash: ${x!}: bad substitution`
    BadSubstitution(String),
    /// `bash: `1': not a valid identifier`
    NotIdentifier(String),
    /// Input nested deeper than [`NESTING_MAX`] levels (a guard, not bash's).
    TooDeep,
    /// Valid bash that the playground does not run yet.
    Unsupported(&'static str),
}

/// What an incomplete input is still waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unterminated {
    /// A quote or backtick: `'`, `"` or `` ` ``.
    Quote(char),
    /// The `)` of `$(` or `$((`.
    Paren,
    /// The `}` of `${`.
    Brace,
    /// A trailing `\`, `|`, `&&`, `||`, or an open `if`/`while`/`for`/`{`/`(`.
    More,
}

impl ParseError {
    /// The message bash prints for this error (without the `bash: ` prefix).
    pub fn message(&self) -> String {
        match self {
            ParseError::Incomplete(u) => u.eof_message(),
            ParseError::Syntax { near } => format!("syntax error near unexpected token `{near}'"),
            ParseError::BadSubstitution(text) => format!("{text}: bad substitution"),
            ParseError::NotIdentifier(word) => format!("`{word}': not a valid identifier"),
            ParseError::TooDeep => {
                format!("input nested more than {NESTING_MAX} levels deep; not run")
            }
            ParseError::Unsupported(what) => {
                format!("{what}: not yet available in this playground")
            }
        }
    }
}

impl Unterminated {
    /// What bash says when input ends here (Ctrl-D at the `> ` prompt).
    pub fn eof_message(self) -> String {
        match self {
            Unterminated::Quote(q) => {
                format!("unexpected EOF while looking for matching `{q}'")
            }
            Unterminated::Paren => "unexpected EOF while looking for matching `)'".to_owned(),
            Unterminated::Brace => "unexpected EOF while looking for matching `}'".to_owned(),
            Unterminated::More => "syntax error: unexpected end of file".to_owned(),
        }
    }
}

type PResult<T> = Result<T, ParseError>;

/// How deep `$(...)`, `${...}`, quotes and compound commands may nest, so a
/// pathological paste cannot exhaust the stack.
pub const NESTING_MAX: usize = 32;

/// Parses a complete input.
pub fn parse(source: &str) -> PResult<Script> {
    parse_nested(source, 0)
}

/// Parses input found inside another at nesting `depth` (backticks, `$((...))`).
fn parse_nested(source: &str, depth: usize) -> PResult<Script> {
    let mut p = Parser::nested(source, depth);
    let script = p.list_until(&[], false)?;
    match p.peek()? {
        Tok::Eof => Ok(script),
        _ => Err(p.unexpected()),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(Word),
    IoNumber(u32),
    Op(&'static str),
    Newline,
    Eof,
}

const OPERATORS: &[&str] = &[
    "&&", "||", ";;", "&>>", "&>", "|&", "<<<", "<<", "<&", "<>", ">>", ">&", ">|", ";", "&", "|",
    "(", ")", "<", ">",
];

const RESERVED: &[&str] = &[
    "if", "then", "elif", "else", "fi", "while", "until", "do", "done", "for", "in", "case",
    "esac", "select", "function", "{", "}", "!",
];

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// The next token, where it starts and where it ends, once looked at.
    peeked: Option<(Tok, usize, usize)>,
    /// How many constructs enclose the current position.
    depth: usize,
}

impl Parser {
    fn nested(source: &str, depth: usize) -> Parser {
        Parser {
            chars: source.chars().collect(),
            pos: 0,
            peeked: None,
            depth,
        }
    }

    /// Runs `f` one nesting level deeper, refusing past [`NESTING_MAX`].
    fn deeper<T>(&mut self, f: impl FnOnce(&mut Parser) -> PResult<T>) -> PResult<T> {
        if self.depth >= NESTING_MAX {
            return Err(ParseError::TooDeep);
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    // ----- the grammar -----

    /// A list of and-or items up to EOF, one of the reserved words `ends`
    /// (at a command's position), or `)` when `paren` is set.
    fn list_until(&mut self, ends: &[&str], paren: bool) -> PResult<Script> {
        self.deeper(|p| p.list_items_until(ends, paren))
    }

    fn list_items_until(&mut self, ends: &[&str], paren: bool) -> PResult<Script> {
        let mut items = Vec::new();
        loop {
            while self.peek()? == &Tok::Newline {
                self.advance();
            }
            match self.peek()? {
                Tok::Eof => break,
                Tok::Op(")") if paren => break,
                _ => {}
            }
            if let Some(word) = self.peek_reserved()? {
                if ends.contains(&word) {
                    break;
                }
            }
            let start = self.token_start()?;
            let and_or = self.and_or()?;
            let end = self.pos;
            let ends_here = self.peek_reserved()?.is_some_and(|w| ends.contains(&w));
            let background = match self.peek()? {
                Tok::Op("&") => {
                    self.advance();
                    true
                }
                Tok::Op(";") => {
                    self.advance();
                    false
                }
                Tok::Newline | Tok::Eof => false,
                Tok::Op(")") if paren => false,
                Tok::Word(_) if ends_here => false,
                _ => return Err(self.unexpected()),
            };
            let text: String = self.chars[start..end].iter().collect();
            items.push(Item {
                and_or,
                background,
                text: text.trim().to_owned(),
            });
        }
        Ok(Script { items })
    }

    fn and_or(&mut self) -> PResult<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = match self.peek()? {
                Tok::Op("&&") => Connector::And,
                Tok::Op("||") => Connector::Or,
                _ => break,
            };
            self.advance();
            self.skip_newlines_expecting_more()?;
            rest.push((connector, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> PResult<Pipeline> {
        let negate = self.peek_reserved()? == Some("!");
        if negate {
            self.advance();
        }
        let mut commands = vec![self.command()?];
        while let Tok::Op(op @ ("|" | "|&")) = self.peek()? {
            let both = *op == "|&";
            self.advance();
            if both {
                let last = commands.last_mut().expect("a pipeline has a command");
                redirects_of(last).push(Redirect {
                    fd: Some(2),
                    op: RedirectOp::DupWrite,
                    target: Word::literal("1"),
                });
            }
            self.skip_newlines_expecting_more()?;
            commands.push(self.command()?);
        }
        Ok(Pipeline { negate, commands })
    }

    fn command(&mut self) -> PResult<Command> {
        if let Tok::Op("(") = self.peek()? {
            self.advance();
            let body = self.list_until(&[], true)?;
            self.expect_op(")")?;
            if body.items.is_empty() {
                return Err(ParseError::Syntax { near: ")".into() });
            }
            return self.compound_tail(Compound::Subshell(body));
        }
        match self.peek_reserved()? {
            Some("if") => self.if_command(),
            Some("while") => self.while_command(false),
            Some("until") => self.while_command(true),
            Some("for") => self.for_command(),
            Some("{") => {
                self.advance();
                let body = self.nonempty_list_until(&["}"])?;
                self.expect_reserved("}")?;
                self.compound_tail(Compound::Brace(body))
            }
            Some("case") => Err(ParseError::Unsupported("case")),
            Some("select") => Err(ParseError::Unsupported("select")),
            Some("function") => Err(ParseError::Unsupported("shell functions")),
            Some(word @ ("then" | "elif" | "else" | "fi" | "do" | "done" | "esac" | "}" | "!")) => {
                Err(ParseError::Syntax { near: word.into() })
            }
            _ => self.simple_command(),
        }
    }

    fn compound_tail(&mut self, compound: Compound) -> PResult<Command> {
        let mut redirects = Vec::new();
        while let Some(r) = self.redirect()? {
            redirects.push(r);
        }
        Ok(Command::Compound(compound, redirects))
    }

    fn if_command(&mut self) -> PResult<Command> {
        self.advance(); // if
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let condition = self.nonempty_list_until(&["then"])?;
            self.expect_reserved("then")?;
            let body = self.nonempty_list_until(&["elif", "else", "fi"])?;
            branches.push((condition, body));
            match self.peek_reserved()? {
                Some("elif") => {
                    self.advance();
                }
                Some("else") => {
                    self.advance();
                    otherwise = Some(self.nonempty_list_until(&["fi"])?);
                    self.expect_reserved("fi")?;
                    break;
                }
                _ => {
                    self.expect_reserved("fi")?;
                    break;
                }
            }
        }
        self.compound_tail(Compound::If {
            branches,
            otherwise,
        })
    }

    fn while_command(&mut self, until: bool) -> PResult<Command> {
        self.advance(); // while / until
        let condition = self.nonempty_list_until(&["do"])?;
        self.expect_reserved("do")?;
        let body = self.nonempty_list_until(&["done"])?;
        self.expect_reserved("done")?;
        self.compound_tail(Compound::While {
            until,
            condition,
            body,
        })
    }

    fn for_command(&mut self) -> PResult<Command> {
        self.advance(); // for
        let name = match self.peek()?.clone() {
            Tok::Word(w) => match w.as_plain_literal() {
                Some(n) if is_name(n) => n.to_owned(),
                _ => return Err(ParseError::NotIdentifier(self.token_text())),
            },
            Tok::Eof => return Err(ParseError::Incomplete(Unterminated::More)),
            _ => return Err(self.unexpected()),
        };
        self.advance();
        let mut words = None;
        self.skip_separator_newlines()?;
        if self.peek_reserved()? == Some("in") {
            self.advance();
            let mut list = Vec::new();
            while let Tok::Word(w) = self.peek()?.clone() {
                self.advance();
                list.push(w);
            }
            match self.peek()? {
                Tok::Op(";") | Tok::Newline => self.advance(),
                Tok::Eof => return Err(ParseError::Incomplete(Unterminated::More)),
                _ => return Err(self.unexpected()),
            }
            words = Some(list);
        }
        while self.peek()? == &Tok::Newline {
            self.advance();
        }
        self.expect_reserved("do")?;
        let body = self.nonempty_list_until(&["done"])?;
        self.expect_reserved("done")?;
        self.compound_tail(Compound::For { name, words, body })
    }

    fn simple_command(&mut self) -> PResult<Command> {
        let mut cmd = SimpleCommand::default();
        loop {
            if let Some(r) = self.redirect()? {
                cmd.redirects.push(r);
                continue;
            }
            let Tok::Word(word) = self.peek()?.clone() else {
                break;
            };
            self.advance();
            if cmd.words.is_empty() {
                if let Some(assignment) = as_assignment(&word) {
                    cmd.assignments.push(assignment);
                    continue;
                }
            }
            cmd.words.push(word);
            if cmd.words.len() == 1 && cmd.assignments.is_empty() && self.peek()? == &Tok::Op("(") {
                // `name ( )` defines a function; anything else after `(` is an error there.
                self.advance();
                return match self.peek()? {
                    Tok::Op(")") => Err(ParseError::Unsupported("shell functions")),
                    Tok::Eof => Err(ParseError::Syntax {
                        near: "newline".into(),
                    }),
                    _ => Err(self.unexpected()),
                };
            }
        }
        if cmd.words.is_empty() && cmd.assignments.is_empty() && cmd.redirects.is_empty() {
            return Err(self.unexpected());
        }
        Ok(Command::Simple(cmd))
    }

    fn redirect(&mut self) -> PResult<Option<Redirect>> {
        let fd = match self.peek()? {
            Tok::IoNumber(n) => {
                let n = *n;
                self.advance();
                Some(n)
            }
            _ => None,
        };
        let op = match self.peek()? {
            Tok::Op("<") => RedirectOp::Read,
            Tok::Op(">") | Tok::Op(">|") => RedirectOp::Write,
            Tok::Op(">>") => RedirectOp::Append,
            Tok::Op(">&") => RedirectOp::DupWrite,
            Tok::Op("<&") => RedirectOp::DupRead,
            Tok::Op("&>") => RedirectOp::WriteBoth,
            Tok::Op("&>>") => RedirectOp::AppendBoth,
            Tok::Op("<<<") => RedirectOp::HereString,
            Tok::Op("<<") => return Err(ParseError::Unsupported("here-documents (<<)")),
            Tok::Op("<>") => return Err(ParseError::Unsupported("<>")),
            _ => {
                assert!(fd.is_none(), "an io number is only lexed before < or >");
                return Ok(None);
            }
        };
        self.advance();
        match self.peek()?.clone() {
            Tok::Word(target) => {
                self.advance();
                Ok(Some(Redirect { fd, op, target }))
            }
            _ => Err(self.unexpected()),
        }
    }

    // ----- helpers of the grammar -----

    fn nonempty_list_until(&mut self, ends: &[&str]) -> PResult<Script> {
        let list = self.list_until(ends, false)?;
        if list.items.is_empty() {
            return Err(self.unexpected());
        }
        Ok(list)
    }

    fn expect_reserved(&mut self, word: &str) -> PResult<()> {
        if self.peek_reserved()? == Some(word) {
            self.advance();
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn expect_op(&mut self, op: &str) -> PResult<()> {
        match self.peek()? {
            Tok::Op(o) if *o == op => {
                self.advance();
                Ok(())
            }
            _ => Err(self.unexpected()),
        }
    }

    /// After `|`, `&&` or `||` a command must follow, perhaps on a later line.
    fn skip_newlines_expecting_more(&mut self) -> PResult<()> {
        while self.peek()? == &Tok::Newline {
            self.advance();
        }
        if self.peek()? == &Tok::Eof {
            return Err(ParseError::Incomplete(Unterminated::More));
        }
        Ok(())
    }

    fn skip_separator_newlines(&mut self) -> PResult<()> {
        loop {
            match self.peek()? {
                Tok::Newline => self.advance(),
                Tok::Op(";") => {
                    self.advance();
                    return Ok(());
                }
                _ => return Ok(()),
            }
        }
    }

    /// The error for the token under the cursor: EOF means "needs more input".
    fn unexpected(&mut self) -> ParseError {
        match self.peek() {
            Err(e) => e,
            Ok(Tok::Eof) => ParseError::Incomplete(Unterminated::More),
            Ok(_) => ParseError::Syntax {
                near: self.token_text(),
            },
        }
    }

    fn token_text(&self) -> String {
        match &self.peeked {
            Some((Tok::Newline, _, _)) => "newline".to_owned(),
            Some((_, start, end)) => self.chars[*start..*end].iter().collect(),
            None => String::new(),
        }
    }

    // ----- tokens -----

    fn peek(&mut self) -> PResult<&Tok> {
        if self.peeked.is_none() {
            let saved = self.pos;
            self.skip_blanks_and_comments();
            let start = self.pos;
            let tok = self.lex();
            let end = self.pos;
            self.pos = saved;
            self.peeked = Some((tok?, start, end));
        }
        Ok(&self.peeked.as_ref().expect("just filled").0)
    }

    fn peek_reserved(&mut self) -> PResult<Option<&'static str>> {
        Ok(match self.peek()? {
            Tok::Word(w) => w
                .as_plain_literal()
                .and_then(|text| RESERVED.iter().copied().find(|r| *r == text)),
            _ => None,
        })
    }

    fn token_start(&mut self) -> PResult<usize> {
        self.peek()?;
        Ok(self.peeked.as_ref().expect("peeked").1)
    }

    fn advance(&mut self) {
        let (_, _, end) = self.peeked.take().expect("advance after peek");
        self.pos = end;
    }

    fn at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn skip_blanks_and_comments(&mut self) {
        loop {
            match self.at(0) {
                Some(' ' | '\t') => self.pos += 1,
                Some('\\') if self.at(1) == Some('\n') => self.pos += 2,
                Some('#') => {
                    while !matches!(self.at(0), None | Some('\n')) {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    fn lex(&mut self) -> PResult<Tok> {
        let Some(c) = self.at(0) else {
            return Ok(Tok::Eof);
        };
        if c == '\n' {
            self.pos += 1;
            return Ok(Tok::Newline);
        }
        for op in OPERATORS {
            if self.starts_with(op) {
                self.pos += op.chars().count();
                return Ok(Tok::Op(op));
            }
        }
        let word = self.word()?;
        if let Some(text) = word.as_plain_literal() {
            if matches!(self.at(0), Some('<' | '>')) && text.bytes().all(|b| b.is_ascii_digit()) {
                if let Ok(n) = text.parse() {
                    return Ok(Tok::IoNumber(n));
                }
            }
        }
        Ok(Tok::Word(word))
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.at(i) == Some(c))
    }
}

fn redirects_of(command: &mut Command) -> &mut Vec<Redirect> {
    match command {
        Command::Simple(s) => &mut s.redirects,
        Command::Compound(_, r) => r,
    }
}

/// `NAME=value` when the word starts with an unquoted valid name and `=`.
fn as_assignment(word: &Word) -> Option<Assignment> {
    let Some(Part::Literal {
        text,
        quoted: false,
    }) = word.parts.first()
    else {
        return None;
    };
    let eq = text.find('=')?;
    let name = &text[..eq];
    if !is_name(name) {
        return None;
    }
    let mut value = Word::default();
    let rest = &text[eq + 1..];
    if !rest.is_empty() {
        value.parts.push(Part::Literal {
            text: rest.to_owned(),
            quoted: false,
        });
    }
    value.parts.extend(word.parts[1..].iter().cloned());
    Some(Assignment {
        name: name.to_owned(),
        value,
    })
}

/// A shell variable name: a letter or `_`, then letters, digits or `_`.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
