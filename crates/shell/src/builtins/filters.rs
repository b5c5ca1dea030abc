//! Text filters: `grep`, `head`, `tail` (with `-f`), `wc`. Each reads its
//! files, or standard input when there are none or for `-`.

use std::time::Duration;

use super::options::{parse, Parsed};
use super::{Call, Printer};
use crate::exec::io::read_to_end;
use crate::exec::job::{LocalFuture, STATUS_BROKEN_PIPE};
use crate::vfs::normalize;

/// The name grep and others give standard input.
const STDIN_NAME: &str = "(standard input)";

/// One input of a filter: its name as given and its bytes.
struct Source {
    name: String,
    data: Vec<u8>,
}

/// Reads the operands (stdin for none or `-`); errors are reported as `tool: name: reason`.
async fn read_sources(call: &Call, tool: &str, operands: &[String]) -> (Vec<Source>, bool) {
    let names: Vec<String> = if operands.is_empty() {
        vec!["-".to_owned()]
    } else {
        operands.to_vec()
    };
    let mut sources = Vec::new();
    let mut failed = false;
    for name in names {
        if name == "-" {
            let data = read_to_end(&call.io.stdin, &call.interp.job).await;
            sources.push(Source {
                name: STDIN_NAME.to_owned(),
                data,
            });
            continue;
        }
        let path = normalize(call.interp.env().cwd(), &name);
        let content = call.session().fs.borrow().read(&path);
        match content {
            Ok(data) => sources.push(Source { name, data }),
            Err(e) => {
                call.err(&format!("{tool}: {name}: {e}\n")).await;
                failed = true;
            }
        }
    }
    (sources, failed)
}

/// Parses options; a bad one is reported and ends the command with `status`.
async fn options(call: &Call, tool: &str, spec: &str, long: &[(&str, char)]) -> Option<Parsed> {
    let mut p = Printer::default();
    let parsed = parse(tool, &call.args[1..], spec, long, &mut p);
    let _ = p.flush(&call.io).await;
    parsed
}

fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split_inclusive(|b| *b == b'\n')
}

/// `grep [-ivncqlHhEFw] PATTERN [file...]`
pub fn grep(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let long = [
            ("ignore-case", 'i'),
            ("invert-match", 'v'),
            ("count", 'c'),
            ("line-number", 'n'),
        ];
        let Some(opts) = options(&call, "grep", "ivncqlHhEFwe:", &long).await else {
            return 2;
        };
        let mut operands = opts.operands.clone();
        let pattern = match opts.value('e') {
            Some(p) => p.to_owned(),
            None if operands.is_empty() => {
                call.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n").await;
                return 2;
            }
            None => operands.remove(0),
        };
        let regex = match build_regex(
            &pattern,
            opts.has('E'),
            opts.has('F'),
            opts.has('w'),
            opts.has('i'),
        ) {
            Ok(r) => r,
            Err(e) => {
                call.err(&format!("grep: {e}\n")).await;
                return 2;
            }
        };
        let show_names = (operands.len() > 1 || opts.has('H')) && !opts.has('h');
        let (sources, failed) = read_sources(&call, "grep", &operands).await;
        let mut any = false;
        for source in &sources {
            let mut count = 0;
            let mut out = String::new();
            for (i, line) in lines(&source.data).enumerate() {
                let text = String::from_utf8_lossy(line);
                let text = text.strip_suffix('\n').unwrap_or(&text);
                if regex.is_match(text) == opts.has('v') {
                    continue;
                }
                count += 1;
                any = true;
                if opts.has('q') {
                    return 0;
                }
                if opts.has('c') || opts.has('l') {
                    continue;
                }
                if show_names {
                    out.push_str(&format!("{}:", source.name));
                }
                if opts.has('n') {
                    out.push_str(&format!("{}:", i + 1));
                }
                out.push_str(text);
                out.push('\n');
            }
            if opts.has('l') {
                if count > 0 {
                    out = format!("{}\n", source.name);
                }
            } else if opts.has('c') {
                out = if show_names {
                    format!("{}:{count}\n", source.name)
                } else {
                    format!("{count}\n")
                };
            }
            if call.out(&out).await.is_err() {
                return STATUS_BROKEN_PIPE;
            }
        }
        if failed {
            2
        } else if any {
            0
        } else {
            1
        }
    })
}

/// Turns grep's pattern syntax (basic by default, `-E` extended, `-F` fixed) into a regex.
fn build_regex(
    pattern: &str,
    extended: bool,
    fixed: bool,
    word: bool,
    ignore_case: bool,
) -> Result<regex_lite::Regex, String> {
    let mut re = if fixed {
        regex_lite::escape(pattern)
    } else if extended {
        pattern.to_owned()
    } else {
        basic_to_extended(pattern)
    };
    if word {
        re = format!(r"\b(?:{re})\b");
    }
    if ignore_case {
        re = format!("(?i){re}");
    }
    regex_lite::Regex::new(&re).map_err(|_| {
        match pattern.chars().filter(|c| *c == '[').count()
            > pattern.chars().filter(|c| *c == ']').count()
        {
            true => "Unmatched [, [^, [:, [., or [=".to_owned(),
            false => "Invalid regular expression".to_owned(),
        }
    })
}

