//! The shell's syntax tree, as the parser builds it and the interpreter walks it.

/// A list of commands: what one prompt line (or a `$(...)` body) holds.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Script {
    pub items: Vec<Item>,
}

/// One `and_or` list ended by `;`, `&` or a newline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub and_or: AndOr,
    /// Ended by `&`: runs as a background job.
    pub background: bool,
    /// The source text of the item, as `jobs` shows it.
    pub text: String,
}

/// `a && b || c`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// `! a | b | c`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub negate: bool,
    pub commands: Vec<Command>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Simple(SimpleCommand),
    Compound(Compound, Vec<Redirect>),
}

/// The compound commands of bash that the playground runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compound {
    /// `{ list; }`
    Brace(Script),
    /// `( list )`
    Subshell(Script),
    /// `if c; then b; elif c2; then b2; else e; fi`
    If {
        branches: Vec<(Script, Script)>,
        otherwise: Option<Script>,
    },
    /// `while c; do b; done` and `until c; do b; done`
    While {
        until: bool,
        condition: Script,
        body: Script,
    },
    /// `for name in words; do b; done` (without `in`: the positional parameters)
    For {
        name: String,
        words: Option<Vec<Word>>,
        body: Script,
    },
}

/// `NAME=value ... word ... redirections`
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    pub assignments: Vec<Assignment>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub value: Word,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The descriptor redirected; `None` means the operator's default (0 or 1).
    pub fd: Option<u32>,
    pub op: RedirectOp,
    pub target: Word,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirectOp {
    /// `<`
    Read,
    /// `>` and `>|`
    Write,
    /// `>>`
    Append,
    /// `>&` (`2>&1`)
    DupWrite,
    /// `<&`
    DupRead,
    /// `&>`: stdout and stderr to a file
    WriteBoth,
    /// `&>>`
    AppendBoth,
    /// `<<<` here-string
    HereString,
}

impl RedirectOp {
    /// The descriptor the operator redirects when none is written before it.
    pub fn default_fd(self) -> u32 {
        match self {
            RedirectOp::Read | RedirectOp::DupRead | RedirectOp::HereString => 0,
            _ => 1,
        }
    }
}

/// A word: the parts between blanks, kept apart so quoting survives until expansion.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Literal text. `quoted` text (from `'...'`, `\x`, or inside `"..."`) is
    /// neither split into fields nor used as a glob pattern.
    Literal { text: String, quoted: bool },
    /// `"..."`: its parts expand, but their results are not split or globbed.
    DoubleQuoted(Vec<Part>),
    /// `$name`, `${name}`, `${name:-word}`, ...
    Param(Param),
    /// `$(...)` or `` `...` ``
    CommandSubst(Script),
    /// `$((...))`: the expression's text, expanded then evaluated.
    Arithmetic(Word),
    /// `~` or `~user` at the start of a word.
    Tilde(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// A variable name, a digit, or one of `? $ ! # @ * - 0`.
    pub name: String,
    pub op: ParamOp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamOp {
    /// `$x`, `${x}`
    Plain,
    /// `${#x}`
    Length,
    /// `${x:-w}` (colon: also when empty) and `${x-w}`
    Default { colon: bool, word: Word },
    /// `${x:=w}` and `${x=w}`
    Assign { colon: bool, word: Word },
    /// `${x:+w}` and `${x+w}`
    Alternative { colon: bool, word: Word },
    /// `${x:?w}` and `${x?w}`
    Error { colon: bool, word: Word },
}

impl Word {
    pub fn literal(text: &str) -> Word {
        Word {
            parts: vec![Part::Literal {
                text: text.to_owned(),
                quoted: false,
            }],
        }
    }

    /// The word's text when it has no expansions and no quotes, for reserved words.
    pub fn as_plain_literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Literal {
                text,
                quoted: false,
            }] => Some(text),
            _ => None,
        }
    }
}

impl Word {
    /// Whether expanding the word runs a command (`$(...)` or backticks).
    pub fn has_command_substitution(&self) -> bool {
        fn any(parts: &[Part]) -> bool {
            parts.iter().any(|p| match p {
                Part::CommandSubst(_) => true,
                Part::DoubleQuoted(inner) => any(inner),
                _ => false,
            })
        }
        any(&self.parts)
    }
}
