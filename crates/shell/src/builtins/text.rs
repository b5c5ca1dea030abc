//! Builtins about text, variables and the session: `echo`, `help`, `history`,
//! `clear`, `date`, `export`, `unset`, `env`, `true`, `false`, `:`.

use super::{Call, Printer};
use crate::clock::strftime;
use crate::syntax::is_name;

pub fn colon(_: &Call, _: &mut Printer) -> i32 {
    0
}

pub fn true_(_: &Call, _: &mut Printer) -> i32 {
    0
}

pub fn false_(_: &Call, _: &mut Printer) -> i32 {
    1
}

/// `echo [-neE] [arg ...]`, bash's builtin.
pub fn echo(call: &Call, p: &mut Printer) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut args = &call.args[1..];
    while let Some(first) = args.first() {
        let flags = match first.strip_prefix('-') {
            Some(f) if !f.is_empty() && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) => f,
            _ => break,
        };
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        args = &args[1..];
    }
    let mut text = args.join(" ");
    if escapes {
        let (expanded, stop) = expand_escapes(&text);
        text = expanded;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    p.out(text);
    0
}

/// `echo -e`'s escapes; the bool says `\c` asked to stop all output.
fn expand_escapes(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('e') | Some('E') => out.push('\x1b'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut value = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
            }
            Some('x') => {
                let mut value = 0u32;
                let mut digits = 0;
                while digits < 2 {
                    match chars.peek().and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + d;
                            chars.next();
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// `hostname`
pub fn hostname(call: &Call, p: &mut Printer) -> i32 {
    p.out(format!("{}\n", call.session().host));
    0
}

/// `whoami`
pub fn whoami(call: &Call, p: &mut Printer) -> i32 {
    p.out(format!("{}\n", call.session().user));
    0
}

/// `clear`: the escape sequence of `clear` in an xterm (screen and scrollback).
pub fn clear(_: &Call, p: &mut Printer) -> i32 {
    p.out("\x1b[H\x1b[2J\x1b[3J");
    0
}

/// `date [+FORMAT]`: the world's virtual time, in UTC.
pub fn date(call: &Call, p: &mut Printer) -> i32 {
    let format = match call.args.get(1) {
        None => "%a %b %e %H:%M:%S %Z %Y",
        Some(f) if f.starts_with('+') => &f[1..],
        Some(other) => {
            p.err(format!("date: invalid date '{other}'\n"));
            return 1;
        }
    };
    p.out(format!("{}\n", strftime(call.session().now(), format)));
    0
}

/// `history [-c] [n]`: numbered as bash numbers them.
pub fn history(call: &Call, p: &mut Printer) -> i32 {
    let session = call.session();
    match call.args.get(1).map(String::as_str) {
        Some("-c") => {
            session.history.borrow_mut().clear();
            return 0;
        }
        Some(n) => {
            let Ok(count) = n.parse::<usize>() else {
                p.err(format!("bash: history: {n}: numeric argument required\n"));
                return 1;
            };
            let history = session.history.borrow();
            let skip = history.len().saturating_sub(count);
            for (i, line) in history.iter().enumerate().skip(skip) {
                p.out(format!("{:>5}  {}\n", i + 1, line));
            }
        }
        None => {
            for (i, line) in session.history.borrow().iter().enumerate() {
                p.out(format!("{:>5}  {}\n", i + 1, line));
            }
        }
    }
    0
}

/// `export [-p] [name[=value] ...]`
pub fn export(call: &Call, p: &mut Printer) -> i32 {
    let args: Vec<&String> = call.args[1..].iter().filter(|a| *a != "-p").collect();
    if args.is_empty() {
        for (name, var) in call.interp.env().vars().filter(|(_, v)| v.exported) {
            p.out(format!(
                "declare -x {name}=\"{}\"\n",
                shell_escape_double(&var.value)
            ));
        }
        return 0;
    }
    let mut status = 0;
    for arg in args {
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (arg.as_str(), None),
        };
        if !is_name(name) {
            p.err(format!("bash: export: `{arg}': not a valid identifier\n"));
            status = 1;
            continue;
        }
        call.interp.env_mut().export(name, value);
    }
    status
}

fn shell_escape_double(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('$', "\\$")
        .replace('`', "\\`")
}

/// `unset name ...`
pub fn unset(call: &Call, p: &mut Printer) -> i32 {
    let mut status = 0;
    for name in call.args[1..].iter().filter(|a| !a.starts_with('-')) {
        if !is_name(name) {
            p.err(format!("bash: unset: `{name}': not a valid identifier\n"));
            status = 1;
            continue;
        }
        call.interp.env_mut().unset(name);
    }
    status
}

/// `env`: the exported variables, `NAME=value` a line.
pub fn env(call: &Call, p: &mut Printer) -> i32 {
    if let Some(arg) = call.args.get(1) {
        p.err(format!(
            "env: '{arg}': running commands under env is not yet available in this playground\n"
        ));
        return 125;
    }
    for (name, var) in call.interp.env().vars().filter(|(_, v)| v.exported) {
        p.out(format!("{name}={}\n", var.value));
    }
    0
}

/// `help`: what this shell offers; the list of builtins comes from the table.
pub fn help(_: &Call, p: &mut Printer) -> i32 {
    let builtins: Vec<&str> = super::names().collect();
    p.out(format!(
        "Kafka Playground shell: bash as on a Kafka host, with Kafka's command-line tools.\n\
         \n\
         Commands:  {}\n\
         Language:  'quotes' \"quotes\" \\escapes  ;  &&  ||  |  <  >  >>  2>&1  &  $VAR  $?  $(...)  `...`\n\
         \x20          # comments, \\ at a line's end, export, if/for/while, $((1 + 2))\n\
         Keys:      Left/Right, Home/End, Ctrl-A/E/U/K/W, Up/Down for history, Ctrl-L clear,\n\
         \x20          Ctrl-C interrupts (copies when text is selected), Ctrl-V or Shift-Insert pastes\n\
         \n\
         Your home directory holds Kafka as you would download it:\n\
         \x20 ~/kafka_2.8.0-0.8.0   Kafka 0.8.0, the release of the book (terminals start here)\n\
         \x20 ~/kafka_2.13-2.8.2    Kafka 2.8.2, the last release whose tools take --zookeeper\n\
         The directory a script runs from decides what it prints. Try: ls bin, cat config/server.properties\n",
        builtins.join(" ")
    ));
    0
}
