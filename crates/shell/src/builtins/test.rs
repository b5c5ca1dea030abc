//! `test` and `[`: bash's conditional expressions on files, strings and integers.

use super::{Call, Printer};
use crate::vfs::{normalize, Node, Vfs};

/// `test EXPR` / `[ EXPR ]`: 0 when true, 1 when false, 2 on an error.
pub fn test(call: &Call, p: &mut Printer) -> i32 {
    let name = call.args[0].as_str();
    let mut args: Vec<&str> = call.args[1..].iter().map(String::as_str).collect();
    if name == "[" {
        if args.last() != Some(&"]") {
            p.err("bash: [: missing `]'\n");
            return 2;
        }
        args.pop();
    }
    let cwd = call.interp.env().cwd().to_owned();
    let fs = call.session().fs.borrow();
    let mut eval = Eval {
        args: &args,
        pos: 0,
        fs: &fs,
        cwd: &cwd,
    };
    let result = if args.is_empty() {
        Ok(false)
    } else {
        eval.or()
    };
    match result {
        Ok(_) if eval.pos < args.len() => {
            p.err(format!("bash: {name}: too many arguments\n"));
            2
        }
        Ok(true) => 0,
        Ok(false) => 1,
        Err(message) => {
            p.err(format!("bash: {name}: {message}\n"));
            2
        }
    }
}

struct Eval<'a> {
    args: &'a [&'a str],
    pos: usize,
    fs: &'a Vfs,
    cwd: &'a str,
}

const UNARY: &[&str] = &["-e", "-f", "-d", "-s", "-x", "-r", "-w", "-z", "-n"];
const BINARY: &[&str] = &[
    "=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "<", ">",
];

impl<'a> Eval<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.args.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<&'a str> {
        let a = self.args.get(self.pos).copied();
        self.pos += 1;
        a
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut value = self.and()?;
        while self.peek() == Some("-o") {
            self.pos += 1;
            value |= self.and()?;
        }
        Ok(value)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut value = self.not()?;
        while self.peek() == Some("-a") {
            self.pos += 1;
            value &= self.not()?;
        }
        Ok(value)
    }

    fn not(&mut self) -> Result<bool, String> {
        // `!` negates, unless it is the only word left (then it is a non-empty string).
        if self.peek() == Some("!") && self.pos + 1 < self.args.len() {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, String> {
        let Some(first) = self.next() else {
            return Err("argument expected".to_owned());
        };
        if first == "(" && self.args[self.pos..].contains(&")") {
            let value = self.or()?;
            return match self.next() {
                Some(")") => Ok(value),
                _ => Err("`)' expected".to_owned()),
            };
        }
        if let Some(op) = self.peek().filter(|op| BINARY.contains(op)) {
            let op = op.to_owned();
            self.pos += 1;
            let Some(second) = self.next() else {
                return Err(format!("{op}: unary operator expected"));
            };
            return binary(first, &op, second);
        }
        if UNARY.contains(&first) {
            return match self.next() {
                Some(operand) => Ok(self.unary(first, operand)),
                // `[ -n ]`: one word, a non-empty string.
                None => Ok(true),
            };
        }
        if first.starts_with('-') && first.len() == 2 && self.peek().is_some() {
            return Err(format!("{first}: unary operator expected"));
        }
        Ok(!first.is_empty())
    }

    fn unary(&self, op: &str, operand: &str) -> bool {
        let node = self.fs.lookup(&normalize(self.cwd, operand)).ok();
        match op {
            "-z" => operand.is_empty(),
            "-n" => !operand.is_empty(),
            "-e" | "-r" | "-w" => node.is_some(),
            "-f" => matches!(node, Some(Node::File(_))),
            "-d" => matches!(node, Some(Node::Dir(_))),
            "-s" => match node {
                Some(Node::File(f)) => f.size().is_none_or(|s| s > 0),
                Some(Node::Dir(_)) => true,
                None => false,
            },
            "-x" => match node {
                Some(Node::File(f)) => f.is_executable(),
                Some(Node::Dir(_)) => true,
                None => false,
            },
            _ => unreachable!("UNARY lists the operators"),
        }
    }
}

fn binary(left: &str, op: &str, right: &str) -> Result<bool, String> {
    let int = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("{s}: integer expression expected"))
    };
    Ok(match op {
        "=" | "==" => left == right,
        "!=" => left != right,
        "<" => left < right,
        ">" => left > right,
        "-eq" => int(left)? == int(right)?,
        "-ne" => int(left)? != int(right)?,
        "-lt" => int(left)? < int(right)?,
        "-le" => int(left)? <= int(right)?,
        "-gt" => int(left)? > int(right)?,
        "-ge" => int(left)? >= int(right)?,
        _ => unreachable!("BINARY lists the operators"),
    })
}
