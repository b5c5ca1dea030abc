//! A recursive-descent parser for the bash language the terminal speaks.
//!
//! It reads a whole (possibly multi-line) input and returns a [`Script`], or
//! says that more input is needed (bash's `> ` continuation prompt), or gives
//! bash's own syntax-error text. Lexing is done on the fly, because in bash
//! what a character means depends on where it stands.

use super::ast::*;

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

/// Parses a complete input.
pub fn parse(source: &str) -> PResult<Script> {
    let mut p = Parser::new(source);
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
}

impl Parser {
    fn new(source: &str) -> Parser {
        Parser {
            chars: source.chars().collect(),
            pos: 0,
            peeked: None,
        }
    }

    // ----- the grammar -----

    /// A list of and-or items up to EOF, one of the reserved words `ends`
    /// (at a command's position), or `)` when `paren` is set.
    fn list_until(&mut self, ends: &[&str], paren: bool) -> PResult<Script> {
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

    // ----- words -----

    fn word(&mut self) -> PResult<Word> {
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
                let word = Parser::new(&expr).double_quoted_text()?;
                parts.push(Part::Arithmetic(word));
            }
            Some('(') => {
                self.pos += 2;
                let script = self.nested_script()?;
                parts.push(Part::CommandSubst(script));
            }
            Some('{') => {
                self.pos += 2;
                let param = self.braced_param()?;
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
        parse(&text)
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

/// The characters that end an unquoted word.
fn is_metacharacter(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

/// A shell variable name: a letter or `_`, then letters, digits or `_`.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