/// POSIX basic regular expressions: `\(`, `\)`, `\{`, `\}`, `\|`, `\+`, `\?` are
/// the operators and the bare characters are literal; a leading `*` is literal.
fn basic_to_extended(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(op @ ('(' | ')' | '{' | '}' | '|' | '+' | '?')) => out.push(op),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push_str(r"\\"),
            },
            '(' | ')' | '{' | '}' | '|' | '+' | '?' => {
                out.push('\\');
                out.push(c);
            }
            '*' if at_start => out.push_str(r"\*"),
            _ => out.push(c),
        }
        at_start = c == '^' && out.len() == 1;
    }
    out
}

/// A count of lines (`-n 5`, `-5`) or bytes (`-c 5`); `+N` counts from the start for tail.
#[derive(Clone, Copy)]
struct Amount {
    n: usize,
    bytes: bool,
    from_start: bool,
}

fn amount(tool: &str, opts: &Parsed, p: &mut Printer) -> Option<Amount> {
    let (text, bytes) = match (opts.value('c'), opts.value('n')) {
        (Some(c), _) => (c, true),
        (None, Some(n)) => (n, false),
        (None, None) => ("10", false),
    };
    let from_start = text.starts_with('+');
    match text.trim_start_matches(['+', '-']).parse::<usize>() {
        Ok(n) => Some(Amount {
            n,
            bytes,
            from_start,
        }),
        Err(_) => {
            let what = if bytes { "bytes" } else { "lines" };
            p.err(format!("{tool}: invalid number of {what}: '{text}'\n"));
            None
        }
    }
}

/// GNU's obsolete `-5` form means `-n 5`.
fn with_numeric_shorthand(args: &[String]) -> Vec<String> {
    args.iter()
        .map(|a| match a.strip_prefix('-') {
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => format!("-n{n}"),
            _ => a.clone(),
        })
        .collect()
}

fn head_of(data: &[u8], a: Amount) -> &[u8] {
    if a.bytes {
        return &data[..a.n.min(data.len())];
    }
    let end: usize = lines(data).take(a.n).map(<[u8]>::len).sum();
    &data[..end]
}

fn tail_of(data: &[u8], a: Amount) -> &[u8] {
    if a.bytes {
        let start = if a.from_start {
            a.n.saturating_sub(1)
        } else {
            data.len().saturating_sub(a.n)
        };
        return &data[start.min(data.len())..];
    }
    let count = lines(data).count();
    let skip = if a.from_start {
        a.n.saturating_sub(1)
    } else {
        count.saturating_sub(a.n)
    };
    let start: usize = lines(data).take(skip).map(<[u8]>::len).sum();
    &data[start..]
}

/// Shared by head and tail: headers `==> name <==` when there are several files.
async fn head_or_tail(
    call: &Call,
    tool: &str,
    spec: &str,
    pick: fn(&[u8], Amount) -> &[u8],
) -> Result<(Vec<Source>, Amount, Parsed), i32> {
    let args = with_numeric_shorthand(&call.args[1..]);
    let mut p = Printer::default();
    let long = [
        ("lines", 'n'),
        ("bytes", 'c'),
        ("quiet", 'q'),
        ("follow", 'f'),
    ];
    let parsed = parse(tool, &args, spec, &long, &mut p)
        .and_then(|o| amount(tool, &o, &mut p).map(|a| (o, a)));
    let _ = p.flush(&call.io).await;
    let Some((opts, amount)) = parsed else {
        return Err(1);
    };
    let (sources, failed) = read_sources(call, tool, &opts.operands).await;
    let headers = sources.len() > 1 && !opts.has('q');
    for (i, source) in sources.iter().enumerate() {
        let mut out = Vec::new();
        if headers {
            let sep = if i == 0 { "" } else { "\n" };
            out.extend_from_slice(format!("{sep}==> {} <==\n", source.name).as_bytes());
        }
        out.extend_from_slice(pick(&source.data, amount));
        if call.io.stdout.write_all(&out).await.is_err() {
            return Err(STATUS_BROKEN_PIPE);
        }
    }
    if failed {
        return Err(1);
    }
    Ok((sources, amount, opts))
}

/// `head [-n N | -c N | -N] [file...]`
pub fn head(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        match head_or_tail(&call, "head", "n:c:q", head_of).await {
            Ok(_) => 0,
            Err(status) => status,
        }
    })
}

/// How often `tail -f` looks at its file, in virtual time.
const FOLLOW_INTERVAL: Duration = Duration::from_secs(1);

/// `tail [-n N | -n +N | -c N | -N] [-f] [file...]`
pub fn tail(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let (sources, _, opts) = match head_or_tail(&call, "tail", "n:c:qf", tail_of).await {
            Ok(done) => done,
            Err(status) => return status,
        };
        let follow: Vec<(String, usize)> = sources
            .iter()
            .filter(|s| s.name != STDIN_NAME)
            .map(|s| (s.name.clone(), s.data.len()))
            .collect();
        if !opts.has('f') || follow.is_empty() {
            return 0;
        }
        follow_files(&call, follow).await
    })
}

