//! Pathname expansion: `*`, `?` and `[...]` matched against the host's files.

use crate::exec::expand::Field;
use crate::vfs::Vfs;

/// The paths matching `field`, sorted; `None` when it has no unquoted pattern
/// characters or nothing matches (then bash keeps the word as it is).
pub fn expand(fs: &Vfs, cwd: &str, field: &Field) -> Option<Vec<String>> {
    if !field
        .iter()
        .any(|&(c, quoted)| !quoted && matches!(c, '*' | '?' | '['))
    {
        return None;
    }
    let absolute = field.first().is_some_and(|&(c, _)| c == '/');
    let components: Vec<&[(char, bool)]> = field
        .split(|&(c, _)| c == '/')
        .filter(|c| !c.is_empty())
        .collect();
    // Each candidate: (path shown to the user, absolute path in the file system).
    let mut candidates = vec![(
        String::new(),
        if absolute {
            "/".to_owned()
        } else {
            cwd.to_owned()
        },
    )];
    for (i, component) in components.iter().enumerate() {
        let last = i + 1 == components.len();
        let mut next = Vec::new();
        for (shown, real) in &candidates {
            let join = |name: &str| {
                let shown = match (shown.is_empty(), absolute) {
                    (true, true) => format!("/{name}"),
                    (true, false) => name.to_owned(),
                    (false, _) => format!("{shown}/{name}"),
                };
                let real = if real == "/" {
                    format!("/{name}")
                } else {
                    format!("{real}/{name}")
                };
                (shown, real)
            };
            if component
                .iter()
                .any(|&(c, q)| !q && matches!(c, '*' | '?' | '['))
            {
                let Ok(entries) = fs.list(real) else { continue };
                let hidden_ok = component.first() == Some(&('.', false))
                    || component.first() == Some(&('.', true));
                for (name, node) in entries {
                    if (name.starts_with('.') && !hidden_ok) || !matches(component, name) {
                        continue;
                    }
                    if last || node.is_dir() {
                        next.push(join(name));
                    }
                }
            } else {
                let name: String = component.iter().map(|(c, _)| c).collect();
                let (shown, real) = join(&name);
                if fs.lookup(&real).is_ok() {
                    next.push((shown, real));
                }
            }
        }
        candidates = next;
    }
    let trailing_slash = field.last().is_some_and(|&(c, _)| c == '/');
    let mut found: Vec<String> = candidates
        .into_iter()
        .map(|(shown, _)| {
            if trailing_slash {
                format!("{shown}/")
            } else {
                shown
            }
        })
        .collect();
    found.sort();
    (!found.is_empty()).then_some(found)
}

/// Whether `name` matches a pattern (one path component).
pub fn matches(pattern: &[(char, bool)], name: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    match_from(pattern, &name)
}

fn match_from(p: &[(char, bool)], s: &[char]) -> bool {
    let Some(&(c, quoted)) = p.first() else {
        return s.is_empty();
    };
    if quoted {
        return s.first() == Some(&c) && match_from(&p[1..], &s[1..]);
    }
    match c {
        '*' => (0..=s.len()).any(|i| match_from(&p[1..], &s[i..])),
        '?' => !s.is_empty() && match_from(&p[1..], &s[1..]),
        '[' => match bracket(&p[1..], s.first().copied()) {
            Some((true, used)) => match_from(&p[1 + used..], &s[1..]),
            Some((false, _)) => false,
            // An unclosed `[` is an ordinary character.
            None => s.first() == Some(&'[') && match_from(&p[1..], &s[1..]),
        },
        _ => s.first() == Some(&c) && match_from(&p[1..], &s[1..]),
    }
}

/// Matches `c` against `[...]` (after the `[`); returns (matched, pattern chars used).
fn bracket(p: &[(char, bool)], c: Option<char>) -> Option<(bool, usize)> {
    let c = c?;
    let mut i = 0;
    let negate = matches!(p.first(), Some(&('!' | '^', false)));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        let (ch, _) = p[i];
        if ch == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1].0 == '-' && p[i + 2].0 != ']' {
            if (ch..=p[i + 2].0).contains(&c) {
                matched = true;
            }
            i += 3;
        } else {
            if ch == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Vec<(char, bool)> {
        s.chars().map(|c| (c, false)).collect()
    }

    #[test]
    fn matches_like_fnmatch() {
        assert!(matches(&pat("*.sh"), "kafka-server-start.sh"));
        assert!(!matches(&pat("*.sh"), "windows"));
        assert!(matches(&pat("kafka-?ist-topic.sh"), "kafka-list-topic.sh"));
        assert!(matches(&pat("[kz]*"), "zookeeper-shell.sh"));
        assert!(!matches(&pat("[!kz]*"), "zookeeper-shell.sh"));
        assert!(matches(&pat("[a-c]x"), "bx"));
        assert!(matches(&pat("a[b"), "a[b"));
        assert!(!matches(&[('*', true)], "x"));
    }
}
