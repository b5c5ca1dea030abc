//! GNU-style parsing of short options: clusters (`-la`), values (`-n 5`,
//! `-n5`), `--` and a few long names, with GNU's error messages.

use std::collections::BTreeMap;

use super::Printer;

/// The parsed command line of a tool.
#[derive(Debug, Default)]
pub struct Parsed {
    flags: BTreeMap<char, u32>,
    values: BTreeMap<char, String>,
    pub operands: Vec<String>,
}

impl Parsed {
    pub fn has(&self, flag: char) -> bool {
        self.flags.contains_key(&flag)
    }

    pub fn value(&self, option: char) -> Option<&str> {
        self.values.get(&option).map(String::as_str)
    }
}

/// Parses `args` (without the command name). `spec` lists the short options;
/// a letter followed by `:` takes a value. `long` maps long names to short
/// letters. On a bad option, writes GNU's message and returns `None`.
pub fn parse(
    tool: &str,
    args: &[String],
    spec: &str,
    long: &[(&str, char)],
    p: &mut Printer,
) -> Option<Parsed> {
    let mut parsed = Parsed::default();
    let takes_value = |c: char| spec.find(c).is_some_and(|i| spec[i + 1..].starts_with(':'));
    let known = |c: char| c != ':' && spec.contains(c);
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(name) = arg.strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (name, None),
            };
            let Some(&(_, c)) = long.iter().find(|(n, _)| *n == name) else {
                super::unrecognized_option(p, tool, arg);
                return None;
            };
            if takes_value(c) {
                let value = match inline.or_else(|| args.get(i).cloned()) {
                    Some(v) => v,
                    None => {
                        p.err(format!(
                            "{tool}: option '--{name}' requires an argument\nTry '{tool} --help' for more information.\n"
                        ));
                        return None;
                    }
                };
                if args.get(i) == Some(&value) {
                    i += 1;
                }
                parsed.values.insert(c, value);
            } else {
                *parsed.flags.entry(c).or_default() += 1;
            }
            continue;
        }
        if arg.len() < 2 || !arg.starts_with('-') {
            parsed.operands.push(arg.clone());
            continue;
        }
        let chars: Vec<char> = arg[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            j += 1;
            if !known(c) {
                super::invalid_option(p, tool, c);
                return None;
            }
            if takes_value(c) {
                let rest: String = chars[j..].iter().collect();
                let value = if !rest.is_empty() {
                    rest
                } else if let Some(v) = args.get(i) {
                    i += 1;
                    v.clone()
                } else {
                    p.err(format!(
                        "{tool}: option requires an argument -- '{c}'\nTry '{tool} --help' for more information.\n"
                    ));
                    return None;
                };
                parsed.values.insert(c, value);
                break;
            }
            *parsed.flags.entry(c).or_default() += 1;
        }
    }
    Some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_clusters_values_and_operands() {
        let mut p = Printer::default();
        let parsed = parse("tail", &args("-fn5 file -- -x"), "fn:", &[], &mut p).unwrap();
        assert!(parsed.has('f'));
        assert_eq!(parsed.value('n'), Some("5"));
        assert_eq!(parsed.operands, ["file", "-x"]);
        let parsed = parse(
            "head",
            &args("--lines=3 a -n 7"),
            "n:",
            &[("lines", 'n')],
            &mut p,
        )
        .unwrap();
        assert_eq!(parsed.value('n'), Some("7"));
        assert_eq!(parsed.operands, ["a"]);
    }

    #[test]
    fn bad_options_get_gnu_messages() {
        let mut p = Printer::default();
        assert!(parse("head", &args("-z"), "n:", &[], &mut p).is_none());
        assert!(parse("head", &args("-n"), "n:", &[], &mut p).is_none());
        let text: String = p.chunks.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            text,
            "head: invalid option -- 'z'\nTry 'head --help' for more information.\n\
             head: option requires an argument -- 'n'\nTry 'head --help' for more information.\n"
        );
    }
}