/// `tail -f`: prints what is appended to the files until interrupted.
async fn follow_files(call: &Call, mut files: Vec<(String, usize)>) -> i32 {
    let mut last_shown = files.len() - 1;
    loop {
        call.session().tick(&call.interp.job, FOLLOW_INTERVAL).await;
        for (i, (name, seen)) in files.iter_mut().enumerate() {
            let path = normalize(call.interp.env().cwd(), name);
            let content = call.session().fs.borrow().read(&path);
            let Ok(data) = content else { continue };
            let mut out = Vec::new();
            if data.len() < *seen {
                call.err(&format!("tail: {name}: file truncated\n")).await;
                *seen = 0;
            }
            if data.len() > *seen {
                if i != last_shown {
                    out.extend_from_slice(format!("\n==> {name} <==\n").as_bytes());
                    last_shown = i;
                }
                out.extend_from_slice(&data[*seen..]);
                *seen = data.len();
            }
            if call.io.stdout.write_all(&out).await.is_err() {
                return STATUS_BROKEN_PIPE;
            }
        }
    }
}

/// `wc [-lwc] [file...]`
pub fn wc(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let long = [("lines", 'l'), ("words", 'w'), ("bytes", 'c')];
        let Some(opts) = options(&call, "wc", "lwcm", &long).await else {
            return 1;
        };
        let all = !(opts.has('l') || opts.has('w') || opts.has('c') || opts.has('m'));
        let columns: Vec<fn(&[u8]) -> usize> = [
            (all || opts.has('l')).then_some(count_lines as fn(&[u8]) -> usize),
            (all || opts.has('w')).then_some(count_words as fn(&[u8]) -> usize),
            (opts.has('m')).then_some(count_chars as fn(&[u8]) -> usize),
            (all || opts.has('c')).then_some(<[u8]>::len as fn(&[u8]) -> usize),
        ]
        .into_iter()
        .flatten()
        .collect();
        let (sources, failed) = read_sources(&call, "wc", &opts.operands).await;
        let mut rows: Vec<(Vec<usize>, Option<String>)> = sources
            .iter()
            .map(|s| {
                let name = (s.name != STDIN_NAME).then(|| s.name.clone());
                (columns.iter().map(|f| f(&s.data)).collect(), name)
            })
            .collect();
        if rows.len() > 1 {
            let totals = (0..columns.len())
                .map(|c| rows.iter().map(|r| r.0[c]).sum())
                .collect();
            rows.push((totals, Some("total".to_owned())));
        }
        // GNU's widths: one count of one input is not padded; otherwise as wide as
        // the files' total size in digits, and at least 7 when a pipe is read.
        let width = if columns.len() == 1 && sources.len() == 1 {
            1
        } else {
            let regular_total: usize = sources
                .iter()
                .filter(|s| s.name != STDIN_NAME)
                .map(|s| s.data.len())
                .sum();
            let reads_pipe = sources.iter().any(|s| s.name == STDIN_NAME);
            regular_total
                .to_string()
                .len()
                .max(if reads_pipe { 7 } else { 1 })
        };
        let mut out = String::new();
        for (counts, name) in rows {
            let numbers: Vec<String> = counts.iter().map(|n| format!("{n:>width$}")).collect();
            out.push_str(&numbers.join(" "));
            if let Some(name) = name {
                out.push(' ');
                out.push_str(&name);
            }
            out.push('\n');
        }
        if call.out(&out).await.is_err() {
            return STATUS_BROKEN_PIPE;
        }
        i32::from(failed)
    })
}

fn count_lines(data: &[u8]) -> usize {
    data.iter().filter(|b| **b == b'\n').count()
}

fn count_words(data: &[u8]) -> usize {
    data.split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .count()
}

fn count_chars(data: &[u8]) -> usize {
    String::from_utf8_lossy(data).chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_regular_expressions_translate() {
        assert_eq!(basic_to_extended(r"a\(b\)\+c"), "a(b)+c");
        assert_eq!(basic_to_extended("a(b)+c?"), r"a\(b\)\+c\?");
        assert_eq!(basic_to_extended("*x"), r"\*x");
        assert_eq!(basic_to_extended("^#"), "^#");
    }

    #[test]
    fn head_and_tail_pick_lines_and_bytes() {
        let data = b"1\n2\n3\n4\n";
        let lines = |n, from_start| Amount {
            n,
            bytes: false,
            from_start,
        };
        assert_eq!(head_of(data, lines(2, false)), b"1\n2\n");
        assert_eq!(tail_of(data, lines(2, false)), b"3\n4\n");
        assert_eq!(tail_of(data, lines(2, true)), b"2\n3\n4\n");
        assert_eq!(
            tail_of(
                data,
                Amount {
                    n: 3,
                    bytes: true,
                    from_start: false
                }
            ),
            b"\n4\n"
        );
        assert_eq!(head_of(data, lines(10, false)), data);
    }
}
